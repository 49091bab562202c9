package dev.opagent.agent.loop;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one round of the operation loop did for one customer: exactly one per customer in. Immutable
 * and thread-safe.
 *
 * @param customerId the customer (null only for an input record without a readable id)
 * @param index the customer's position in the round's input
 * @param stage how far the customer went
 * @param detail why it stopped there (an error code and message, a reason), without personal data
 * @param actionKeys the idempotency keys of the actions journalled for the customer
 */
public record CustomerOutcome(
    @Nullable String customerId,
    long index,
    Stage stage,
    @Nullable String detail,
    List<String> actionKeys) {

  /** Checks the values. */
  public CustomerOutcome {
    Objects.requireNonNull(stage, "stage");
    actionKeys = List.copyOf(actionKeys);
  }

  /** How far a customer went in a round. */
  public enum Stage {
    /** The segment agent (and any fallback) failed for the customer; see the detail. */
    SEGMENTATION_FAILED,
    /** Segmented; no campaign matched. */
    NOT_ELIGIBLE,
    /** Every matching campaign held the customer out (control group, global holdout). */
    HELD_OUT,
    /** Eligible, but every candidate action was blocked, deferred or suppressed. */
    NO_ACTION_CHOSEN,
    /** At least one action was chosen and journalled. */
    ACTIONS_PLANNED
  }
}
