package dev.opagent.agent.engine;

/** The checks a candidate action passes, in the order the engine applies them. Thread-safe. */
public enum Guardrail {
  /** The expected value must reach the policy's minimum score. */
  SCORE,
  /** Run caps per customer and mutually exclusive campaigns. */
  CONFLICT,
  /** The action type must map to a channel. */
  CHANNEL,
  /** Opt-in per contact channel. */
  CONSENT,
  /** Contacts per channel and overall, in rolling windows or calendar days. */
  FREQUENCY,
  /** No contact inside the quiet hours of the customer's time zone. */
  QUIET_HOURS,
  /** Actions above thresholds wait for a human. */
  APPROVAL,
  /** Executions per action type per day. */
  EXECUTION_LIMIT,
  /** Money per campaign and global. */
  BUDGET
}
