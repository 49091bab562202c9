package dev.opagent.agent.engine;

/** What became of a candidate action in a decision. Thread-safe. */
public enum ActionStatus {
  /** Chosen: every guardrail allowed it; budget and execution slots are reserved. */
  CHOSEN,
  /** A guardrail blocked it. */
  BLOCKED,
  /** A guardrail deferred it; it may pass at or after {@link PlannedAction#until()}. */
  DEFERRED,
  /** It lost to a higher-scoring action (run caps, exclusive campaigns) or scored too low. */
  SUPPRESSED
}
