package dev.opagent.agent.feedback;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of the feedback loop's metrics, grouped five ways, and of its attribution counts.
 * Immutable and thread-safe. The maps keep the order they were given in; {@link
 * FeedbackLoop#metrics()} gives them sorted by key.
 *
 * <p>Every delivered action is in {@link #byAction()}, {@link #byCampaign()} and {@link
 * #byStrategy()}; an action is in {@link #bySegment()} only if its request carried a segment, and
 * in {@link #byVariant()} only if it carried an experiment variant.
 *
 * @param asOf when the snapshot was taken (the loop's clock)
 * @param byAction metrics per action, by idempotency key
 * @param byCampaign metrics per campaign
 * @param byStrategy metrics per campaign and action type
 * @param bySegment metrics per customer segment key, over every campaign
 * @param byVariant metrics per campaign and experiment variant
 * @param attributions what became of every recorded interaction
 */
public record MetricsReport(
    Instant asOf,
    Map<String, Metrics> byAction,
    Map<String, Metrics> byCampaign,
    Map<StrategyKey, Metrics> byStrategy,
    Map<String, Metrics> bySegment,
    Map<VariantKey, Metrics> byVariant,
    AttributionCounts attributions) {

  /** Copies the maps. */
  public MetricsReport {
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(attributions, "attributions");
    byAction = copy(byAction);
    byCampaign = copy(byCampaign);
    byStrategy = copy(byStrategy);
    bySegment = copy(bySegment);
    byVariant = copy(byVariant);
  }

  /** The metrics of one campaign, if it had any delivery. */
  public Optional<Metrics> campaign(String campaign) {
    return Optional.ofNullable(byCampaign.get(campaign));
  }

  /** The metrics of the variants of {@code campaign}, by variant name (empty when none). */
  public Map<String, Metrics> variants(String campaign) {
    Map<String, Metrics> out = new LinkedHashMap<>();
    byVariant.forEach(
        (k, m) -> {
          if (k.campaign().equals(campaign)) {
            out.put(k.variant(), m);
          }
        });
    return Collections.unmodifiableMap(out);
  }

  /** The sum over every campaign. */
  public Metrics total() {
    Metrics sum = Metrics.EMPTY;
    for (Metrics m : byCampaign.values()) {
      sum = sum.plus(m);
    }
    return sum;
  }

  private static <K, V> Map<K, V> copy(Map<K, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(map, "map")));
  }
}
