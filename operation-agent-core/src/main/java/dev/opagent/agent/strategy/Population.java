package dev.opagent.agent.strategy;

import dev.opagent.segment.SegmentDistribution;
import java.util.List;
import java.util.Objects;

/**
 * The customers a strategy generator plans for: a segment distribution or a list of clusters.
 * Immutable and thread-safe.
 */
public sealed interface Population {

  /** Customers the estimate is based on. */
  long size();

  /** A population described by its segment distribution. */
  static Population of(SegmentDistribution distribution) {
    return new Distribution(distribution);
  }

  /** A population described by clusters. */
  static Population ofClusters(List<Cluster> clusters) {
    return new Clusters(clusters);
  }

  /**
   * A segment distribution. Audiences are estimated from the per-dimension shares of the analysed
   * customers; a target over several dimensions assumes they are independent. Targets reading paths
   * the distribution does not describe (anything but {@code segments.*} dimensions, {@code
   * segments.missingRegulars} and {@code derived.missingRegularsCount}) cannot be estimated and are
   * skipped with that reason.
   *
   * @param distribution the shares
   */
  record Distribution(SegmentDistribution distribution) implements Population {
    /** Checks the value. */
    public Distribution {
      Objects.requireNonNull(distribution, "distribution");
    }

    @Override
    public long size() {
      return distribution.analysed();
    }
  }

  /**
   * Clusters with attribute summaries. A template's audience is the total size of the clusters
   * whose summary satisfies its target.
   *
   * @param clusters the clusters, with distinct ids
   */
  record Clusters(List<Cluster> clusters) implements Population {
    /** Checks and copies the clusters. */
    public Clusters {
      clusters = List.copyOf(clusters);
      if (clusters.stream().map(Cluster::id).distinct().count() != clusters.size()) {
        throw new IllegalArgumentException("cluster ids must be distinct");
      }
    }

    @Override
    public long size() {
      return clusters.stream().mapToLong(Cluster::size).sum();
    }
  }
}
