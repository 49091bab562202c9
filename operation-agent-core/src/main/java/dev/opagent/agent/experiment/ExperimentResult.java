package dev.opagent.agent.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The analysis of an experiment: every arm's rate, each variant against the control, the
 * sample-ratio check and the verdict. Immutable and thread-safe.
 *
 * @param experiment the experiment id
 * @param control the control variant
 * @param confidenceLevel the confidence level of the intervals and tests (0.95)
 * @param arms one per variant, in the experiment's order
 * @param comparisons one per non-control variant, in the experiment's order
 * @param sampleRatio the sample-ratio-mismatch check
 * @param verdict the conclusion
 * @param probabilityBest each variant's posterior probability of having the highest conversion
 *     rate, in variant order, summing to 1: the share of joint draws from Beta(1 + conversions, 1 +
 *     failures) in which the variant is highest (uniform prior; {@value
 *     ExperimentAnalysis#PROBABILITY_DRAWS} draws seeded by the experiment id, so it is
 *     reproducible and within about ±0.01); the belief {@link ThompsonSampler} allocates by
 * @param unknownVariants variants in the data that the experiment does not define (ignored), sorted
 */
public record ExperimentResult(
    String experiment,
    String control,
    double confidenceLevel,
    List<ArmResult> arms,
    List<Comparison> comparisons,
    SampleRatioCheck sampleRatio,
    ExperimentVerdict verdict,
    Map<String, Double> probabilityBest,
    Set<String> unknownVariants) {

  /** Copies the lists. */
  public ExperimentResult {
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(control, "control");
    Objects.requireNonNull(sampleRatio, "sampleRatio");
    Objects.requireNonNull(verdict, "verdict");
    arms = List.copyOf(arms);
    comparisons = List.copyOf(comparisons);
    probabilityBest = Collections.unmodifiableMap(new LinkedHashMap<>(probabilityBest));
    unknownVariants = Collections.unmodifiableSortedSet(new TreeSet<>(unknownVariants));
  }

  /** The result of one arm. */
  public Optional<ArmResult> arm(String variant) {
    return arms.stream().filter(a -> a.variant().equals(variant)).findFirst();
  }

  /**
   * The posterior probability that {@code variant} converts best, 0 for a variant the experiment
   * does not define.
   */
  public double probabilityBest(String variant) {
    return probabilityBest.getOrDefault(variant, 0.0);
  }

  /** The comparison of one non-control variant with the control. */
  public Optional<Comparison> comparison(String variant) {
    return comparisons.stream().filter(c -> c.variant().equals(variant)).findFirst();
  }
}
