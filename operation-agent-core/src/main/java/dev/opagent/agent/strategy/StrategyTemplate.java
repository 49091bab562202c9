package dev.opagent.agent.strategy;

import dev.opagent.rules.Rule;
import dev.opagent.rules.condition.Condition;
import java.util.List;
import java.util.Objects;

/**
 * One entry of the template library: whom a strategy targets, what it does, what it is expected to
 * achieve before any history is known, and what it costs. Immutable and thread-safe.
 *
 * @param id unique within the library; letters, digits and {@code _ - . :} (it becomes part of a
 *     rule id)
 * @param type the kind of strategy
 * @param name short human-readable name
 * @param description why the strategy exists, for reviewers
 * @param target who qualifies: a campaign-rules condition over the documented attribute paths
 *     ({@code segments.churnSegment}, {@code attributes.purchase_stage}, {@code
 *     derived.daysSinceLastPurchase}, …), compiled in strict mode
 * @param plan actions, channels, offer and timing
 * @param priority rule priority, 0–100
 * @param holdoutPercentage share of the target deliberately left untreated to measure lift, from 0
 *     up to (not including) 100
 * @param prior belief about the conversion rate before history
 * @param economics order value and costs
 * @param tags extra rule tags
 */
public record StrategyTemplate(
    String id,
    StrategyType type,
    String name,
    String description,
    Condition target,
    ActionPlan plan,
    int priority,
    double holdoutPercentage,
    BetaPrior prior,
    Economics economics,
    List<String> tags) {

  /** Checks and copies the values. */
  public StrategyTemplate {
    Objects.requireNonNull(type, "type");
    if (!Rule.ID_PATTERN.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "template id must match " + Rule.ID_PATTERN + " but was '" + id + "'");
    }
    if (priority < 0 || priority > 100) {
      throw new IllegalArgumentException("priority must be between 0 and 100 but was " + priority);
    }
    if (!(holdoutPercentage >= 0 && holdoutPercentage < 100)) {
      throw new IllegalArgumentException(
          "holdoutPercentage must be at least 0 and below 100 but was " + holdoutPercentage);
    }
    tags = List.copyOf(tags);
  }
}
