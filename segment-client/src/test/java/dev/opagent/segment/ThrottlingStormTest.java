package dev.opagent.segment;

import static dev.opagent.segment.AgentWire.customer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.spi.AgentResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An agent behind a token bucket (AgentCore's per-endpoint request quota) that throttles every
 * request above its rate: the client must adapt and finish with zero failed customers.
 */
class ThrottlingStormTest {
  private final ScheduledExecutorService agentThreads = Executors.newScheduledThreadPool(4);

  @AfterEach
  void stopAgent() {
    agentThreads.shutdownNow();
  }

  /** A token bucket refilled at {@code ratePerSecond} up to {@code burst} tokens. */
  static final class TokenBucket {
    private final double ratePerSecond;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();

    TokenBucket(double ratePerSecond, double burst) {
      this.ratePerSecond = ratePerSecond;
      this.burst = burst;
      this.tokens = burst;
    }

    synchronized boolean tryTake() {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * ratePerSecond);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }

  @Test
  void analyzeAll_agentThrottlesAboveItsRate_finishesWithZeroFailedCustomers() {
    TokenBucket bucket = new TokenBucket(150, 10);
    InProcessAgent agent =
        InProcessAgent.of(
            request -> {
              if (!bucket.tryTake()) {
                return CompletableFuture.failedFuture(
                    new SegmentException(
                        ErrorCode.THROTTLED,
                        "the agent service answered 429 ThrottlingException",
                        0,
                        null,
                        429,
                        null));
              }
              CompletableFuture<AgentResponse> answer = new CompletableFuture<>();
              agentThreads.schedule(
                  () ->
                      answer.complete(
                          AgentResponse.of("application/json", InProcessAgent.ANSWER, null)),
                  20,
                  TimeUnit.MILLISECONDS);
              return answer;
            });
    List<CustomerData> in = IntStream.range(0, 200).mapToObj(i -> customer("C-" + i)).toList();
    try (SegmentClient client =
        agent.client(
            b ->
                b.initialRequestsPerSecond(400)
                    .backoff(Duration.ofMillis(20), Duration.ofMillis(500))
                    .maxConcurrency(64))) {
      List<SegmentOutcome> out = client.analyzeAll(in);
      assertThat(out).hasSize(200);
      assertThat(out.stream().filter(o -> !o.isSuccess()).toList())
          .as("failed customers")
          .isEmpty();
      SegmentClientStats stats = client.stats();
      assertThat(stats.throttled()).as("the storm happened").isGreaterThan(0);
      assertThat(stats.currentRatePerSecond()).isLessThan(400);
    }
  }
}
