package dev.opagent.agent.approval;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request for approval and its current state. Immutable and thread-safe; a grant or rejection
 * produces a new instance with the same id.
 *
 * @param id unique id
 * @param key what it is for
 * @param summary why approval is needed, without personal data (for example {@code "discount 20% >=
 *     20%"})
 * @param requestedBy who asked (a user, a tool, {@code decision-engine})
 * @param requestedAt when it was asked
 * @param deadline the request expires unanswered at this instant
 * @param status the state as stored; {@link #statusAt(Instant)} also accounts for time
 * @param decidedBy who granted or rejected it; null while pending
 * @param decidedAt when; null while pending
 * @param reason the decider's reason; null while pending
 * @param validUntil a grant is valid until this instant; null unless granted
 * @param cost the expected cost, in the budget currency, of the action whose decision filed the
 *     request (for a campaign-scope request, the first such action); null when not known, as for a
 *     request filed by a person or a tool
 */
public record ApprovalRequest(
    String id,
    ApprovalKey key,
    String summary,
    String requestedBy,
    Instant requestedAt,
    Instant deadline,
    ApprovalStatus status,
    @Nullable String decidedBy,
    @Nullable Instant decidedAt,
    @Nullable String reason,
    @Nullable Instant validUntil,
    @Nullable BigDecimal cost) {

  public ApprovalRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(requestedBy, "requestedBy");
    Objects.requireNonNull(requestedAt, "requestedAt");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(status, "status");
  }

  /**
   * The status at {@code now}: a pending request past its deadline, or a grant past its validity,
   * is {@link ApprovalStatus#EXPIRED}.
   */
  public ApprovalStatus statusAt(Instant now) {
    if (status == ApprovalStatus.PENDING && !now.isBefore(deadline)) {
      return ApprovalStatus.EXPIRED;
    }
    if (status == ApprovalStatus.APPROVED && validUntil != null && !now.isBefore(validUntil)) {
      return ApprovalStatus.EXPIRED;
    }
    return status;
  }

  ApprovalRequest decided(
      ApprovalStatus newStatus,
      @Nullable String actor,
      Instant at,
      @Nullable String why,
      @Nullable Instant until) {
    return new ApprovalRequest(
        id,
        key,
        summary,
        requestedBy,
        requestedAt,
        deadline,
        newStatus,
        actor,
        at,
        why,
        until,
        cost);
  }
}
