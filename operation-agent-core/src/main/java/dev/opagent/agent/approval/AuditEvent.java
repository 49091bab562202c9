package dev.opagent.agent.approval;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the approval audit trail. Immutable and thread-safe. The trail is append-only: an
 * event is never changed or removed.
 *
 * @param at when it happened
 * @param type what happened
 * @param requestId the request it concerns
 * @param key the request's key
 * @param actor who did it ({@code system} for expiry)
 * @param reason why, as given by the actor, or the request's summary for {@link Type#REQUESTED}
 */
public record AuditEvent(
    Instant at, Type type, String requestId, ApprovalKey key, String actor, String reason) {

  public AuditEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason");
  }

  /** Kinds of audit events. */
  public enum Type {
    /** A request was created. */
    REQUESTED,
    /** A request was granted. */
    GRANTED,
    /** A request was rejected. */
    REJECTED,
    /** A pending request passed its deadline, or a grant its validity (recorded when noticed). */
    EXPIRED
  }
}
