package dev.opagent.agent.experiment;

import dev.opagent.agent.feedback.Metrics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two numbers an arm is judged by: how many customers received it and how many converted.
 * Immutable and thread-safe.
 *
 * @param n deliveries (trials), not negative
 * @param conversions conversions, between 0 and {@code n}
 */
public record VariantCounts(long n, long conversions) {
  /** Nothing yet. */
  public static final VariantCounts ZERO = new VariantCounts(0, 0);

  /** Checks the values. */
  public VariantCounts {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative but was " + n);
    }
    if (conversions < 0 || conversions > n) {
      throw new IllegalArgumentException(
          "conversions must be between 0 and n (" + n + ") but was " + conversions);
    }
  }

  /** The counts of {@code metrics}: deliveries and conversions. */
  public static VariantCounts of(Metrics metrics) {
    return new VariantCounts(metrics.delivered(), metrics.conversions());
  }

  /** The counts of each variant's metrics, in the same order. */
  public static Map<String, VariantCounts> of(Map<String, Metrics> metricsByVariant) {
    Map<String, VariantCounts> out = new LinkedHashMap<>();
    metricsByVariant.forEach((variant, m) -> out.put(variant, of(m)));
    return Collections.unmodifiableMap(out);
  }

  /** Conversions / n; NaN when n is 0. */
  public double rate() {
    return n == 0 ? Double.NaN : (double) conversions / n;
  }

  /** Trials that did not convert. */
  public long failures() {
    return n - conversions;
  }
}
