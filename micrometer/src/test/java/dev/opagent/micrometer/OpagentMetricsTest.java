package dev.opagent.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientListener;
import dev.opagent.testkit.Fixtures;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Building, tagging and closing the metrics. */
class OpagentMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void build_withoutRegistry_failsNamingTheSetter() {
    assertThatThrownBy(() -> OpagentMetrics.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("registry must be set: OpagentMetrics.builder().registry(meterRegistry)");
  }

  @Test
  void addTag_blankKeyOrValue_failsNamingTheTag() {
    assertThatThrownBy(() -> OpagentMetrics.builder().addTag(" ", "shop"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tag key must not be blank");
    assertThatThrownBy(() -> OpagentMetrics.builder().addTag("application", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value of tag application must not be blank");
  }

  @Test
  void create_nothingAskedFor_registersNothing() {
    OpagentMetrics metrics = OpagentMetrics.create(registry);

    metrics.decisionListener();
    metrics.executionListener();

    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void segmentClientListener_commonTags_onEveryMeterAndTheSameListenerEachTime() {
    OpagentMetrics metrics =
        OpagentMetrics.builder()
            .registry(registry)
            .addTag("application", "shop")
            .addTags(Tags.of("agent", "segments"))
            .build();

    SegmentClientListener listener = metrics.segmentClientListener();

    assertThat(metrics.segmentClientListener()).isSameAs(listener);
    assertThat(registry.getMeters())
        .isNotEmpty()
        .allSatisfy(
            m ->
                assertThat(m.getId().getTags())
                    .contains(Tag.of("application", "shop"), Tag.of("agent", "segments")));
  }

  @Test
  void close_removesEveryMeterItRegisteredAndLaterEventsAreIgnored() {
    SimpleMeterRegistry shared = new SimpleMeterRegistry();
    shared.counter("host.own.counter").increment();
    OpagentMetrics metrics = OpagentMetrics.create(shared);
    FakeSegmentAgent agent = new FakeSegmentAgent();
    try (SegmentClient client = agent.client(b -> b.addListener(metrics.segmentClientListener()))) {
      metrics.bindTo(client);
      agent.failNext(1, dev.opagent.segment.ErrorCode.AGENT_UNAVAILABLE);
      client.analyze(Fixtures.seedActiveCustomer());
      assertThat(shared.find(OpagentMetrics.SEGMENT_RETRIES).counter()).isNotNull();

      metrics.close();
      metrics.close();
      agent.failNext(1, dev.opagent.segment.ErrorCode.TIMEOUT);
      client.analyze(Fixtures.seedNewCustomer());
    }

    assertThat(shared.getMeters())
        .extracting(Meter::getId)
        .extracting(Meter.Id::getName)
        .containsExactly("host.own.counter");
  }

  @Test
  void segmentLatency_recordsTheDurationTheClientReports() {
    OpagentMetrics metrics = OpagentMetrics.create(registry);

    metrics.segmentClientListener().onRequest(1);
    metrics.segmentClientListener().onResponse(Duration.ofMillis(1500));

    assertThat(
            registry
                .get(OpagentMetrics.SEGMENT_LATENCY)
                .tag("outcome", "success")
                .timer()
                .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isEqualTo(1500.0);
  }
}
