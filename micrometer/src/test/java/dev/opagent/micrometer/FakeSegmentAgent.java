package dev.opagent.micrometer;

import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.segment.SegmentException;
import dev.opagent.segment.spi.AgentRequest;
import dev.opagent.segment.spi.AgentResponse;
import dev.opagent.segment.spi.AgentTransport;
import dev.opagent.testkit.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A segment agent in the test's process: answers every request with the reference segmenter, fails
 * the next requests as scripted, can be taken down (every request fails as a 500 would) and can
 * hold its answers until released. Thread-safe.
 */
final class FakeSegmentAgent implements AgentTransport {
  static final String ARN =
      "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/segment_agent-metrics";

  private final ReferenceSegmenter segmenter = new ReferenceSegmenter(Fixtures.seedClock());
  private final ConcurrentLinkedQueue<ErrorCode> script = new ConcurrentLinkedQueue<>();
  private final AtomicLong requests = new AtomicLong();
  private volatile boolean down;
  private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

  @Override
  public CompletableFuture<AgentResponse> invoke(AgentRequest request) {
    requests.incrementAndGet();
    ErrorCode failure = script.poll();
    if (failure != null) {
      return CompletableFuture.failedFuture(new SegmentException(failure, "scripted " + failure));
    }
    if (down) {
      return CompletableFuture.failedFuture(
          new SegmentException(
              ErrorCode.AGENT_UNAVAILABLE,
              "the agent answered HTTP 500 (InternalServerException)"));
    }
    CustomerData data =
        CustomerData.fromJson(new String(request.payload(), StandardCharsets.UTF_8));
    AgentResponse answer =
        AgentResponse.of(
            "application/json", "{\"analysis\": " + segmenter.analyze(data).toJson() + "}", null);
    return gate.thenApply(v -> answer);
  }

  /**
   * A client of this agent with fast retries, the rate limiter out of the way, no circuit breaker
   * unless {@code options} sets one.
   */
  SegmentClient client(Consumer<SegmentClientBuilder> options) {
    SegmentClientBuilder b =
        SegmentClient.builder()
            .agentRuntimeArn(ARN)
            .transport(this)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .maxAttempts(3)
            .initialRequestsPerSecond(1_000)
            .disableCircuitBreaker();
    options.accept(b);
    return b.build();
  }

  /** The next {@code n} requests fail with {@code code}. */
  void failNext(int n, ErrorCode code) {
    for (int i = 0; i < n; i++) {
      script.add(code);
    }
  }

  void takeDown() {
    down = true;
  }

  void bringUp() {
    down = false;
  }

  /** Answers are held until {@link #release()}. */
  void hold() {
    gate = new CompletableFuture<>();
  }

  void release() {
    gate.complete(null);
  }

  long requests() {
    return requests.get();
  }
}
