package dev.opagent.converse;

/** Why a {@link ConverseAgent} run ended. Thread-safe (an enum). */
public enum Ending {
  /** The model ended its turn ({@code end_turn} or {@code stop_sequence}): its answer is final. */
  END_TURN,
  /**
   * The model stopped for another reason ({@code max_tokens}, {@code guardrail_intervened}, {@code
   * content_filtered}, …; see {@link Transcript#stopReason()}); its tool uses, if any, were not
   * run.
   */
  MODEL_STOPPED,
  /** {@link Budgets#maxModelCalls()} was reached while the model still asked for tools. */
  STEP_BUDGET,
  /** {@link Budgets#maxTotalTokens()} was reached while the model still asked for tools. */
  TOKEN_BUDGET,
  /** {@link Budgets#maxDuration()} passed before the model ended its turn. */
  TIME_BUDGET,
  /**
   * A model call failed: the run ended with a {@link ConverseException} whose {@link
   * ConverseException#transcript()} has this ending.
   */
  FAILED;

  /** Whether a budget, not the model, ended the run. */
  public boolean byBudget() {
    return this == STEP_BUDGET || this == TOKEN_BUDGET || this == TIME_BUDGET;
  }
}
