package dev.opagent.console.internal;

import dev.opagent.agent.experiment.Allocation;
import dev.opagent.agent.experiment.Experiment;
import dev.opagent.agent.experiment.ExperimentAnalysis;
import dev.opagent.agent.experiment.ExperimentResult;
import dev.opagent.agent.experiment.VariantCounts;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.store.FeedbackStore;
import dev.opagent.store.StrategyEffect;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiments of an operating store, each with its analysis and its bandit's rounds. The counts
 * are the store's strategy effects (as of the last feedback ingestion), summed over action types
 * and segments per variant, as the report counts them.
 *
 * <p>The sample-ratio check compares the deliveries with the weights customers were assigned under,
 * so it applies only while every round kept the configured weights; once the bandit moved traffic,
 * the arms are analysed under their observed shares and the check is not made.
 */
public final class Experiments {
  private Experiments() {}

  /**
   * One experiment: its analysis, whether the sample-ratio check applies, and its rounds, oldest
   * first.
   */
  public record Analysed(
      Experiment experiment, ExperimentResult result, boolean srmApplies, List<Allocation> rounds) {
    /** The latest round, if any. */
    public Allocation latest() {
      return rounds.get(rounds.size() - 1);
    }
  }

  /** Every experiment of the store with a recorded round, sorted by id. */
  public static List<Analysed> of(FeedbackStore feedback) {
    Map<String, Map<String, Metrics>> byCampaign = new HashMap<>();
    for (StrategyEffect e : feedback.strategyEffects()) {
      if (e.variant() != null) {
        byCampaign
            .computeIfAbsent(e.campaign(), c -> new LinkedHashMap<>())
            .merge(e.variant(), e.metrics(), Metrics::plus);
      }
    }
    return feedback.experiments().stream()
        .map(
            e -> {
              List<Allocation> rounds = feedback.allocations(e.id());
              Map<String, VariantCounts> counts =
                  VariantCounts.of(byCampaign.getOrDefault(e.campaign(), Map.of()));
              boolean moved = rounds.stream().anyMatch(a -> !a.isExploring());
              Experiment analysed = moved ? observedShares(e, counts) : e;
              return new Analysed(e, ExperimentAnalysis.of(analysed, counts), !moved, rounds);
            })
        .toList();
  }

  /** {@code e} with each variant weighted by its share of the deliveries (as it is without any). */
  private static Experiment observedShares(Experiment e, Map<String, VariantCounts> counts) {
    long total = 0;
    for (String v : e.variantNames()) {
      total += counts.getOrDefault(v, VariantCounts.ZERO).n();
    }
    if (total == 0) {
      return e;
    }
    Map<String, Double> shares = new LinkedHashMap<>();
    List<String> names = e.variantNames();
    double rest = 1;
    for (int i = 0; i < names.size() - 1; i++) {
      double w = (double) counts.getOrDefault(names.get(i), VariantCounts.ZERO).n() / total;
      shares.put(names.get(i), w);
      rest -= w;
    }
    shares.put(names.get(names.size() - 1), Math.max(0, rest)); // the shares sum to exactly 1
    return e.withWeights(shares);
  }
}
