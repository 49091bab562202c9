package dev.opagent.agent.approval;

import java.util.Objects;

/**
 * What an approval is for. Immutable and thread-safe. Two scopes exist:
 *
 * <ul>
 *   <li>{@link #campaign(String)} — {@code campaign:<id>}: one approval covers every action of the
 *       campaign while it is valid (the default scope of the decision engine, so a run over many
 *       customers asks once);
 *   <li>{@link #action(String, String, String)} — {@code action:<campaign>:<customer>:<type>}: one
 *       approval for one action for one customer (what an LLM tool planning for a single customer
 *       asks for).
 * </ul>
 *
 * The engine accepts either: an approved campaign key or an approved action key lets the action
 * through.
 *
 * @param value the key's text
 */
public record ApprovalKey(String value) {
  public ApprovalKey {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("approval key must not be blank");
    }
  }

  /** The key covering every action of {@code campaign}. */
  public static ApprovalKey campaign(String campaign) {
    return new ApprovalKey("campaign:" + campaign);
  }

  /** The key of one action type of one campaign for one customer. */
  public static ApprovalKey action(String campaign, String customerId, String actionType) {
    return new ApprovalKey("action:" + campaign + ":" + customerId + ":" + actionType);
  }

  @Override
  public String toString() {
    return value;
  }
}
