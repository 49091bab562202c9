package dev.opagent.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.store.OperatingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job fails twice mid-stream — once among the events coming in, once among the outcomes going
 * out — and restarts from its last checkpoint each time, replaying what it had read since: every
 * action is still delivered exactly once, the journal and the channel agree, and the e-mail cap and
 * the money budget hold across the two subtasks.
 */
class RecoveryTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir Path dir;

  @Test
  void failuresMidStream_restartFromCheckpoint_everyActionOnceAndCapsAndBudgetHeld()
      throws Exception {
    Scenario scenario = Scenario.generate(dir.resolve("data"), 300, 23);
    Path actions = dir.resolve("actions.jsonl");
    EventJobConfig config =
        DifferentialTest.config(scenario, dir, "recovery").toBuilder()
            .policyJson("{\"budgets\": {\"currency\": \"TRY\", \"global\": \"0.80\"}}")
            .build();
    config =
        EventJobConfig.builder()
            .store(config.storeUrl(), "sa")
            .addChannel("jsonl:" + actions.toAbsolutePath())
            .customersFile(scenario.customers())
            .consents(List.of("email"))
            .policyJson(config.policyJson())
            .clock(EventJobConfig.ClockMode.EVENT_TIME)
            .sourceIdleness(Duration.ZERO)
            .build();

    Configuration restarts = new Configuration();
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(restarts);
    env.setParallelism(2);
    env.enableCheckpointing(100);
    DataStream<EventLine> lines =
        EventJob.readFiles(env, scenario.events())
            .map(new FailOnce<EventLine>("events", 60, 25))
            .returns(TypeInformation.of(EventLine.class));
    EventJob.Streams out = EventJob.build(lines, config);
    out.outcomes()
        .map(new FailOnce<String>("outcomes", 60, 0))
        .returns(Types.STRING)
        .sinkTo(new CollectingSink("recovery-outcomes"));
    env.execute("recovery");

    assertThat(FailOnce.FAILED.get("events")).isTrue();
    assertThat(FailOnce.FAILED.get("outcomes")).isTrue();

    // exactly once: one line per key, and the journal completed exactly what the channel has
    Map<String, Integer> perKey = Results.linesPerKey(actions);
    assertThat(perKey).isNotEmpty();
    assertThat(perKey.values()).containsOnly(1);
    String run = "events-2026-03-15";
    assertThat(Results.journalled(config.storeUrl(), run, ExecutionState.COMPLETED))
        .isEqualTo(Results.delivered(actions));
    try (OperatingStore store = OperatingStore.open(config.storeUrl(), "sa", "")) {
      Map<ExecutionState, Long> counts = store.journal().counts(run);
      assertThat(counts.getOrDefault(ExecutionState.PENDING, 0L)).isZero();
      assertThat(counts.getOrDefault(ExecutionState.EXECUTING, 0L)).isZero();
    }

    // caps: one e-mail per customer per day; money: 0.80 TRY at 0.01 an e-mail
    Map<String, Integer> perCustomer = new HashMap<>();
    for (JsonNode n : Results.channelLines(actions)) {
      perCustomer.merge(n.get("customerId").asText(), 1, Integer::sum);
    }
    assertThat(perCustomer.values()).containsOnly(1);
    assertThat(perKey).hasSizeLessThanOrEqualTo(80).hasSizeGreaterThan(40);

    // every valid event has its outcome (written again after a restart: at least once)
    Set<Long> withOutcome = new TreeSet<>();
    for (JsonNode n : Results.outcomes(CollectingSink.received("recovery-outcomes"), "event")) {
      withOutcome.add(n.get("line").asLong());
    }
    Set<Long> valid = new TreeSet<>();
    scenario.validEvents().forEach(n -> valid.add(n.line()));
    assertThat(withOutcome).isEqualTo(valid);
    assertThat(
            Results.outcomes(CollectingSink.received("recovery-outcomes"), "event").stream()
                .map(n -> n.has("detail") ? n.get("detail").asText() : "")
                .toList())
        .contains("BUDGET_EXHAUSTED");
  }
}
