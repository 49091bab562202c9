package dev.opagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.segment.CustomerData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three processes run the event processor on one PostgreSQL store, each over the customers of its
 * partition; one is killed with SIGKILL part-way and a replacement replays its partition from the
 * start, as a queue redelivers what was not acknowledged. Then two processes drain at once. Every
 * customer who left a cart and did not buy gets exactly one reminder; no customer who bought gets
 * one; every action is delivered once.
 */
class SharedEventProcessesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int PARTITIONS = 3;

  @TempDir Path dir;

  private Process worker(String url, String prefix, String partition, String name, long pause)
      throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            EventWorker.class.getName(),
            url,
            prefix,
            partition,
            String.valueOf(PARTITIONS),
            lines(name).toString(),
            String.valueOf(pause))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
        .start();
  }

  private Path lines(String name) {
    return dir.resolve(name + ".jsonl");
  }

  private String log(String name) throws IOException {
    Path p = dir.resolve(name + ".log");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  private String logs() throws IOException {
    StringBuilder sb = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        sb.append(p.getFileName()).append(":\n").append(Files.readString(p)).append('\n');
      }
    }
    return sb.toString();
  }

  private void finish(Process p) throws Exception {
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("a worker finished").isTrue();
    assertThat(p.exitValue()).as(this::logsUnchecked).isZero();
  }

  private String logsUnchecked() {
    try {
      return logs();
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void threeProcessesOneKilledAndReplayed_eachReminderOnce_noneForThoseWhoBought()
      throws Exception {
    String url = PostgresServer.url();
    String prefix = PostgresServer.freshPrefix();
    Process victim = worker(url, prefix, "1", "victim", 40);
    List<Process> others =
        List.of(worker(url, prefix, "0", "w0", 5), worker(url, prefix, "2", "w2", 5));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!log("victim").contains("progress 30") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    victim.destroyForcibly(); // SIGKILL, part-way through its partition
    assertThat(log("victim")).contains("progress 30").doesNotContain("accepted");
    assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
    finish(worker(url, prefix, "1", "replayed", 0));
    for (Process p : others) {
      finish(p);
    }
    Process drainA = worker(url, prefix, "drain", "drainA", 0);
    Process drainB = worker(url, prefix, "drain", "drainB", 0);
    finish(drainA);
    finish(drainB);

    Map<String, Integer> perKey = new HashMap<>();
    Map<String, Integer> perCustomer = new HashMap<>();
    for (String name : List.of("victim", "w0", "w2", "replayed", "drainA", "drainB")) {
      if (!Files.exists(lines(name))) {
        continue;
      }
      for (String line : Files.readAllLines(lines(name), StandardCharsets.UTF_8)) {
        JsonNode n = MAPPER.readTree(line);
        assertThat(n.get("campaign").asText()).isEqualTo("cart_recovery");
        perKey.merge(n.get("idempotencyKey").asText(), 1, Integer::sum);
        perCustomer.merge(n.get("customerId").asText(), 1, Integer::sum);
      }
    }
    assertThat(perKey.values()).as("deliveries per action").allMatch(n -> n == 1);
    List<String> expected = new ArrayList<>();
    List<CustomerData> customers = EventWorker.customers();
    for (int i = 1; i < customers.size(); i += 2) {
      expected.add(customers.get(i).customerId());
    }
    assertThat(perCustomer.keySet()).as(logs()).containsExactlyInAnyOrderElementsOf(expected);

    try (OperatingStore store =
        OperatingStore.builder().url(url, "postgres", "").tablePrefix(prefix).build()) {
      Map<ExecutionState, Long> states = new HashMap<>();
      for (ExecutionRecord r : store.journal().records("events-2026-03-16")) {
        states.merge(r.state(), 1L, Long::sum);
      }
      assertThat(states)
          .containsEntry(ExecutionState.COMPLETED, (long) expected.size())
          .containsEntry(ExecutionState.CANCELLED, (long) (customers.size() - expected.size()))
          .hasSize(2);
    }
  }
}
