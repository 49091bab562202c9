package dev.opagent.micrometer;

import static io.micrometer.core.tck.MeterRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentException;
import dev.opagent.segment.Source;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.PopulationGenerator;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The segment client's meters, driven by a real client against an in-process agent. */
class SegmentClientMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OpagentMetrics metrics = OpagentMetrics.create(registry);
  private final FakeSegmentAgent agent = new FakeSegmentAgent();
  private final List<SegmentClient> clients = new ArrayList<>();

  @AfterEach
  void close() {
    clients.forEach(SegmentClient::close);
  }

  private SegmentClient client(
      java.util.function.Consumer<dev.opagent.segment.SegmentClientBuilder> o) {
    SegmentClient c = agent.client(b -> o.accept(b.addListener(metrics.segmentClientListener())));
    clients.add(c);
    metrics.bindTo(c);
    return c;
  }

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void analyze_distinctCustomersThenRepeats_countsRequestsLatencyAndCache() {
    SegmentClient client = client(b -> {});
    List<CustomerData> customers = PopulationGenerator.ofSeed(7).list(5);

    for (CustomerData c : customers) {
      client.analyze(c);
    }
    client.analyze(customers.get(0));
    client.analyze(customers.get(1));

    assertThat(count(OpagentMetrics.SEGMENT_REQUESTS, "outcome", "success", "error", "none"))
        .isEqualTo(5);
    Timer latency = registry.get(OpagentMetrics.SEGMENT_LATENCY).tag("outcome", "success").timer();
    assertThat(latency.count()).isEqualTo(5);
    assertThat(latency.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    assertThat(count(OpagentMetrics.SEGMENT_CACHE, "result", "miss")).isEqualTo(5);
    assertThat(count(OpagentMetrics.SEGMENT_CACHE, "result", "hit")).isEqualTo(2);
    assertThat(count(OpagentMetrics.SEGMENT_CACHE, "result", "deduplicated")).isZero();
    assertThat(
            registry
                .get(OpagentMetrics.SEGMENT_CALLS)
                .tag("outcome", "success")
                .functionCounter()
                .count())
        .isEqualTo(7);
    assertThat(registry.get(OpagentMetrics.SEGMENT_REQUESTS_ACTIVE).gauge().value()).isZero();
    assertThat(registry.get(OpagentMetrics.SEGMENT_CIRCUIT_OPEN).gauge().value()).isZero();
    assertThat(registry.get(OpagentMetrics.SEGMENT_ADAPTIVE_RATE).gauge().value())
        .isEqualTo(client.stats().currentRatePerSecond())
        .isPositive();
    assertThat(registry)
        .hasMeterWithName(OpagentMetrics.SEGMENT_THROTTLES)
        .doesNotHaveMeterWithName(OpagentMetrics.SEGMENT_RETRIES)
        .doesNotHaveMeterWithName(OpagentMetrics.SEGMENT_FALLBACKS);
    Privacy.assertNoTagHolds(registry, customers.stream().map(CustomerData::customerId).toList());
  }

  @Test
  void analyze_latencyTimer_asksForAPercentileHistogramUpToFifteenMinutes() {
    List<DistributionStatisticConfig> configs = new ArrayList<>();
    SimpleMeterRegistry histograms = new SimpleMeterRegistry();
    histograms.config().meterFilter(capture(OpagentMetrics.SEGMENT_LATENCY, configs));
    OpagentMetrics on = OpagentMetrics.create(histograms);
    SegmentClient client = agent.client(b -> b.addListener(on.segmentClientListener()));
    clients.add(client);

    client.analyze(Fixtures.seedActiveCustomer());

    assertThat(configs)
        .isNotEmpty()
        .allSatisfy(
            c -> {
              assertThat(c.isPercentileHistogram()).isTrue();
              assertThat(c.getMaximumExpectedValueAsDouble())
                  .isEqualTo(Duration.ofMinutes(15).toNanos());
            });
    assertThat(histograms.get(OpagentMetrics.SEGMENT_LATENCY).timer().count()).isEqualTo(1);
  }

  @Test
  void build_percentileHistogramsOff_latencyTimerAsksForNone() {
    List<DistributionStatisticConfig> configs = new ArrayList<>();
    SimpleMeterRegistry plain = new SimpleMeterRegistry();
    plain.config().meterFilter(capture(OpagentMetrics.SEGMENT_LATENCY, configs));

    OpagentMetrics.builder()
        .registry(plain)
        .percentileHistograms(false)
        .build()
        .segmentClientListener();

    assertThat(configs).isNotEmpty().noneMatch(DistributionStatisticConfig::isPercentileHistogram);
  }

  /** A filter that keeps the histogram configuration each meter named {@code name} asks for. */
  static MeterFilter capture(String name, List<DistributionStatisticConfig> into) {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (id.getName().equals(name)) {
          into.add(config);
        }
        return config;
      }
    };
  }

  @Test
  void analyze_failuresThenSuccess_countsFailedRequestsByCodeRetriesAndOneCall() {
    SegmentClient client = client(b -> b.maxAttempts(3));
    agent.failNext(2, ErrorCode.AGENT_UNAVAILABLE);

    SegmentAnalysis analysis = client.analyze(Fixtures.seedActiveCustomer());

    assertThat(analysis).isNotNull();
    assertThat(
            count(
                OpagentMetrics.SEGMENT_REQUESTS,
                "outcome",
                "failure",
                "error",
                "agent_unavailable"))
        .isEqualTo(2);
    assertThat(count(OpagentMetrics.SEGMENT_REQUESTS, "outcome", "success", "error", "none"))
        .isEqualTo(1);
    assertThat(count(OpagentMetrics.SEGMENT_RETRIES, "error", "agent_unavailable")).isEqualTo(2);
    assertThat(registry.get(OpagentMetrics.SEGMENT_LATENCY).timers())
        .extracting(Timer::count)
        .containsExactlyInAnyOrder(2L, 1L);
    assertThat(
            registry.get(OpagentMetrics.SEGMENT_CALLS).tag("outcome", "success").functionCounter())
        .satisfies(c -> assertThat(c.count()).isEqualTo(1));
  }

  @Test
  void analyze_throttled_countsTheThrottleAndTheRateGaugeFalls() {
    SegmentClient client = client(b -> b.maxAttempts(2));
    double before = registry.get(OpagentMetrics.SEGMENT_ADAPTIVE_RATE).gauge().value();
    agent.failNext(1, ErrorCode.THROTTLED);

    client.analyze(Fixtures.seedActiveCustomer());

    assertThat(count(OpagentMetrics.SEGMENT_THROTTLES)).isEqualTo(1);
    assertThat(count(OpagentMetrics.SEGMENT_REQUESTS, "outcome", "failure", "error", "throttled"))
        .isEqualTo(1);
    assertThat(count(OpagentMetrics.SEGMENT_RETRIES, "error", "throttled")).isEqualTo(1);
    assertThat(registry.get(OpagentMetrics.SEGMENT_ADAPTIVE_RATE).gauge().value())
        .isLessThan(before);
  }

  @Test
  void analyze_agentFailsRepeatedly_circuitGaugeOpensThenClosesWhenTheAgentAnswers()
      throws Exception {
    SegmentClient client =
        client(b -> b.maxAttempts(1).circuitBreaker(3, 3, Duration.ofMillis(200)));
    List<CustomerData> customers = PopulationGenerator.ofSeed(11).list(6);
    agent.takeDown();

    for (int i = 0; i < 2; i++) {
      CustomerData c = customers.get(i);
      assertThatThrownBy(() -> client.analyze(c)).isInstanceOf(SegmentException.class);
    }
    assertThat(registry.get(OpagentMetrics.SEGMENT_CIRCUIT_OPEN).gauge().value()).isZero();
    assertThatThrownBy(() -> client.analyze(customers.get(2))).isInstanceOf(SegmentException.class);
    assertThat(registry.get(OpagentMetrics.SEGMENT_CIRCUIT_OPEN).gauge().value()).isEqualTo(1);
    assertThatThrownBy(() -> client.analyze(customers.get(3)))
        .isInstanceOfSatisfying(
            SegmentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CIRCUIT_OPEN));

    assertThat(
            count(
                OpagentMetrics.SEGMENT_REQUESTS,
                "outcome",
                "failure",
                "error",
                "agent_unavailable"))
        .isEqualTo(3);
    assertThat(agent.requests()).isEqualTo(3);
    assertThat(
            registry.get(OpagentMetrics.SEGMENT_CALLS).tag("outcome", "failure").functionCounter())
        .satisfies(c -> assertThat(c.count()).isEqualTo(4));

    agent.bringUp();
    Thread.sleep(300); // the breaker's delay: the next call is its half-open trial
    client.analyze(customers.get(4));
    assertThat(registry.get(OpagentMetrics.SEGMENT_CIRCUIT_OPEN).gauge().value()).isZero();
  }

  @Test
  void analyze_agentDownWithFallback_countsTheFallbackByCode() {
    SegmentClient client =
        client(b -> b.maxAttempts(1).fallback(new ReferenceSegmenter(Fixtures.seedClock())));
    agent.takeDown();

    var outcome = client.analyzeDetailed(Fixtures.seedActiveCustomer(), false);

    assertThat(outcome.source()).isEqualTo(Source.FALLBACK);
    assertThat(count(OpagentMetrics.SEGMENT_FALLBACKS, "error", "agent_unavailable")).isEqualTo(1);
  }

  @Test
  void analyzeAsync_identicalCallWhileTheFirstIsInFlight_countsDeduplicatedAndOneActiveRequest() {
    SegmentClient client = client(b -> {});
    agent.hold();
    CustomerData customer = Fixtures.seedActiveCustomer();

    CompletableFuture<SegmentAnalysis> first = client.analyzeAsync(customer);
    CompletableFuture<SegmentAnalysis> second = client.analyzeAsync(customer);

    assertThat(registry.get(OpagentMetrics.SEGMENT_REQUESTS_ACTIVE).gauge().value()).isEqualTo(1);
    assertThat(count(OpagentMetrics.SEGMENT_CACHE, "result", "deduplicated")).isEqualTo(1);
    agent.release();
    assertThat(first.join()).isEqualTo(second.join());
    assertThat(registry.get(OpagentMetrics.SEGMENT_REQUESTS_ACTIVE).gauge().value()).isZero();
    assertThat(count(OpagentMetrics.SEGMENT_REQUESTS, "outcome", "success", "error", "none"))
        .isEqualTo(1);
  }

  @Test
  void bindTo_secondClient_failsNamingTheWayOut() {
    client(b -> {});
    SegmentClient other = agent.client(b -> {});
    clients.add(other);

    assertThatThrownBy(() -> metrics.bindTo(other))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("its own OpagentMetrics");
  }

  @Test
  void segmentClientListener_twoClientsTaggedApart_eachHasItsOwnSeries() {
    SegmentClient first = client(b -> {});
    OpagentMetrics second =
        OpagentMetrics.builder().registry(registry).addTag("agent", "b").build();
    SegmentClient other = agent.client(b -> b.addListener(second.segmentClientListener()));
    clients.add(other);
    second.bindTo(other);

    first.analyze(Fixtures.seedActiveCustomer());
    other.analyze(Fixtures.seedActiveCustomer());
    other.analyze(Fixtures.seedNewCustomer());

    assertThat(
            registry
                .get(OpagentMetrics.SEGMENT_REQUESTS)
                .tags(Tags.of("agent", "b", "outcome", "success"))
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(registry.get(OpagentMetrics.SEGMENT_ADAPTIVE_RATE).gauges()).hasSize(2);
  }
}
