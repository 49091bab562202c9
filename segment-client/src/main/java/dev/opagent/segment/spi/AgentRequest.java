package dev.opagent.segment.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One invocation of the agent, as a transport sends it. Immutable and thread-safe (the payload
 * array is owned by the request and must not be modified).
 *
 * @param agentRuntimeArn the agent runtime's ARN
 * @param qualifier the endpoint qualifier, for example {@code DEFAULT}
 * @param sessionId the runtime session id (33–256 characters)
 * @param userId the runtime user id, if the host sets one
 * @param customerId the customer the call is for (for transports that keep per-customer state;
 *     never log it unless payload logging is on)
 * @param payload the JSON payload, {@code {"customerData": …}}
 * @param trace the trace context to send with it ({@code traceParent}, {@code traceState}, {@code
 *     baggage}), if the client traces its calls
 */
public record AgentRequest(
    String agentRuntimeArn,
    String qualifier,
    String sessionId,
    @Nullable String userId,
    String customerId,
    byte[] payload,
    @Nullable TraceContext trace) {

  /** Checks that the required members are present. */
  public AgentRequest {
    Objects.requireNonNull(agentRuntimeArn, "agentRuntimeArn");
    Objects.requireNonNull(qualifier, "qualifier");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(payload, "payload");
  }

  /** A request without trace context. */
  public AgentRequest(
      String agentRuntimeArn,
      String qualifier,
      String sessionId,
      @Nullable String userId,
      String customerId,
      byte[] payload) {
    this(agentRuntimeArn, qualifier, sessionId, userId, customerId, payload, null);
  }

  @Override
  public String toString() {
    return "AgentRequest[qualifier=" + qualifier + ", payloadBytes=" + payload.length + "]";
  }
}
