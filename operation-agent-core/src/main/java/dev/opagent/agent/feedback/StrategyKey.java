package dev.opagent.agent.feedback;

import java.util.Objects;

/**
 * A strategy as the decision engine scores it: a campaign together with one of its action types.
 * Immutable and thread-safe.
 *
 * @param campaign the campaign (rule id)
 * @param actionType the action type, such as {@code send_email}
 */
public record StrategyKey(String campaign, String actionType) {
  /** Checks the values. */
  public StrategyKey {
    Objects.requireNonNull(campaign, "campaign");
    Objects.requireNonNull(actionType, "actionType");
  }
}
