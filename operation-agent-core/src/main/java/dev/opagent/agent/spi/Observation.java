package dev.opagent.agent.spi;

/**
 * Observed outcomes of one strategy in one segment: how often it was tried and how often it
 * converted. Immutable and thread-safe.
 *
 * @param successes conversions, at most {@code trials}
 * @param trials actions executed
 */
public record Observation(long successes, long trials) {
  /** Nothing observed yet. */
  public static final Observation NONE = new Observation(0, 0);

  public Observation {
    if (trials < 0) {
      throw new IllegalArgumentException("trials must not be negative but was " + trials);
    }
    if (successes < 0 || successes > trials) {
      throw new IllegalArgumentException(
          "successes must be between 0 and trials (" + trials + ") but was " + successes);
    }
  }
}
