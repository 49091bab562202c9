package dev.opagent.agent.strategy;

import java.util.List;

/**
 * Who a proposal reaches, estimated from the population. Immutable and thread-safe.
 *
 * @param customers customers estimated to satisfy the target
 * @param populationSize customers the estimate is based on (analysed customers of a distribution,
 *     or the clusters' total size)
 * @param clusterIds the clusters whose summary satisfies the target (empty for a distribution)
 * @param assumptions how the estimate was made, in plain words (for reviewers)
 */
public record Audience(
    long customers, long populationSize, List<String> clusterIds, List<String> assumptions) {

  /** Checks and copies the values. */
  public Audience {
    if (customers < 0 || customers > populationSize) {
      throw new IllegalArgumentException(
          "customers must be between 0 and populationSize ("
              + populationSize
              + ") but was "
              + customers);
    }
    clusterIds = List.copyOf(clusterIds);
    assumptions = List.copyOf(assumptions);
  }

  /** The audience's share of the population, 0 to 1; 0 for an empty population. */
  public double share() {
    return populationSize == 0 ? 0 : (double) customers / populationSize;
  }
}
