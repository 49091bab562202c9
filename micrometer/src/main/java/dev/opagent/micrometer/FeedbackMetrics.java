package dev.opagent.micrometer;

import static dev.opagent.micrometer.OpagentMetrics.FEEDBACK_CONVERSIONS;
import static dev.opagent.micrometer.OpagentMetrics.FEEDBACK_INTERACTIONS;
import static dev.opagent.micrometer.OpagentMetrics.FEEDBACK_REVENUE;

import dev.opagent.agent.feedback.Attribution;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionRecorder;
import dev.opagent.agent.feedback.InteractionType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feedback loop's meters, fed by what an {@link InteractionRecorder} made of each interaction.
 * Thread-safe.
 */
final class FeedbackMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(FeedbackMetrics.class);

  /** The campaign tag of an interaction that matched no delivered action. */
  static final String NO_CAMPAIGN = "none";

  private final Meters meters;
  private final ConcurrentHashMap<InteractionKey, Counter> interactions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> conversions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> revenue = new ConcurrentHashMap<>();

  private record InteractionKey(
      String campaign, InteractionType type, Attribution.Outcome outcome) {}

  FeedbackMetrics(Meters meters) {
    this.meters = meters;
  }

  /** A recorder that records through {@code delegate} and counts what it answered. */
  InteractionRecorder recording(InteractionRecorder delegate) {
    return new Recorder(delegate, this);
  }

  /**
   * Counts one attributed (or not) interaction. The campaign is a tag only when the interaction
   * matched a delivered action, since an event names whatever campaign its sender wrote.
   */
  void observe(Interaction interaction, Attribution attribution) {
    if (meters.closed()) {
      return;
    }
    String campaign = attribution.key().isPresent() ? interaction.campaign() : NO_CAMPAIGN;
    interactions
        .computeIfAbsent(
            new InteractionKey(campaign, attribution.type(), attribution.outcome()),
            k ->
                meters.counter(
                    FEEDBACK_INTERACTIONS,
                    "Interactions recorded, by campaign, type and attribution outcome; the"
                        + " campaign is 'none' when the interaction matched no delivered action",
                    Tags.of(
                        "campaign",
                        k.campaign(),
                        "type",
                        Meters.tagValue(k.type()),
                        "outcome",
                        Meters.tagValue(k.outcome()))))
        .increment();
    if (!attribution.isAttributed() || attribution.type() != InteractionType.CONVERTED) {
      return;
    }
    conversions
        .computeIfAbsent(
            campaign,
            c ->
                meters.counter(
                    FEEDBACK_CONVERSIONS,
                    "Conversions attributed to a delivered action, by campaign",
                    Tags.of("campaign", c)))
        .increment();
    BigDecimal amount = interaction.revenue();
    Counter money =
        revenue.computeIfAbsent(
            campaign,
            c ->
                meters.counter(
                    FEEDBACK_REVENUE,
                    "Revenue of attributed conversions, in the budget currency, by campaign",
                    Tags.of("campaign", c)));
    if (amount != null) {
      money.increment(amount.doubleValue());
    }
  }

  /**
   * Records through the delegate, then counts the attribution it returned; a failure to count is
   * logged and does not change what the delegate recorded and returned. Thread-safe.
   */
  private static final class Recorder implements InteractionRecorder {
    private final InteractionRecorder delegate;
    private final FeedbackMetrics metrics;

    Recorder(InteractionRecorder delegate, FeedbackMetrics metrics) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      this.metrics = metrics;
    }

    @Override
    public Attribution record(Interaction interaction) {
      Attribution a = delegate.record(interaction);
      try {
        metrics.observe(interaction, a);
      } catch (RuntimeException e) {
        LOG.warn("feedback metrics failed with {}", e.getClass().getName());
      }
      return a;
    }

    @Override
    public Optional<String> lastTouch(String customerId, Instant at) {
      return delegate.lastTouch(customerId, at);
    }

    @Override
    public String toString() {
      return "metered " + delegate;
    }
  }
}
