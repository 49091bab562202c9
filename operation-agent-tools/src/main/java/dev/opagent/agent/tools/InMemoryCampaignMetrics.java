package dev.opagent.agent.tools;

import dev.opagent.agent.tools.spi.CampaignMetrics;
import dev.opagent.agent.tools.spi.CampaignMetricsSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Campaign metrics held in memory, for tests, demos and single-instance hosts. Thread-safe:
 * additions to one campaign are atomic.
 */
public final class InMemoryCampaignMetrics implements CampaignMetricsSource {
  private final ConcurrentHashMap<String, CampaignMetrics> metrics = new ConcurrentHashMap<>();

  /** Adds {@code delta} to its campaign's counters. */
  public void add(CampaignMetrics delta) {
    Objects.requireNonNull(delta, "delta");
    metrics.merge(delta.campaign(), delta, CampaignMetrics::plus);
  }

  @Override
  public List<CampaignMetrics> all() {
    List<CampaignMetrics> out = new ArrayList<>(metrics.values());
    out.sort(Comparator.comparing(CampaignMetrics::campaign));
    return out;
  }

  @Override
  public Optional<CampaignMetrics> campaign(String campaign) {
    return Optional.ofNullable(metrics.get(campaign));
  }
}
