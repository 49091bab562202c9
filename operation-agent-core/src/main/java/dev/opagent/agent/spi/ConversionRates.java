package dev.opagent.agent.spi;

/**
 * Observed conversion outcomes per (strategy, segment), supplied by the feedback loop. The engine
 * combines them with a Beta prior: probability = (α + successes) / (α + β + trials), so decisions
 * improve as results arrive and fall back to the prior when nothing is known. Implementations must
 * be thread-safe and must not block: {@link #observed} is called for every candidate action.
 *
 * <p>The strategy is the campaign (rule id) together with the action type; an implementation may
 * ignore the action type and aggregate per campaign. The segment is {@code
 * CustomerContext#segmentKey()}, by default the customer's churn segment wire value.
 */
@FunctionalInterface
public interface ConversionRates {

  /** Nothing observed anywhere: every decision uses the prior. */
  static ConversionRates none() {
    return (campaign, actionType, segment) -> Observation.NONE;
  }

  /** Outcomes observed for the strategy in the segment, or {@link Observation#NONE}. */
  Observation observed(String campaign, String actionType, String segment);
}
