package dev.opagent.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.execution.journal.JdbcExecutionJournal;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.RunState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM executing a round is killed with SIGKILL part-way; a second one on the same journal
 * finishes the round. Every planned action is delivered exactly once and none is lost.
 */
class CrashRecoveryTest {
  private static final int ACTIONS = 400;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  private String log() {
    try (var files = Files.list(dir)) {
      StringBuilder out = new StringBuilder();
      for (Path p : files.filter(f -> f.getFileName().toString().startsWith("worker-")).toList()) {
        out.append(Files.readString(p, StandardCharsets.UTF_8));
      }
      return out.toString();
    } catch (IOException e) {
      return e.toString();
    }
  }

  private Process worker(String url, Path lines) throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            CrashWorker.class.getName(),
            url,
            lines.toString(),
            String.valueOf(ACTIONS),
            "100")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("worker-" + System.nanoTime() + ".log").toFile())
        .start();
  }

  private static long lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    try (var s = Files.lines(file, StandardCharsets.UTF_8)) {
      return s.count();
    }
  }

  @Test
  void sigkillPartWay_restartOnTheSameJournal_deliversEveryActionExactlyOnce() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath();
    Path out = dir.resolve("actions.jsonl");

    Process first = worker(url, out);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (lines(out) < ACTIONS / 4 && first.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    first.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no flush
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long atKill = lines(out);
    assertThat(atKill).as("killed part-way").isBetween(1L, ACTIONS - 1L);

    Process second = worker(url, out);
    assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("the restart finished").isTrue();
    assertThat(second.exitValue()).as(() -> "the restart's exit code; its log:\n" + log()).isZero();

    Map<String, Integer> byKey = new HashMap<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      JsonNode n = MAPPER.readTree(line);
      byKey.merge(n.get("idempotencyKey").asText(), 1, Integer::sum);
      assertThat(
              n.has("customerId") && n.has("campaign") && n.has("actionType") && n.has("channel"))
          .isTrue();
    }
    List<String> planned =
        ExecutionServiceTest.requests(
                CrashWorker.RUN, ACTIONS, "send_email", ExecutionServiceTest.DUE)
            .stream()
            .map(ActionRequest::idempotencyKey)
            .toList();
    assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(planned);
    assertThat(byKey.values()).allSatisfy(count -> assertThat(count).isEqualTo(1));
    try (JdbcExecutionJournal journal = JdbcExecutionJournal.forUrl(url, "sa", "")) {
      assertThat(journal.counts(CrashWorker.RUN))
          .containsExactly(Map.entry(ExecutionState.COMPLETED, (long) ACTIONS));
      assertThat(journal.runState(CrashWorker.RUN)).contains(RunState.COMPLETED);
    }
  }
}
