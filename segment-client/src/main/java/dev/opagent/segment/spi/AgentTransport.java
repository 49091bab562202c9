package dev.opagent.segment.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one invocation to the agent. The default transport uses the AWS SDK's {@code
 * BedrockAgentCoreAsyncClient}; hosts replace it for in-process fakes or benchmarks.
 *
 * <p>Implementations must be thread-safe. A transport makes exactly one request per call and never
 * retries: retry, rate adaptation and circuit breaking are the client's. It completes the future
 * exceptionally with a {@link dev.opagent.segment.SegmentException} carrying the right {@link
 * dev.opagent.segment.ErrorCode} (any other exception counts as {@code AGENT_UNAVAILABLE}), and
 * aborts the request when the returned future is cancelled.
 *
 * <p>{@link #invoke(AgentRequest)} must never block: it starts the request and returns its future
 * at once (a future already complete is fine, for a transport that answers in process). The client
 * sends a call's first attempt on the caller's thread, so a transport that blocks in {@code invoke}
 * blocks its caller, including {@code analyzeAsync} and batch callers; one that waits for I/O
 * should complete the future from its own threads instead.
 */
public interface AgentTransport extends AutoCloseable {

  /**
   * Sends {@code request} once, without blocking: the returned future completes when the agent has
   * answered.
   */
  CompletableFuture<AgentResponse> invoke(AgentRequest request);

  /**
   * Stops a runtime session so that its microVM no longer counts against the active-session quota.
   * The default does nothing.
   */
  default CompletableFuture<Void> stopSession(
      String agentRuntimeArn, String qualifier, String sessionId) {
    return CompletableFuture.completedFuture(null);
  }

  /** Releases the transport's resources. The default does nothing. */
  @Override
  default void close() {}
}
