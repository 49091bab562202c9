package dev.opagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four processes decide and execute overlapping customers at once on one real PostgreSQL store; one
 * of them is killed with SIGKILL part-way and started again. No customer goes above a cap, spending
 * stays within the budget, the daily email limit holds, and every action is delivered exactly once.
 */
class SharedStoreProcessesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int WORKERS = 4;
  private static final int EACH = 300;

  @TempDir Path dir;

  private Process worker(String url, String prefix, int i) throws IOException {
    return worker(url, prefix, "round-" + i, i * 100, EACH, i, 60, 0);
  }

  private Process worker(
      String url, String prefix, String runId, int from, int count, int log, int rate, int day)
      throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            StoreWorker.class.getName(),
            url,
            prefix,
            runId,
            String.valueOf(from),
            String.valueOf(count),
            lines(log).toString(),
            String.valueOf(rate),
            String.valueOf(day))
        .redirectErrorStream(true)
        .redirectOutput(
            ProcessBuilder.Redirect.appendTo(dir.resolve("worker-" + log + ".log").toFile()))
        .start();
  }

  private Path lines(int i) {
    return dir.resolve("actions-" + i + ".jsonl");
  }

  private String log(int i) {
    try {
      return Files.readString(dir.resolve("worker-" + i + ".log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static long count(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    try (var s = Files.lines(file, StandardCharsets.UTF_8)) {
      return s.count();
    }
  }

  @Test
  void fourProcessesOneKilled_capsBudgetsLimitsHoldAndEachActionIsDeliveredOnce() throws Exception {
    String url = PostgresServer.url();
    String prefix = PostgresServer.freshPrefix();
    // The victim starts first, so it is delivering when the others start deciding beside it.
    Process victim = worker(url, prefix, 1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (count(lines(1)) < 5 && victim.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    List<Process> workers = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      workers.add(i == 1 ? victim : worker(url, prefix, i));
    }
    while (count(lines(1)) < 15 && victim.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    victim.destroyForcibly(); // SIGKILL: no shutdown hooks, connections dropped mid-transaction
    assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(count(lines(1))).as(() -> "killed part-way; its log:\n" + log(1)).isPositive();
    Process restarted = worker(url, prefix, 1);
    for (Process p : List.of(workers.get(0), workers.get(2), workers.get(3), restarted)) {
      assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("a worker finished").isTrue();
      assertThat(p.exitValue())
          .as(() -> "worker exit code; logs:\n" + log(0) + log(1) + log(2) + log(3))
          .isZero();
    }

    Map<String, Integer> delivered = new HashMap<>();
    for (int i = 0; i < WORKERS; i++) {
      for (String line : Files.readAllLines(lines(i), StandardCharsets.UTF_8)) {
        JsonNode n = MAPPER.readTree(line);
        delivered.merge(n.get("idempotencyKey").asText(), 1, Integer::sum);
      }
    }
    assertThat(delivered.values()).as("deliveries per action").allMatch(n -> n == 1);

    try (OperatingStore store =
            OperatingStore.builder().url(url, "postgres", "").tablePrefix(prefix).build();
        Connection c = store.dataSource().getConnection()) {
      assertThat(StoreLoop.states(store)).containsOnlyKeys("COMPLETED");
      Set<String> completed =
          new HashSet<>(strings(c, "SELECT idempotency_key FROM " + prefix + "executions"));
      assertThat(delivered.keySet()).isEqualTo(completed);

      String join =
          prefix
              + "ledger l JOIN "
              + prefix
              + "executions e ON e.idempotency_key ="
              + " l.idempotency_key WHERE e.state = 'COMPLETED'";
      assertThat(
              number(
                  c,
                  "SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM "
                      + join
                      + " AND l.contact_channel IS NOT NULL GROUP BY l.customer_id) t"))
          .as("contacts per customer (cap 3 per 7 days)")
          .isBetween(1L, 3L);
      assertThat(
              number(
                  c,
                  "SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM "
                      + join
                      + " AND l.contact_channel IS NOT NULL GROUP BY l.customer_id, l.contact_channel) t"))
          .as("contacts per customer and channel today (email, sms, push: 1)")
          .isEqualTo(1L);
      assertThat(
              number(
                  c,
                  "SELECT COUNT(*) FROM " + join + " AND l.counted_types LIKE '%,send\\_email,%'"))
          .as("send_email today")
          .isLessThanOrEqualTo(StoreWorker.EMAIL_LIMIT);
      BigDecimal spent =
          store
              .operatingState()
              .inBatch(List.of(), StoreWorker.policy(), StoreWorker.NOW, b -> b.budgetInUse(null));
      assertThat(spent).as("money spent").isLessThanOrEqualTo(StoreWorker.BUDGET);
    }
  }

  @Test
  void approvalGrantedInOneProcess_isHonouredByAnother() throws Exception {
    String url = PostgresServer.url();
    String prefix = PostgresServer.freshPrefix();
    String winback =
        "SELECT COUNT(*) FROM "
            + prefix
            + "ledger l JOIN "
            + prefix
            + "executions e"
            + " ON e.idempotency_key = l.idempotency_key WHERE e.state = 'COMPLETED' AND l.campaign"
            + " = 'winback'";

    Process first = worker(url, prefix, "monday", 0, 200, 0, 1000, 0);
    assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).as(() -> log(0)).isZero();
    try (OperatingStore store =
            OperatingStore.builder().url(url, "postgres", "").tablePrefix(prefix).build();
        Connection c = store.dataSource().getConnection()) {
      assertThat(number(c, winback)).as("win-back offers before the approval").isZero();
      ApprovalRequest request =
          store.approvalStore().pending().stream()
              .filter(r -> r.key().equals(ApprovalKey.campaign("winback")))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no win-back request filed: " + log(0)));
      // This process is the manager's: it grants what the first process asked for.
      store
          .approvalGate(Clock.fixed(StoreWorker.NOW.plusSeconds(3600), ZoneOffset.UTC))
          .grant(request.id(), "marketing-manager", "spring offer reviewed");
    }

    Process second = worker(url, prefix, "tuesday", 0, 200, 1, 1000, 1);
    assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).as(() -> log(1)).isZero();
    try (OperatingStore store =
            OperatingStore.builder().url(url, "postgres", "").tablePrefix(prefix).build();
        Connection c = store.dataSource().getConnection()) {
      assertThat(number(c, winback)).as("win-back offers after the approval").isPositive();
    }
  }

  private static List<String> strings(Connection c, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static long number(Connection c, String sql) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
