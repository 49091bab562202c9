package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.store.OperatingStore;
import dev.opagent.testkit.PopulationGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code opagent run} once a day on one H2 file store, as a host's daily job would: the weekly
 * frequency cap and a global budget hold across days, and only customers whose data changed are
 * sent to the agent again.
 */
class DailyRunsCommandTest {
  private static final Pattern SEGMENTED =
      Pattern.compile(
          "segmented (\\d+) of (\\d+) customers \\((\\d+) by the agent, (\\d+) from the store");
  private static final int CUSTOMERS = 120;

  @TempDir Path dir;

  private Path customers(int changed) throws IOException {
    return customers(changed, LocalDate.of(2026, 3, 15));
  }

  private Path customers(int changed, LocalDate asOf) throws IOException {
    Path file = dir.resolve("customers-" + changed + "-" + asOf + ".jsonl");
    List<String> lines = new ArrayList<>();
    PopulationGenerator.builder().seed(3).asOf(asOf).build().stream(CUSTOMERS)
        .forEach(c -> lines.add(c.toJson()));
    for (int i = 0; i < changed; i++) {
      ObjectNode n = (ObjectNode) JsonLines.MAPPER.readTree(lines.get(i * 7));
      ObjectNode data = n.has("customerData") ? (ObjectNode) n.get("customerData") : n;
      data.put("city", "Moved-" + i);
      lines.set(i * 7, JsonLines.MAPPER.writeValueAsString(n));
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  private String store() {
    return "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath();
  }

  private String run(Path customers, String day, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--customers",
                customers.toString(),
                "--as-of",
                day,
                "--consent",
                "email,sms,push,in_app",
                "--store",
                store(),
                "--channel",
                "jsonl:" + dir.resolve("actions.jsonl"),
                "--run-id",
                "day-" + day));
    args.addAll(List.of(extra));
    return opagent(args.toArray(String[]::new))[1];
  }

  /** Runs a command that must succeed; returns its standard output and standard error. */
  private static String[] opagent(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = OpagentCommand.commandLine();
    cmd.setErr(new PrintWriter(err, true));
    cmd.setOut(new PrintWriter(out, true));
    int code = cmd.execute(args);
    assertThat(code).as(err.toString()).isZero();
    return new String[] {out.toString(), err.toString()};
  }

  private long number(String sql) throws Exception {
    try (OperatingStore s = OperatingStore.open(store(), "sa", "");
        Connection c = s.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql.replace("$", s.tablePrefix()));
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void fourDays_weeklyCapHoldsAndOnlyChangedCustomersAreSegmentedAgain() throws Exception {
    Path unchanged = customers(0);
    String day1 = run(unchanged, "2026-03-15");
    Matcher first = SEGMENTED.matcher(day1);
    assertThat(first.find()).as(day1).isTrue();
    assertThat(first.group(3))
        .as("day 1: every customer asked")
        .isEqualTo(String.valueOf(CUSTOMERS));

    String day2 = run(customers(9), "2026-03-16");
    Matcher second = SEGMENTED.matcher(day2);
    assertThat(second.find()).as(day2).isTrue();
    assertThat(second.group(3)).as("day 2: the changed customers only").isEqualTo("9");
    assertThat(second.group(4)).isEqualTo(String.valueOf(CUSTOMERS - 9));

    run(unchanged, "2026-03-17");
    run(unchanged, "2026-03-18");

    long most =
        number(
            "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM $ledger l JOIN $executions e"
                + " ON e.idempotency_key = l.idempotency_key WHERE e.state = 'COMPLETED'"
                + " AND l.contact_channel IS NOT NULL GROUP BY l.customer_id) t");
    assertThat(most)
        .as("contacts of the most contacted customer (3 per rolling 7 days)")
        .isEqualTo(3);
  }

  @Test
  void approvalGrantedBetweenRuns_isDeliveredByTheNextRun() throws Exception {
    // Approvals are granted and expire by the wall clock, so these days are today and tomorrow.
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Path input = customers(0, today);
    String day1 = run(input, today.toString());
    assertThat(day1).contains("APPROVAL_REQUIRED");
    String winback =
        "SELECT COUNT(*) FROM $ledger l JOIN $executions e ON e.idempotency_key ="
            + " l.idempotency_key WHERE e.state = 'COMPLETED' AND l.campaign = 'winback'";
    assertThat(number(winback)).as("win-back offers before the approval").isZero();

    String listed = opagent("approvals", "list", "--store", store())[0];
    String id = null;
    for (String line : listed.split("\\R")) {
      if (!line.isBlank()
          && JsonLines.MAPPER.readTree(line).path("campaign").asText().equals("winback")) {
        id = JsonLines.MAPPER.readTree(line).get("id").asText();
      }
    }
    assertThat(id).as(listed).isNotNull();
    opagent(
        "approvals",
        "approve",
        id,
        "--by",
        "marketing-manager",
        "--reason",
        "spring offer",
        "--store",
        store());

    run(input, today.plusDays(1).toString());
    assertThat(number(winback)).as("win-back offers after the approval").isPositive();
  }

  @Test
  void threeDays_globalBudgetHoldsAcrossRuns() throws Exception {
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"budgets\": {\"currency\": \"TRY\", \"global\": \"0.50\"}}");
    Path input = customers(0);
    for (String day : List.of("2026-03-15", "2026-03-16", "2026-03-17")) {
      run(input, day, "--policy", policy.toString());
    }
    long units =
        number(
            "SELECT COALESCE(SUM(CASE WHEN e.receipt_cost IS NOT NULL THEN"
                + " CAST(CEILING(CAST(e.receipt_cost AS DECIMAL(38, 10)) * 10000) AS BIGINT) ELSE"
                + " l.reserved_units END), 0) FROM $ledger l JOIN $executions e ON e.idempotency_key ="
                + " l.idempotency_key WHERE e.state = 'COMPLETED'");
    BigDecimal spent = BigDecimal.valueOf(units, 4);
    assertThat(spent)
        .as("spent over three days")
        .isLessThanOrEqualTo(new BigDecimal("0.50"))
        .isGreaterThan(new BigDecimal("0.40"));
  }
}
