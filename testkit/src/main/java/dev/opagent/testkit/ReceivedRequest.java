package dev.opagent.testkit;

import dev.opagent.segment.spi.TraceContext;
import org.jspecify.annotations.Nullable;

/**
 * What one invocation the simulator received carried besides its payload.
 *
 * @param sessionId the runtime session id (the simulator's own when the request had none)
 * @param runtimeUserId the runtime user id header, if any
 * @param trace the W3C trace context headers (empty when none were sent)
 */
public record ReceivedRequest(
    String sessionId, @Nullable String runtimeUserId, TraceContext trace) {}
