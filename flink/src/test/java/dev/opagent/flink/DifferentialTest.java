package dev.opagent.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.loop.EventOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same file of events through the Flink job (parallelism 2, checkpointing on, the clock
 * following the events) and through {@code EventProcessor} in process (its clock following the
 * events, what fell due delivered before each event, and two hours after the last): the same
 * actions delivered, the same withdrawn, and every event the same outcome.
 */
class DifferentialTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir Path dir;

  static EventJobConfig config(Scenario scenario, Path dir, String name) {
    return EventJobConfig.builder()
        .store("jdbc:h2:file:" + dir.resolve(name + "-store").toAbsolutePath(), "sa")
        .addChannel("jsonl:" + dir.resolve(name + "-actions.jsonl").toAbsolutePath())
        .customersFile(scenario.customers())
        .consents(List.of("email"))
        .clock(EventJobConfig.ClockMode.EVENT_TIME)
        .outOfOrderness(Duration.ofMinutes(1))
        .sourceIdleness(Duration.ZERO)
        .build();
  }

  @Test
  void sameEventFile_flinkJobAndInProcessProcessor_deliverWithdrawAndDecideAlike()
      throws Exception {
    Scenario scenario = Scenario.generate(dir.resolve("data"), 300, 11);

    EventJobConfig flink = config(scenario, dir, "flink");
    Configuration noRestart = new Configuration();
    noRestart.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(noRestart);
    env.setParallelism(2);
    env.enableCheckpointing(200);
    EventJob.Streams out = EventJob.build(EventJob.readFiles(env, scenario.events()), flink);
    out.outcomes().sinkTo(new CollectingSink("differential-outcomes"));
    out.invalidEvents().sinkTo(new CollectingSink("differential-invalid"));
    env.execute("differential");

    EventJobConfig local = config(scenario, dir, "local");
    Map<Long, EventOutcome> inProcess = new TreeMap<>();
    Instant last = Instant.EPOCH;
    try (EventLoop loop = EventLoop.open(local)) {
      for (Scenario.Numbered n : scenario.validEvents()) {
        loop.advanceTo(n.event().at());
        loop.processor().deliverDue();
        inProcess.put(n.line(), loop.processor().accept(n.event()));
        last = n.event().at();
      }
      loop.advanceTo(last.plus(Duration.ofHours(2)));
      loop.processor().deliverDue();
    }

    Path flinkActions = dir.resolve("flink-actions.jsonl");
    Path localActions = dir.resolve("local-actions.jsonl");
    assertThat(Results.delivered(flinkActions))
        .isNotEmpty()
        .isEqualTo(Results.delivered(localActions));
    assertThat(Results.linesPerKey(flinkActions).values()).containsOnly(1);
    String run = "events-2026-03-15";
    assertThat(Results.journalled(flink.storeUrl(), run, ExecutionState.CANCELLED))
        .isNotEmpty()
        .isEqualTo(Results.journalled(local.storeUrl(), run, ExecutionState.CANCELLED));
    assertThat(Results.journalled(flink.storeUrl(), run, ExecutionState.COMPLETED))
        .isEqualTo(Results.delivered(flinkActions));

    Map<Long, String> flinkByLine = new TreeMap<>();
    for (JsonNode n : Results.outcomes(CollectingSink.received("differential-outcomes"), "event")) {
      flinkByLine.put(n.get("line").asLong(), summary(n));
    }
    Map<Long, String> localByLine = new TreeMap<>();
    inProcess.forEach((line, o) -> localByLine.put(line, summary(o)));
    assertThat(flinkByLine).isEqualTo(localByLine);
    assertThat(localByLine.values())
        .anyMatch(s -> s.startsWith("ACTIONS_PLANNED"))
        .anyMatch(s -> s.startsWith("UNKNOWN_CUSTOMER"))
        .anyMatch(s -> s.startsWith("NO_ACTION_CHOSEN"))
        .anyMatch(s -> s.contains("cancelled=[ik-"));
    assertThat(CollectingSink.received("differential-invalid")).hasSize(2);
  }

  private static String summary(JsonNode n) {
    List<String> keys = new ArrayList<>();
    n.get("actionKeys").forEach(k -> keys.add(k.asText()));
    List<String> cancelled = new ArrayList<>();
    n.get("cancelled").forEach(k -> cancelled.add(k.asText()));
    return n.get("stage").asText()
        + " detail="
        + (n.has("detail") ? n.get("detail").asText() : null)
        + " keys="
        + keys
        + " cancelled="
        + cancelled;
  }

  private static String summary(EventOutcome o) {
    return o.stage()
        + " detail="
        + o.detail()
        + " keys="
        + o.actionKeys()
        + " cancelled="
        + o.cancelled();
  }
}
