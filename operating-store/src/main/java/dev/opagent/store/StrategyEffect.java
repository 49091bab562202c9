package dev.opagent.store;

import dev.opagent.agent.feedback.Metrics;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of the store's strategy effects: the metrics of the actions of one campaign and action
 * type delivered to one segment in one experiment variant. Immutable and thread-safe.
 *
 * <p>Summed over segments and variants the rows give {@code FeedbackLoop}'s metrics per strategy
 * and campaign; over campaigns and action types, its metrics per segment; over action types and
 * segments, its metrics per variant.
 *
 * @param campaign the campaign (rule id)
 * @param actionType the action type, such as {@code send_email}
 * @param segment the segment key the actions carried, or null when they carried none
 * @param variant the experiment variant the actions carried, or null when they carried none
 * @param metrics delivered, opened, clicked, coupons used, conversions, revenue and cost
 */
public record StrategyEffect(
    String campaign,
    String actionType,
    @Nullable String segment,
    @Nullable String variant,
    Metrics metrics) {

  /** Checks the values. */
  public StrategyEffect {
    Objects.requireNonNull(campaign, "campaign");
    Objects.requireNonNull(actionType, "actionType");
    Objects.requireNonNull(metrics, "metrics");
  }
}
