package dev.opagent.agent.budget;

/** Which limit an amount did not fit. Immutable and thread-safe. */
public enum BudgetScope {
  /** The campaign's own limit. */
  CAMPAIGN,
  /** The limit over all campaigns. */
  GLOBAL
}
