package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.execution.journal.JdbcExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.testkit.PopulationGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code opagent plan} and {@code opagent run}, including SIGKILL and resume of a round. */
class RunCommandTest {
  @TempDir Path dir;

  private Path customers(int n) throws IOException {
    Path file = dir.resolve("customers.jsonl");
    List<String> lines = new ArrayList<>();
    PopulationGenerator.builder().seed(3).asOf(LocalDate.of(2026, 3, 15)).build().stream(n)
        .forEach(c -> lines.add(c.toJson()));
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  private String storeUrl() {
    return "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath();
  }

  private static int run(StringWriter err, String... args) {
    CommandLine cmd = OpagentCommand.commandLine();
    cmd.setErr(new PrintWriter(err, true));
    cmd.setOut(new PrintWriter(new StringWriter(), true));
    return cmd.execute(args);
  }

  private static Map<String, Integer> keys(Path jsonl) throws IOException {
    Map<String, Integer> byKey = new HashMap<>();
    for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
      JsonNode n = JsonLines.MAPPER.readTree(line);
      for (String f :
          List.of("idempotencyKey", "customerId", "campaign", "actionType", "channel")) {
        assertThat(n.hasNonNull(f)).as(f).isTrue();
      }
      byKey.merge(n.get("idempotencyKey").asText(), 1, Integer::sum);
    }
    return byKey;
  }

  @Test
  void plan_seedCustomers_explainsEveryCustomerWithoutSideEffects() throws IOException {
    Path out = dir.resolve("plan.jsonl");
    StringWriter err = new StringWriter();

    int code =
        run(
            err,
            "plan",
            "--customers",
            customers(60).toString(),
            "--as-of",
            "2026-03-15",
            "--consent",
            "email,push,in_app",
            "--store",
            storeUrl(),
            "--output",
            out.toString());

    assertThat(code).as(err.toString()).isZero();
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(60);
    long withChoice = 0;
    long withReasons = 0;
    for (String l : lines) {
      JsonNode n = JsonLines.MAPPER.readTree(l);
      assertThat(n.get("outcome").asText())
          .isIn("ACTIONS_PLANNED", "NOT_ELIGIBLE", "HELD_OUT", "NO_ACTION_CHOSEN");
      withChoice += n.get("chosen").size() > 0 ? 1 : 0;
      for (JsonNode x : n.get("notChosen")) {
        assertThat(x.get("reason").asText()).isNotBlank();
        withReasons++;
      }
    }
    assertThat(withChoice).isPositive();
    assertThat(withReasons).isPositive();
    assertThat(err.toString()).contains("dry run, nothing sent");
  }

  @Test
  void run_manyCustomersInSmallChunks_deliversEveryChosenActionOnceAndSummarisesBadLines()
      throws IOException {
    Path input = customers(75);
    List<String> lines = new ArrayList<>(Files.readAllLines(input, StandardCharsets.UTF_8));
    for (int i = 0; i < 30; i++) {
      lines.add(i * 3, "{not a customer " + i);
    }
    Files.write(input, lines, StandardCharsets.UTF_8);
    Path actions = dir.resolve("actions.jsonl");
    String journal = "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath();
    StringWriter err = new StringWriter();

    int code =
        run(
            err,
            "run",
            "--customers",
            input.toString(),
            "--chunk-size",
            "10",
            "--as-of",
            "2026-03-15",
            "--consent",
            "email,push,in_app",
            "--journal",
            journal,
            "--run-id",
            "r1",
            "--channel",
            "jsonl:" + actions);

    assertThat(code).as(err.toString()).isEqualTo(3);
    String out = err.toString();
    assertThat(out).contains("of 75 customers");
    assertThat(out.lines().filter(l -> l.startsWith("  skipped line "))).hasSize(20);
    assertThat(out).contains("skipped 10 more lines that are not customers");
    Map<String, Integer> delivered = keys(actions);
    assertThat(delivered).isNotEmpty();
    assertThat(delivered.values()).allMatch(n -> n == 1);
    try (JdbcExecutionJournal j = JdbcExecutionJournal.forUrl(journal, "sa", "")) {
      assertThat(j.counts("r1"))
          .containsExactly(Map.entry(ExecutionState.COMPLETED, (long) delivered.size()));
      assertThat(j.runState("r1")).contains(RunState.COMPLETED);
    }
  }

  @Test
  void run_badChannelSpec_exits2WithTheFix() throws IOException {
    StringWriter err = new StringWriter();

    int code =
        run(
            err,
            "run",
            "--customers",
            customers(3).toString(),
            "--channel",
            "ftp:x",
            "--journal",
            "jdbc:h2:mem:bad");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("expected jsonl:PATH, webhook:URL or log");
  }

  @Test
  void run_invalidPolicyFile_namesTheFileLineAndColumn() throws IOException {
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\n  \"maxActionsPerCustomer\": \"two\"\n}\n");
    StringWriter err = new StringWriter();

    int code =
        run(
            err,
            "run",
            "--customers",
            customers(3).toString(),
            "--policy",
            policy.toString(),
            "--channel",
            "log",
            "--journal",
            "jdbc:h2:mem:policy");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains(policy + ":2:28: /maxActionsPerCustomer");
  }

  @Test
  void run_killedWithSigkillAndStartedAgain_deliversEveryActionExactlyOnce() throws Exception {
    Path input = customers(400);
    Path actions = dir.resolve("actions.jsonl");
    String journal = "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath();
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            OpagentCommand.class.getName(),
            "run",
            "--customers",
            input.toString(),
            "--as-of",
            "2026-03-15",
            "--channel",
            "jsonl:" + actions,
            "--journal",
            journal,
            "--run-id",
            "round-1",
            "--delivery-rate",
            "40",
            "--consent",
            "email,push,in_app",
            "--delivery-concurrency",
            "2");

    Process first =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("first.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (first.isAlive()
        && System.nanoTime() < deadline
        && (!Files.exists(actions) || Files.readAllLines(actions).size() < 10)) {
      Thread.sleep(20);
    }
    first.destroyForcibly();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    int atKill = keys(actions).size();

    Process second =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("second.log").toFile())
            .start();
    assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(dir.resolve("second.log"));
    assertThat(second.exitValue()).as(log).isZero();
    assertThat(log).contains("resuming round round-1");

    Map<String, Integer> delivered = keys(actions);
    assertThat(delivered.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
    try (JdbcExecutionJournal j = JdbcExecutionJournal.forUrl(journal, "sa", "")) {
      Map<ExecutionState, Long> counts = j.counts("round-1");
      assertThat(counts).as(log).containsOnlyKeys(ExecutionState.COMPLETED);
      assertThat(j.runState("round-1")).as(log).contains(RunState.COMPLETED);
      assertThat(delivered).hasSize(counts.get(ExecutionState.COMPLETED).intValue());
      assertThat(delivered.size()).isGreaterThan(atKill);
    }
  }
}
