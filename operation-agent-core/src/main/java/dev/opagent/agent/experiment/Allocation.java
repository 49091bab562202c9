package dev.opagent.agent.experiment;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One round of {@link ThompsonSampler}: the traffic weights for new customers, whether they are
 * still the configured ones (exploring) or follow the data (exploiting), and what they were
 * computed from. Immutable and thread-safe. A sampler's {@link ThompsonSampler#history()} is the
 * series of these, ready for a chart of weights over rounds.
 *
 * @param experiment the experiment id
 * @param round 1 for the first allocation, then 2, 3, …
 * @param phase exploring or exploiting
 * @param weights the share of new customers per variant, in variant order, summing to 1
 * @param probabilityBest the Monte-Carlo estimate of each variant's probability of having the
 *     highest conversion rate, computed in every phase (while exploring it informs, it does not
 *     move traffic); empty only in allocations recorded before it was kept
 * @param counts the deliveries and conversions per variant the round was computed from
 * @param at when it was computed
 */
public record Allocation(
    String experiment,
    long round,
    Phase phase,
    Map<String, Double> weights,
    Map<String, Double> probabilityBest,
    Map<String, VariantCounts> counts,
    Instant at) {

  /** Copies the maps. */
  public Allocation {
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(at, "at");
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    probabilityBest = Collections.unmodifiableMap(new LinkedHashMap<>(probabilityBest));
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
  }

  /** Whether the weights are still the configured ones. */
  public boolean isExploring() {
    return phase == Phase.EXPLORING;
  }

  /** The weight of {@code variant}. */
  public double weight(String variant) {
    Double w = weights.get(variant);
    if (w == null) {
      throw new IllegalArgumentException("experiment " + experiment + " has no variant " + variant);
    }
    return w;
  }

  /** Where the allocation stands. */
  public enum Phase {
    /** Some arm has fewer deliveries than the minimum sample: the configured weights hold. */
    EXPLORING,
    /** Every arm has its minimum sample: weights follow each arm's probability of being best. */
    EXPLOITING
  }
}
