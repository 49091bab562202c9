package dev.opagent.agent.experiment;

/**
 * A confidence interval {@code [low, high]}. Immutable and thread-safe. Both ends are NaN when the
 * interval is not defined (an arm without data).
 *
 * @param low the lower end
 * @param high the upper end
 */
public record Interval(double low, double high) {
  /** No interval: not enough data. */
  public static final Interval UNDEFINED = new Interval(Double.NaN, Double.NaN);

  /** Checks the order of the ends. */
  public Interval {
    if (low > high) {
      throw new IllegalArgumentException("low (" + low + ") must not exceed high (" + high + ")");
    }
  }

  /** Whether {@code x} lies within the interval, ends included. */
  public boolean contains(double x) {
    return low <= x && x <= high;
  }

  /** Whether both ends are numbers. */
  public boolean isDefined() {
    return !Double.isNaN(low) && !Double.isNaN(high);
  }
}
