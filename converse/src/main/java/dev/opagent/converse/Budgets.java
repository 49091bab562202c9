package dev.opagent.converse;

import java.time.Duration;
import java.util.Objects;

/**
 * How far one {@link ConverseAgent#run run} may go: model calls, tokens and time. The run ends with
 * the budget's {@link Ending} when one is reached; tool uses the model asked for in its last
 * allowed answer are then not run (a model that cannot read a result does not act). Immutable and
 * thread-safe.
 *
 * @param maxModelCalls most {@code Converse} calls (steps) per run, retries not counted
 * @param maxTotalTokens most tokens (input plus output, as the service reports them) per run
 * @param maxDuration most wall-clock time per run, model calls, retries and tool calls included
 */
public record Budgets(int maxModelCalls, long maxTotalTokens, Duration maxDuration) {

  /** Checks the values. */
  public Budgets {
    if (maxModelCalls < 1) {
      throw new IllegalArgumentException("maxModelCalls must be positive but was " + maxModelCalls);
    }
    if (maxTotalTokens < 1) {
      throw new IllegalArgumentException(
          "maxTotalTokens must be positive but was " + maxTotalTokens);
    }
    Objects.requireNonNull(maxDuration, "maxDuration");
    if (maxDuration.isNegative() || maxDuration.isZero()) {
      throw new IllegalArgumentException("maxDuration must be positive but was " + maxDuration);
    }
  }

  /** 10 model calls, 100,000 tokens, 2 minutes. */
  public static Budgets defaults() {
    return new Budgets(10, 100_000, Duration.ofMinutes(2));
  }

  /** These budgets with at most {@code maxModelCalls} model calls. */
  public Budgets withMaxModelCalls(int maxModelCalls) {
    return new Budgets(maxModelCalls, maxTotalTokens, maxDuration);
  }

  /** These budgets with at most {@code maxTotalTokens} tokens. */
  public Budgets withMaxTotalTokens(long maxTotalTokens) {
    return new Budgets(maxModelCalls, maxTotalTokens, maxDuration);
  }

  /** These budgets with at most {@code maxDuration} per run. */
  public Budgets withMaxDuration(Duration maxDuration) {
    return new Budgets(maxModelCalls, maxTotalTokens, maxDuration);
  }
}
