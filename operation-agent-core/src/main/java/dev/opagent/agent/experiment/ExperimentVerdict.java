package dev.opagent.agent.experiment;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The plain-language conclusion of an experiment. Immutable and thread-safe.
 *
 * @param kind which conclusion
 * @param winner the winning variant for {@link Kind#WINNER}, null otherwise
 * @param summary one or two sentences for a person, with the numbers behind the conclusion
 */
public record ExperimentVerdict(Kind kind, @Nullable String winner, String summary) {
  /** Checks the values. */
  public ExperimentVerdict {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(summary, "summary");
    if ((kind == Kind.WINNER) != (winner != null)) {
      throw new IllegalArgumentException("a winner is named exactly when the kind is WINNER");
    }
  }

  /** The kinds of conclusion, in the order they are checked. */
  public enum Kind {
    /** The observed split does not match the weights: don't trust any result. */
    SAMPLE_RATIO_MISMATCH,
    /** An arm has fewer deliveries than the experiment's minimum sample. */
    NOT_ENOUGH_DATA,
    /**
     * A variant converts significantly better than the control (the best such variant), or the
     * control converts significantly better than every variant.
     */
    WINNER,
    /** Enough data, and no variant converts significantly better than the control. */
    NO_SIGNIFICANT_DIFFERENCE
  }
}
