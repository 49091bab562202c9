package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.BatchOptions;
import dev.opagent.segment.BatchSummary;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.segment.SegmentClientListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A first pass over many customers never opens the circuit breaker: time spent queueing for a
 * permit or a rate slot is not time the agent took, and local waits are not agent failures.
 */
class ColdStartBreakerTest {

  @Test
  void analyzeStream_queueWaitFarBeyondTheAttemptTimeout_noTimeoutAndTheCircuitStaysClosed() {
    SimulatorConfig config =
        SimulatorConfig.builder()
            .clock(Fixtures.seedClock())
            .latency(Latency.fixed(Duration.ofMillis(20)))
            .build();
    try (AgentSimulator simulator = AgentSimulator.start(config)) {
      Recorder recorder = new Recorder();
      // Two requests at a time, 20 ms each: the last of 200 customers waits about 2 s for a
      // permit, ten times the attempt timeout, and the breaker opens after 3 outages.
      BatchSummary summary =
          run(
              simulator,
              recorder,
              200,
              b ->
                  b.maxConcurrency(2)
                      .initialRequestsPerSecond(1_000_000)
                      .attemptTimeout(Duration.ofMillis(200))
                      .circuitBreaker(3, 6, Duration.ofSeconds(30))
                      .disableCache());

      assertThat(summary.failed()).as("failed by code %s", summary.failedByCode()).isZero();
      assertThat(recorder.requestFailures).doesNotContainKey(ErrorCode.TIMEOUT);
      assertThat(recorder.opened).hasValue(0);
    }
  }

  @Test
  void analyzeStream_everyDefault_5000CustomersAtZeroLatency_theCircuitStaysClosed() {
    try (AgentSimulator simulator =
        AgentSimulator.start(SimulatorConfig.builder().clock(Fixtures.seedClock()).build())) {
      Recorder recorder = new Recorder();

      BatchSummary summary = run(simulator, recorder, 5_000, b -> {});

      assertThat(summary.failed()).as("failed by code %s", summary.failedByCode()).isZero();
      assertThat(recorder.requestFailures).isEmpty();
      assertThat(recorder.opened).hasValue(0);
    }
  }

  private static BatchSummary run(
      AgentSimulator simulator,
      Recorder recorder,
      int customers,
      Consumer<SegmentClientBuilder> options) {
    SegmentClientBuilder builder =
        SegmentClient.builder()
            .agentRuntimeArn(simulator.agentRuntimeArn())
            .endpointOverride(simulator.endpoint())
            .region(Region.US_WEST_2)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .addListener(recorder);
    options.accept(builder);
    List<CustomerData> population = PopulationGenerator.ofSeed(7).stream(customers).toList();
    try (SegmentClient client = builder.build()) {
      return client.analyzeStream(population.iterator(), o -> {}, BatchOptions.ofDefaults());
    }
  }

  private static final class Recorder implements SegmentClientListener {
    final Map<ErrorCode, LongAdder> requestFailures = new ConcurrentHashMap<>();
    final AtomicInteger opened = new AtomicInteger();

    @Override
    public void onRequestFailure(ErrorCode code, Duration latency) {
      requestFailures.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    @Override
    public void onCircuitStateChange(boolean open) {
      if (open) {
        opened.incrementAndGet();
      }
    }
  }
}
