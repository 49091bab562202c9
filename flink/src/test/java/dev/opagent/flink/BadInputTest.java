package dev.opagent.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Lines that are no event go to the invalid output with their line number and field, never their
 * text, and do not stop the job: every valid line still gets its outcome.
 */
class BadInputTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir Path dir;

  @Test
  void invalidLines_goToTheInvalidOutputWithLineAndField_everyValidEventGetsItsOutcome()
      throws Exception {
    Path customers = dir.resolve("customers.jsonl");
    Files.writeString(
        customers,
        dev.opagent.testkit.PopulationGenerator.ofSeed(3).customer(0).toJson() + "\n",
        StandardCharsets.UTF_8);
    String known = dev.opagent.testkit.PopulationGenerator.ofSeed(3).customer(0).customerId();
    List<String> lines =
        List.of(
            event("cart_abandoned", known, "2026-03-15T10:00:00Z", "{\"cartValue\": 20}"),
            "{\"type\": \"purchase\", \"customerId\": \"jane.doe@example.com\", \"at\": oops}",
            event("purchase", known, "2026-03-15T10:05:00Z", "{\"amount\": -3}"),
            "",
            event("page_view", known, "2026-03-15T10:06:00Z", "{}"),
            "{\"type\": \"Page View\", \"customerId\": \"C-9\", \"at\": \"2026-03-15T10:07:00Z\"}",
            event("click", "", "2026-03-15T10:08:00Z", "{}"),
            "{\"type\": \"click\", \"customerId\": \"C-9\", \"at\": \"last tuesday\"}",
            "[1, 2, 3]",
            event(
                "purchase", known, "2026-03-15T10:09:00Z", "{\"amount\": 20, \"product\": \"P\"}"),
            event("wishlist_added", "C-404", "2026-03-15T10:10:00Z", "{}"));
    Path events = dir.resolve("events.jsonl");
    Files.write(events, lines, StandardCharsets.UTF_8);

    EventJobConfig config =
        EventJobConfig.builder()
            .store("jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(), "sa")
            .addChannel("jsonl:" + dir.resolve("actions.jsonl").toAbsolutePath())
            .customersFile(customers)
            .consents(List.of("email"))
            .clock(EventJobConfig.ClockMode.EVENT_TIME)
            .sourceIdleness(Duration.ZERO)
            .build();
    Configuration noRestart = new Configuration();
    noRestart.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(noRestart);
    env.setParallelism(2);
    env.enableCheckpointing(200);
    EventJob.Streams out = EventJob.build(EventJob.readFiles(env, events), config);
    out.outcomes().sinkTo(new CollectingSink("bad-outcomes"));
    out.invalidEvents().sinkTo(new CollectingSink("bad-invalid"));
    env.execute("bad input");

    Map<Long, String> invalid = new TreeMap<>();
    List<String> invalidRecords = CollectingSink.received("bad-invalid");
    for (String r : invalidRecords) {
      JsonNode n = Results.JSON.readTree(r);
      assertThat(n.get("source").asText()).endsWith("events.jsonl");
      invalid.put(n.get("line").asLong(), n.get("field").asText());
    }
    assertThat(invalid)
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    2L, "",
                    3L, "data.amount",
                    6L, "type",
                    7L, "customerId",
                    8L, "at",
                    9L, "")));
    assertThat(String.join("\n", invalidRecords))
        .doesNotContain("jane.doe")
        .doesNotContain("last tuesday")
        .doesNotContain("Page View");

    Map<Long, String> stages = new TreeMap<>();
    for (JsonNode n : Results.outcomes(CollectingSink.received("bad-outcomes"), "event")) {
      stages.put(n.get("line").asLong(), n.get("stage").asText());
    }
    assertThat(stages)
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    1L, "ACTIONS_PLANNED",
                    5L, "NO_TRIGGER",
                    10L, "NO_TRIGGER",
                    11L, "NO_TRIGGER")));
    // the purchase at 10:09 withdrew the reminder the cart at 10:00 scheduled
    assertThat(
            Results.outcomes(CollectingSink.received("bad-outcomes"), "event").stream()
                .filter(n -> n.get("line").asLong() == 10)
                .findFirst()
                .orElseThrow()
                .get("cancelled"))
        .hasSize(1);
  }

  private static String event(String type, String customerId, String at, String data) {
    return "{\"type\": \""
        + type
        + "\", \"customerId\": \""
        + customerId
        + "\", \"at\": \""
        + at
        + "\", \"data\": "
        + data
        + "}";
  }
}
