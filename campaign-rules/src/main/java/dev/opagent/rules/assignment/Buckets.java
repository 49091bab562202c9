package dev.opagent.rules.assignment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * GrowthBook's bucketing functions: bucket ranges from coverage and weights, choosing a variation
 * for a hash value, namespaces and equal weights. Stateless and thread-safe.
 */
public final class Buckets {
  private Buckets() {}

  /** {@code n} equal weights summing to 1; empty for {@code n <= 0}. */
  public static List<Double> equalWeights(int n) {
    if (n <= 0) {
      return List.of();
    }
    return Collections.nCopies(n, 1.0 / n);
  }

  /**
   * The hash range of each variation. Coverage is clamped to {@code [0, 1]}; weights default to
   * equal when absent, of the wrong length, or not summing to 1 (± 0.01).
   */
  public static List<BucketRange> bucketRanges(
      int numVariations, double coverage, @Nullable List<Double> weights) {
    double c = coverage < 0 ? 0 : coverage > 1 ? 1 : coverage;
    List<Double> w = weights;
    if (w == null || w.size() != numVariations) {
      w = equalWeights(numVariations);
    }
    double total = 0;
    for (double x : w) {
      total += x;
    }
    if (total < 0.99 || total > 1.01) {
      w = equalWeights(numVariations);
    }
    List<BucketRange> ranges = new ArrayList<>(w.size());
    double cumulative = 0;
    for (double x : w) {
      double start = cumulative;
      cumulative += x;
      ranges.add(new BucketRange(start, start + c * x));
    }
    return List.copyOf(ranges);
  }

  /** Index of the range containing {@code n}, or -1 when none does. */
  public static int chooseVariation(double n, List<BucketRange> ranges) {
    for (int i = 0, size = ranges.size(); i < size; i++) {
      if (ranges.get(i).contains(n)) {
        return i;
      }
    }
    return -1;
  }

  /** Whether {@code unitId} hashes into {@code [start, end)} of namespace {@code id}. */
  public static boolean inNamespace(String unitId, String id, double start, double end) {
    double n = Hashing.hash("__" + id, unitId, HashVersion.V1);
    return n >= start && n < end;
  }
}
