package dev.opagent.agent.engine;

/** Why a guardrail said what it said. Stable names, safe to persist and count. Thread-safe. */
public enum ReasonCode {
  /** The check passed. */
  PASSED,
  /** A frequency cap was reached but the action's priority is allowed to bypass it. */
  CAP_BYPASSED,
  /** An approval covers the action. */
  APPROVED,
  /** The expected value is below the policy's minimum score. */
  BELOW_MIN_SCORE,
  /** A higher-scoring action of a mutually exclusive campaign was chosen. */
  EXCLUSIVE_CAMPAIGN,
  /** The customer already has the maximum number of actions on this channel in this run. */
  RUN_CAP_CHANNEL,
  /** The customer already has the maximum number of actions in this run. */
  RUN_CAP_TOTAL,
  /** The action type maps to no channel in the policy. */
  UNMAPPED_ACTION_TYPE,
  /** No opt-in for the channel (unknown counts as no). */
  CONSENT_MISSING,
  /** A frequency cap is reached. */
  FREQUENCY_CAP,
  /** The send time falls inside quiet hours. */
  QUIET_HOURS,
  /** Approval is needed; a request was made (or, in a dry run, would be). */
  APPROVAL_REQUIRED,
  /** Approval was requested earlier and is still awaited. */
  APPROVAL_PENDING,
  /** Approval was rejected. */
  APPROVAL_REJECTED,
  /** The day's execution limit of the action type is reached. */
  EXECUTION_LIMIT,
  /** The campaign's or the global budget cannot cover the expected cost. */
  BUDGET_EXHAUSTED,
  /**
   * The expected value or cost is not a finite amount within {@link DecisionRun#MAX_AMOUNT} (the
   * customer's amounts overflow, or are absurd): the action is blocked, since no guardrail can
   * judge it.
   */
  INVALID_AMOUNT,
  /** The customer is in the global holdout or the campaign's control group. */
  HELD_OUT
}
