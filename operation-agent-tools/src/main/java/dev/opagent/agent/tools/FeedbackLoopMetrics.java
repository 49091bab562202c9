package dev.opagent.agent.tools;

import dev.opagent.agent.feedback.FeedbackLoop;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.agent.tools.spi.CampaignMetricsSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The live campaign figures of a {@link FeedbackLoop} for the {@code read_metrics} tool.
 * Thread-safe as the loop is; each call reads a fresh snapshot.
 *
 * <pre>{@code
 * FeedbackLoop loop = FeedbackLoop.ofDefaults();
 * SdkTools tools = SdkTools.builder().decisionEngine(engine)
 *     .metrics(FeedbackLoopMetrics.of(loop)).build();
 * }</pre>
 */
public final class FeedbackLoopMetrics implements CampaignMetricsSource {
  private final FeedbackLoop loop;

  private FeedbackLoopMetrics(FeedbackLoop loop) {
    this.loop = loop;
  }

  /** The campaign figures of {@code loop}. */
  public static FeedbackLoopMetrics of(FeedbackLoop loop) {
    return new FeedbackLoopMetrics(Objects.requireNonNull(loop, "loop"));
  }

  /** {@link FeedbackLoop#campaigns()}. */
  @Override
  public Map<String, Metrics> all() {
    return loop.campaigns();
  }

  /** {@link FeedbackLoop#campaign(String)}. */
  @Override
  public Optional<Metrics> campaign(String campaign) {
    return loop.campaign(campaign);
  }
}
