package dev.opagent.agent.engine;

/** What a guardrail says about an action. Thread-safe. */
public enum VerdictKind {
  /** Go ahead. */
  ALLOW,
  /** Do not do it in this run. */
  BLOCK,
  /** Not now; it may pass at or after the verdict's {@code until}. */
  DEFER
}
