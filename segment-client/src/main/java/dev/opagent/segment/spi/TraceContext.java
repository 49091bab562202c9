package dev.opagent.segment.spi;

import org.jspecify.annotations.Nullable;

/**
 * The W3C trace context an agent call carries to AgentCore, so that the agent's own spans join the
 * caller's trace: {@code InvokeAgentRuntime}'s {@code traceParent}, {@code traceState} and {@code
 * baggage}. It carries identifiers only, never customer data.
 *
 * @param traceParent the {@code traceparent} header value, such as {@code
 *     00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}
 * @param traceState the {@code tracestate} header value, if any
 * @param baggage the {@code baggage} header value, if any
 */
public record TraceContext(
    @Nullable String traceParent, @Nullable String traceState, @Nullable String baggage) {

  /** Whether it carries nothing. */
  public boolean isEmpty() {
    return traceParent == null && traceState == null && baggage == null;
  }
}
