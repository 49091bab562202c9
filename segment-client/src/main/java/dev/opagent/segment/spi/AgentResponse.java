package dev.opagent.segment.spi;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The agent's successful answer as a transport received it. Immutable and thread-safe.
 *
 * @param contentType the response's content type, for example {@code application/json} or {@code
 *     text/event-stream}
 * @param body the whole body as text (for an event stream, the raw stream)
 * @param events for an event stream, the {@code data} of each event in order, reassembled across
 *     chunks; empty otherwise
 * @param requestId the AWS request id, if known
 */
public record AgentResponse(
    String contentType, String body, List<String> events, @Nullable String requestId) {

  /** Copies the events. */
  public AgentResponse {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    events = List.copyOf(events);
  }

  /** A plain (non-streaming) answer. */
  public static AgentResponse of(String contentType, String body, @Nullable String requestId) {
    return new AgentResponse(contentType, body, List.of(), requestId);
  }

  /** Whether the answer was a server-sent-event stream. */
  public boolean isEventStream() {
    return contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream");
  }

  @Override
  public String toString() {
    return "AgentResponse[contentType="
        + contentType
        + ", bodyChars="
        + body.length()
        + ", events="
        + events.size()
        + ", requestId="
        + requestId
        + "]";
  }
}
