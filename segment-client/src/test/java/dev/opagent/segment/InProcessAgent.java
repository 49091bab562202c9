package dev.opagent.segment;

import dev.opagent.segment.spi.AgentRequest;
import dev.opagent.segment.spi.AgentResponse;
import dev.opagent.segment.spi.AgentTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** An in-process agent for tests that need speed or control the wire cannot give. */
final class InProcessAgent implements AgentTransport {
  static final String ANSWER = AgentWire.ANSWER;

  /** A request the agent received and has not answered yet. */
  record Pending(AgentRequest request, CompletableFuture<AgentResponse> future) {
    String customerId() {
      return request.customerId();
    }

    void answer() {
      future.complete(AgentResponse.of("application/json", ANSWER, null));
    }
  }

  private final Function<AgentRequest, CompletableFuture<AgentResponse>> behaviour;
  private final boolean recording;

  /** Every request received, when recording (not for the instant agent of large streams). */
  final List<Pending> received = new CopyOnWriteArrayList<>();

  final AtomicInteger requests = new AtomicInteger();

  private InProcessAgent(
      Function<AgentRequest, CompletableFuture<AgentResponse>> behaviour, boolean recording) {
    this.behaviour = behaviour;
    this.recording = recording;
  }

  /** Answers every request at once. */
  static InProcessAgent instant() {
    return new InProcessAgent(
        r -> CompletableFuture.completedFuture(AgentResponse.of("application/json", ANSWER, null)),
        false);
  }

  /** Answers every request at once and records it. */
  static InProcessAgent instantRecording() {
    return new InProcessAgent(
        r -> CompletableFuture.completedFuture(AgentResponse.of("application/json", ANSWER, null)),
        true);
  }

  /** Answers only when the test completes the pending request. */
  static InProcessAgent manual() {
    return new InProcessAgent(r -> new CompletableFuture<>(), true);
  }

  /** Answers as {@code behaviour} decides. */
  static InProcessAgent of(Function<AgentRequest, CompletableFuture<AgentResponse>> behaviour) {
    return new InProcessAgent(behaviour, false);
  }

  @Override
  public CompletableFuture<AgentResponse> invoke(AgentRequest request) {
    requests.incrementAndGet();
    CompletableFuture<AgentResponse> answer = behaviour.apply(request);
    if (recording) {
      received.add(new Pending(request, answer));
    }
    return answer;
  }

  SegmentClient client(java.util.function.Consumer<SegmentClientBuilder> options) {
    SegmentClientBuilder b =
        SegmentClient.builder()
            .agentRuntimeArn(AgentWire.ARN)
            .transport(this)
            .backoff(Duration.ofMillis(5), Duration.ofMillis(50))
            .initialRequestsPerSecond(1_000_000);
    options.accept(b);
    return b.build();
  }
}
