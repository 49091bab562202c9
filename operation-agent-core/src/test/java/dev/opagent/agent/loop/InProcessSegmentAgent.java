package dev.opagent.agent.loop;

import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.segment.SegmentException;
import dev.opagent.segment.spi.AgentRequest;
import dev.opagent.segment.spi.AgentResponse;
import dev.opagent.segment.spi.AgentTransport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A segment agent in the test's process: answers every request with the reference segmenter, counts
 * the requests per customer, and can be taken down (every request then fails as a 500 would).
 * Thread-safe.
 */
final class InProcessSegmentAgent implements AgentTransport {
  static final String ARN =
      "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/segment_agent-test";

  private final ReferenceSegmenter segmenter;
  private final ConcurrentHashMap<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private volatile boolean down;

  InProcessSegmentAgent(Clock clock) {
    this.segmenter = new ReferenceSegmenter(clock);
  }

  @Override
  public CompletableFuture<AgentResponse> invoke(AgentRequest request) {
    requests.incrementAndGet();
    calls.computeIfAbsent(request.customerId(), k -> new AtomicLong()).incrementAndGet();
    if (down) {
      return CompletableFuture.failedFuture(
          new SegmentException(
              ErrorCode.AGENT_UNAVAILABLE,
              "the agent answered HTTP 500 (InternalServerException)"));
    }
    CustomerData data =
        CustomerData.fromJson(new String(request.payload(), StandardCharsets.UTF_8));
    String body = "{\"analysis\": " + segmenter.analyze(data).toJson() + "}";
    return CompletableFuture.completedFuture(AgentResponse.of("application/json", body, null));
  }

  /** A new client of this agent (a process start), with fast retries. */
  SegmentClient client(Consumer<SegmentClientBuilder> options) {
    SegmentClientBuilder b =
        SegmentClient.builder()
            .agentRuntimeArn(ARN)
            .transport(this)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .maxAttempts(2)
            .initialRequestsPerSecond(1_000_000);
    options.accept(b);
    return b.build();
  }

  SegmentClient client() {
    return client(b -> {});
  }

  void takeDown() {
    down = true;
  }

  void bringUp() {
    down = false;
  }

  long requests() {
    return requests.get();
  }

  long callsFor(String customerId) {
    AtomicLong n = calls.get(customerId);
    return n == null ? 0 : n.get();
  }
}
