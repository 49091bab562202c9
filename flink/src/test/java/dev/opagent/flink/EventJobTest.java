package dev.opagent.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.flink.internal.ParsedEvent;
import dev.opagent.flink.internal.PreparedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The job's command line, configuration checks and plan, and its entry point on a file. */
class EventJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  @TempDir Path dir;

  @Test
  void main_onAnEventsFile_writesOutcomesAndInvalidEventsUnderTheOutputDir() throws Exception {
    Path events = dir.resolve("events.jsonl");
    Files.write(
        events,
        List.of(
            "{\"type\": \"page_view\", \"customerId\": \"C-1\", \"at\": \"2026-03-15T10:00:00Z\"}",
            "not an event",
            "{\"type\": \"cart_abandoned\", \"customerId\": \"C-2\","
                + " \"at\": \"2026-03-15T10:01:00Z\", \"data\": {\"cartValue\": 5}}"),
        StandardCharsets.UTF_8);
    Path out = dir.resolve("out");

    EventJob.main(
        new String[] {
          "--events-file",
          events.toString(),
          "--output-dir",
          out.toString(),
          "--store",
          "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(),
          "--channel",
          "jsonl:" + dir.resolve("actions.jsonl").toAbsolutePath(),
          "--clock",
          "event-time",
          "--idleness",
          "PT0S",
          "--checkpoint-interval",
          "PT0.2S"
        });

    assertThat(lines(out.resolve("outcomes")))
        .hasSize(2)
        .anyMatch(l -> l.contains("\"line\":1") && l.contains("\"stage\":\"NO_TRIGGER\""))
        .anyMatch(l -> l.contains("\"line\":3") && l.contains("\"stage\":\"UNKNOWN_CUSTOMER\""));
    assertThat(lines(out.resolve("invalid")))
        .singleElement()
        .satisfies(l -> assertThat(l).contains("\"line\":2").doesNotContain("not an event"));
  }

  /** The lines of every committed file under {@code dir}. */
  private static List<String> lines(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        if (!f.getFileName().toString().startsWith(".")) {
          out.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  @Test
  void recordsBetweenOperators_arePojos_neverLeftToKryo() {
    for (Class<?> c : List.of(EventLine.class, ParsedEvent.class, PreparedEvent.class)) {
      assertThat(TypeInformation.of(c)).as(c.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
    }
  }

  @Test
  void arguments_kafkaJob_readIntoTheConfiguration() {
    EventJob.Arguments a =
        EventJob.Arguments.parse(
            new String[] {
              "--bootstrap-servers", "kafka-1:9092,kafka-2:9092",
              "--group-id", "opagent-prod",
              "--store", "jdbc:postgresql://db/opagent",
              "--store-user", "opagent",
              "--channel", "webhook:https://hooks.example.com/opagent",
              "--consent", "email, push",
              "--agent-arn", "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/agent-x",
              "--agent-quota", "50",
              "--clock", "system",
              "--exactly-once-outputs"
            });
    EventJobConfig c = a.config();

    assertThat(a.bootstrapServers).isEqualTo("kafka-1:9092,kafka-2:9092");
    assertThat(a.eventsTopic).isEqualTo(EventJob.EVENTS_TOPIC);
    assertThat(a.outcomesTopic).isEqualTo(EventJob.OUTCOMES_TOPIC);
    assertThat(a.groupId).isEqualTo("opagent-prod");
    assertThat(a.guarantee).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
    assertThat(c.storeUrl()).isEqualTo("jdbc:postgresql://db/opagent");
    assertThat(c.storeUser()).isEqualTo("opagent");
    assertThat(c.channels()).containsExactly("webhook:https://hooks.example.com/opagent");
    assertThat(c.consents()).containsExactly("email", "push");
    assertThat(c.agentRequestsPerSecond()).isEqualTo(50);
    assertThat(c.clock()).isEqualTo(EventJobConfig.ClockMode.SYSTEM);
  }

  @Test
  void arguments_withoutStoreOrSource_failNamingWhatIsMissing() {
    assertThatThrownBy(
            () -> EventJob.Arguments.parse(new String[] {"--bootstrap-servers", "k:9092"}))
        .hasMessageContaining("--store");
    assertThatThrownBy(
            () ->
                EventJob.Arguments.parse(
                    new String[] {"--store", "jdbc:h2:file:/tmp/s", "--channel", "log"}))
        .hasMessageContaining("--bootstrap-servers or --events-file");
    assertThatThrownBy(() -> EventJob.Arguments.parse(new String[] {"--clock", "lunar"}))
        .hasMessageContaining("--clock must be system or event-time");
  }

  @Test
  void config_badValues_failWithTheirName() {
    EventJobConfig.Builder b = EventJobConfig.builder().store("jdbc:h2:mem:x", "sa");
    assertThatThrownBy(() -> b.addChannel("smtp:mail"))
        .hasMessageContaining("jsonl:PATH, webhook:URL or log");
    assertThatThrownBy(() -> b.rulesJson("campaigns.json", "{\"rules\": 7}"))
        .hasMessageContaining("campaigns.json");
    assertThatThrownBy(() -> b.addChannel("log").segmentCapacity(0).build())
        .hasMessageContaining("segmentCapacity must be positive");
    assertThatThrownBy(() -> EventJobConfig.builder().addChannel("log").build())
        .hasMessageContaining("store must be set");
  }

  @Test
  void build_onKafka_plansTheFiveStagesWithTheirOutputs() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    EventJobConfig config =
        EventJobConfig.builder()
            .store("jdbc:h2:file:" + Path.of("target/never-opened").toAbsolutePath(), "sa")
            .addChannel("log")
            .outOfOrderness(Duration.ofSeconds(30))
            .build();
    EventJob.Streams out =
        EventJob.build(
            EventJob.readKafka(env, "localhost:9092", EventJob.EVENTS_TOPIC, "opagent"), config);
    out.outcomes()
        .sinkTo(
            EventJob.kafkaSink(
                "localhost:9092",
                EventJob.OUTCOMES_TOPIC,
                DeliveryGuarantee.AT_LEAST_ONCE,
                "opagent-outcomes"));
    out.invalidEvents()
        .sinkTo(
            EventJob.kafkaSink(
                "localhost:9092",
                EventJob.INVALID_TOPIC,
                DeliveryGuarantee.AT_LEAST_ONCE,
                "opagent-invalid"));

    assertThat(env.getExecutionPlan())
        .contains("events opagent.events")
        .contains("parse events")
        .contains("prepare events")
        .contains("segment customers")
        .contains("decide and deliver");
  }
}
