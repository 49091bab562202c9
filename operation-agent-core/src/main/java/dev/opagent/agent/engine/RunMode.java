package dev.opagent.agent.engine;

/** Whether a decision run has side effects. Thread-safe. */
public enum RunMode {
  /**
   * Decisions reserve budget and execution slots, request approvals and count planned contacts
   * against later decisions of the run.
   */
  LIVE,
  /**
   * The full pipeline with every verdict and no side effects: budgets and execution limits are
   * checked against private copies, approvals are only read, nothing is requested or recorded
   * outside the run.
   */
  DRY_RUN
}
