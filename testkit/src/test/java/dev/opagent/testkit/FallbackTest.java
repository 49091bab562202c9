package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.ChurnSegment;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentException;
import dev.opagent.segment.SegmentOutcome;
import dev.opagent.segment.Source;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client's fallback to the reference segmenter as the simulated agent goes down and comes back.
 */
class FallbackTest {

  @RegisterExtension
  static final AgentSimulatorExtension AGENT =
      AgentSimulatorExtension.create(SimulatorConfig.builder().clock(Fixtures.seedClock()).build())
          .withClient(
              b ->
                  b.fallback(new ReferenceSegmenter(Fixtures.seedClock()))
                      .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                      .circuitBreaker(4, 8, Duration.ofMillis(300))
                      .disableCache());

  @Test
  void analyze_agentDownThenUp_fallsBackThenReturnsToTheAgent(
      SegmentClient client, AgentSimulator simulator) {
    CustomerData active = Fixtures.seedActiveCustomer();
    assertThat(client.analyzeDetailed(active, false).source()).isEqualTo(Source.AGENT);

    simulator.takeDown(Fault.INTERNAL_ERROR);
    SegmentOutcome.Success down = client.analyzeDetailed(active, false);
    assertThat(down.source()).isEqualTo(Source.FALLBACK);
    assertThat(down.attempts()).isEqualTo(4);
    assertThat(down.analysis().churnSegment()).isEqualTo(ChurnSegment.WARM);
    // The circuit is open now: further calls fall back without a request.
    long requests = simulator.stats().requests();
    SegmentOutcome.Success fast = client.analyzeDetailed(active, false);
    assertThat(fast.source()).isEqualTo(Source.FALLBACK);
    assertThat(fast.attempts()).isZero();
    assertThat(simulator.stats().requests()).isEqualTo(requests);

    simulator.bringUp();
    // The breaker lets a probe through once its delay has passed; wait for that real event.
    SegmentOutcome.Success recovered = client.analyzeDetailed(active, false);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (recovered.source() != Source.AGENT && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
      recovered = client.analyzeDetailed(active, false);
    }
    assertThat(recovered.source()).isEqualTo(Source.AGENT);
    assertThat(recovered.analysis()).isEqualTo(down.analysis());
    assertThat(client.stats().fallbacks()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void analyzeAll_agentDown_everyCustomerAnsweredByTheFallback(
      SegmentClient client, AgentSimulator simulator) {
    simulator.takeDown(Fault.DROPPED_CONNECTION);
    List<SegmentOutcome> out = client.analyzeAll(Fixtures.seedCustomers());
    assertThat(out)
        .allSatisfy(
            o -> {
              assertThat(o).isInstanceOf(SegmentOutcome.Success.class);
              assertThat(((SegmentOutcome.Success) o).source()).isEqualTo(Source.FALLBACK);
            });
  }

  @Test
  void analyze_invalidInput_neverFallsBack(SegmentClient client, AgentSimulator simulator) {
    simulator.takeDown(Fault.INTERNAL_ERROR);
    CustomerData invalid =
        CustomerData.fromJson("{\"customerId\":\"C-X\",\"customer\":{\"age\":-4}}");
    try {
      client.analyze(invalid);
      throw new AssertionError("expected invalid input to fail");
    } catch (SegmentException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    }
    assertThat(client.stats().fallbacks()).isZero();
  }
}
