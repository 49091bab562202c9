package dev.opagent.agent.tools.spi;

import dev.opagent.agent.feedback.Metrics;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the {@code read_metrics} tool reads campaign figures (the feedback loop, an analytics
 * store). Implementations must be thread-safe; {@code InMemoryCampaignMetrics} is the default and
 * {@code FeedbackLoopMetrics} reads a {@code FeedbackLoop}.
 */
public interface CampaignMetricsSource {

  /** The metrics of every campaign with any, by campaign id, iterated in ascending id order. */
  Map<String, Metrics> all();

  /**
   * The metrics of {@code campaign}, empty when it has none. Default: looks it up in {@link
   * #all()}.
   */
  default Optional<Metrics> campaign(String campaign) {
    Objects.requireNonNull(campaign, "campaign");
    return Optional.ofNullable(all().get(campaign));
  }
}
