package dev.opagent.agent.feedback;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How many interactions ended in each {@link Attribution.Outcome}, in total and per interaction
 * type, and how many deliveries were reported twice. Immutable and thread-safe. Every outcome and
 * type is present, with 0 when none occurred.
 *
 * @param byType counts per interaction type and outcome
 * @param duplicateDeliveries deliveries reported again for a key already recorded (not counted
 *     again in the metrics)
 */
public record AttributionCounts(
    Map<InteractionType, Map<Attribution.Outcome, Long>> byType, long duplicateDeliveries) {

  /** Copies the counts, filling in zeros. */
  public AttributionCounts {
    Objects.requireNonNull(byType, "byType");
    EnumMap<InteractionType, Map<Attribution.Outcome, Long>> copy =
        new EnumMap<>(InteractionType.class);
    for (InteractionType t : InteractionType.values()) {
      EnumMap<Attribution.Outcome, Long> counts = new EnumMap<>(Attribution.Outcome.class);
      Map<Attribution.Outcome, Long> given = byType.getOrDefault(t, Map.of());
      for (Attribution.Outcome o : Attribution.Outcome.values()) {
        counts.put(o, given.getOrDefault(o, 0L));
      }
      copy.put(t, Collections.unmodifiableMap(counts));
    }
    byType = Collections.unmodifiableMap(copy);
  }

  /** Interactions of every type that ended in {@code outcome}. */
  public long count(Attribution.Outcome outcome) {
    long sum = 0;
    for (Map<Attribution.Outcome, Long> counts : byType.values()) {
      sum += counts.getOrDefault(outcome, 0L);
    }
    return sum;
  }

  /** Interactions of {@code type} that ended in {@code outcome}. */
  public long count(InteractionType type, Attribution.Outcome outcome) {
    return Objects.requireNonNull(byType.get(type), "every type is present")
        .getOrDefault(outcome, 0L);
  }

  /** Counts per outcome over every type. */
  public Map<Attribution.Outcome, Long> byOutcome() {
    EnumMap<Attribution.Outcome, Long> out = new EnumMap<>(Attribution.Outcome.class);
    for (Attribution.Outcome o : Attribution.Outcome.values()) {
      out.put(o, count(o));
    }
    return Collections.unmodifiableMap(out);
  }

  /** Every interaction recorded. */
  public long total() {
    long sum = 0;
    for (Attribution.Outcome o : Attribution.Outcome.values()) {
      sum += count(o);
    }
    return sum;
  }
}
