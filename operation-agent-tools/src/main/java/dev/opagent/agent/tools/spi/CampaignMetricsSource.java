package dev.opagent.agent.tools.spi;

import java.util.List;
import java.util.Optional;

/**
 * Where campaign metrics come from (the feedback loop, an analytics store). Implementations must
 * be thread-safe; {@code InMemoryCampaignMetrics} is the default.
 */
public interface CampaignMetricsSource {

  /** Metrics of every campaign with any, by campaign id. */
  List<CampaignMetrics> all();

  /** Metrics of one campaign. Default: searches {@link #all()}. */
  default Optional<CampaignMetrics> campaign(String campaign) {
    return all().stream().filter(m -> m.campaign().equals(campaign)).findFirst();
  }
}
