package dev.opagent.agent.tools;

import dev.opagent.agent.feedback.Metrics;
import dev.opagent.agent.tools.spi.CampaignMetricsSource;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Campaign metrics held in memory, for tests, demos and single-instance hosts. Thread-safe:
 * additions to one campaign are atomic.
 */
public final class InMemoryCampaignMetrics implements CampaignMetricsSource {
  private final ConcurrentHashMap<String, Metrics> metrics = new ConcurrentHashMap<>();

  /** Adds {@code delta} to the counters of {@code campaign}. */
  public void add(String campaign, Metrics delta) {
    Objects.requireNonNull(campaign, "campaign");
    Objects.requireNonNull(delta, "delta");
    metrics.merge(campaign, delta, Metrics::plus);
  }

  /** A sorted snapshot. */
  @Override
  public Map<String, Metrics> all() {
    return Collections.unmodifiableMap(new TreeMap<>(metrics));
  }

  @Override
  public Optional<Metrics> campaign(String campaign) {
    Objects.requireNonNull(campaign, "campaign");
    return Optional.ofNullable(metrics.get(campaign));
  }
}
