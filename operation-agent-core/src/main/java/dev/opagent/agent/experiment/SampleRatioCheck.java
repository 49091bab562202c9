package dev.opagent.agent.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sample-ratio-mismatch check: a chi-square goodness-of-fit test of the observed deliveries per
 * variant against the configured weights. A mismatch means assignment or logging is broken (a
 * variant's deliveries are lost, or customers are routed around the split), and no other result of
 * the experiment can be trusted. Immutable and thread-safe.
 *
 * <p>Variants with weight 0 are left out of the statistic; any delivery to one is a mismatch. The
 * check assumes the weights were constant: after {@link ThompsonSampler} moved traffic, the
 * observed counts follow the allocation history, not the configured weights.
 *
 * @param observed deliveries per variant
 * @param expected deliveries per variant under the weights
 * @param chiSquare the statistic {@code Σ (observed − expected)² / expected}
 * @param degreesOfFreedom variants with positive weight − 1
 * @param pValue the chi-square survival probability of the statistic; 1 without data
 * @param threshold the p-value below which a mismatch is declared
 * @param mismatch whether {@code pValue < threshold}
 */
public record SampleRatioCheck(
    Map<String, Long> observed,
    Map<String, Double> expected,
    double chiSquare,
    int degreesOfFreedom,
    double pValue,
    double threshold,
    boolean mismatch) {
  /** Copies the maps. */
  public SampleRatioCheck {
    observed = Collections.unmodifiableMap(new LinkedHashMap<>(observed));
    expected = Collections.unmodifiableMap(new LinkedHashMap<>(expected));
  }
}
