package dev.opagent.agent.feedback;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link FeedbackLoop#record} made of an interaction: whether it was counted and, if not, why.
 * Immutable and thread-safe. Every outcome is also counted in {@link AttributionCounts}, so nothing
 * is dropped silently.
 *
 * @param outcome what happened to the interaction
 * @param idempotencyKey the action it was matched to: the attributed action for {@link
 *     Outcome#ATTRIBUTED}; for the other outcomes the action it would have belonged to, if one was
 *     found (null for {@link Outcome#UNATTRIBUTED_NO_DELIVERY} and {@link Outcome#KEY_MISMATCH})
 * @param type the interaction's type
 */
public record Attribution(Outcome outcome, @Nullable String idempotencyKey, InteractionType type) {

  /** Checks the values. */
  public Attribution {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(type, "type");
    if (outcome == Outcome.ATTRIBUTED && idempotencyKey == null) {
      throw new IllegalArgumentException("an attributed interaction needs the action's key");
    }
  }

  /** Whether the interaction was counted in the metrics. */
  public boolean isAttributed() {
    return outcome == Outcome.ATTRIBUTED;
  }

  /** The key of the action the interaction was matched to, if any. */
  public Optional<String> key() {
    return Optional.ofNullable(idempotencyKey);
  }

  /** The outcome of attributing one interaction. */
  public enum Outcome {
    /** Counted for the action with the key. */
    ATTRIBUTED,
    /**
     * No delivery is known for the key, or (without a key) for the customer and campaign. An
     * interaction that arrives before its delivery was recorded ends here too; report it again
     * after the delivery.
     */
    UNATTRIBUTED_NO_DELIVERY,
    /** The key names a delivery to another customer or of another campaign. Not counted. */
    KEY_MISMATCH,
    /** It happened more than the conversion window after the delivery. Not counted. */
    OUTSIDE_WINDOW,
    /** It happened before the delivery it names (or before every delivery). Not counted. */
    BEFORE_DELIVERY,
    /**
     * The customer already has a counted conversion in the campaign at or after this delivery: at
     * most one conversion per customer and campaign is counted per delivery cycle.
     */
    DUPLICATE_CONVERSION,
    /** The same open, click, coupon use or confirmation of the same action was counted before. */
    DUPLICATE_EVENT
  }
}
