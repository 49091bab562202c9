package dev.opagent.segment;

import dev.opagent.segment.spi.TraceContext;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Traces the client's calls: one span per call and one per attempt sent to the agent, whose context
 * travels with the request ({@link dev.opagent.segment.spi.AgentRequest#trace()}). The {@code
 * opagent-opentelemetry} module implements it on the OpenTelemetry API. Implementations must be
 * thread-safe and quick; an exception they throw is logged and ignored, never failing a call.
 */
public interface CallTracer {

  /**
   * A call begins, on the thread that made it: the caller's current context is its parent. Calls
   * answered from the client's cache are not traced.
   *
   * @param agentRuntimeArn the agent called
   * @param qualifier the endpoint called
   */
  Call begin(String agentRuntimeArn, String qualifier);

  /** One traced call. */
  interface Call {

    /**
     * An attempt is about to be sent (possibly on another thread than the call's): its span starts,
     * a child of the call's.
     *
     * @param number 1 for the first attempt
     */
    Attempt attempt(int number);

    /**
     * The call ended: answered ({@code source} says by whom) or failed with {@code failure}.
     *
     * @param attempts the attempts sent
     */
    void end(@Nullable Source source, @Nullable ErrorCode failure, int attempts);
  }

  /** One traced attempt. */
  interface Attempt {

    /** The context to send with the request; null to send none. */
    @Nullable TraceContext context();

    /**
     * The attempt ended after {@code latency}: answered when {@code failure} is null.
     *
     * @param statusCode the HTTP status, when known
     */
    void end(@Nullable ErrorCode failure, @Nullable Integer statusCode, Duration latency);
  }
}
