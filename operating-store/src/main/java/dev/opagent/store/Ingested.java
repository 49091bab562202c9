package dev.opagent.store;

import dev.opagent.agent.feedback.Attribution;
import java.util.Objects;

/**
 * What {@link FeedbackStore#ingest} did with one interaction. Immutable and thread-safe.
 *
 * @param interactionId the interaction's deduplication key ({@link FeedbackStore#interactionId})
 * @param attribution the attribution it has in the store: the one it got now, or, for a duplicate,
 *     the one it got when it was first ingested
 * @param duplicate true when the store already held the interaction and nothing was counted now (an
 *     interaction stored as {@link Attribution.Outcome#UNATTRIBUTED_NO_DELIVERY} whose delivery has
 *     been recorded since is attributed again, and is then not a duplicate)
 */
public record Ingested(String interactionId, Attribution attribution, boolean duplicate) {

  /** Checks the values. */
  public Ingested {
    Objects.requireNonNull(interactionId, "interactionId");
    Objects.requireNonNull(attribution, "attribution");
  }
}
