package dev.opagent.agent.approval;

/** What the engine asks approval for when a threshold is reached. Thread-safe. */
public enum ApprovalScope {
  /** One approval per campaign covers all its actions: a run over many customers asks once. */
  CAMPAIGN,
  /** One approval per action per customer. */
  ACTION
}
