package dev.opagent.agent.execution.spi;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An action's entry in the execution journal: the request, where it is in its lifecycle, how many
 * delivery attempts were made, when, and the last error. Immutable and thread-safe; the journal
 * hands out a new record for every change.
 *
 * @param request the action, as journalled before anything was sent
 * @param state where it is
 * @param attempts delivery attempts made so far (over every claim)
 * @param createdAt when it was journalled
 * @param updatedAt when it last changed
 * @param owner the executor that claimed it, while {@link ExecutionState#EXECUTING}
 * @param leaseUntil until when the owner's claim holds; after that another executor may take over
 * @param lastError the last failure, without personal data
 * @param receipt the channel's receipt once {@link ExecutionState#COMPLETED}
 */
public record ExecutionRecord(
    ActionRequest request,
    ExecutionState state,
    int attempts,
    Instant createdAt,
    Instant updatedAt,
    @Nullable String owner,
    @Nullable Instant leaseUntil,
    @Nullable String lastError,
    @Nullable DeliveryReceipt receipt) {

  /** Checks the values. */
  public ExecutionRecord {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative but was " + attempts);
    }
  }

  /** A new entry for {@code request}: pending, no attempts. */
  public static ExecutionRecord pending(ActionRequest request, Instant now) {
    return new ExecutionRecord(
        request, ExecutionState.PENDING, 0, now, now, null, null, null, null);
  }

  /** The request's idempotency key. */
  public String key() {
    return request.idempotencyKey();
  }

  /** The round that planned it. */
  public String runId() {
    return request.runId();
  }
}
