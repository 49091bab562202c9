package dev.opagent.agent.policy;

import dev.opagent.agent.Channel;
import java.time.LocalTime;
import java.util.Objects;
import java.util.Set;

/**
 * Hours of the customer's local day in which the listed channels stay silent; actions planned
 * inside are deferred to the window's end. The window may cross midnight ({@code 21:00–09:00}).
 * Immutable and thread-safe.
 *
 * @param start first quiet minute (inclusive), local time
 * @param end first non-quiet minute (exclusive), local time; different from {@code start}
 * @param channels the channels it silences
 */
public record QuietHours(LocalTime start, LocalTime end, Set<Channel> channels) {
  public QuietHours {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.equals(end)) {
      throw new IllegalArgumentException(
          "quiet hours must not start and end at the same time (" + start + ")");
    }
    channels = Set.copyOf(channels);
  }

  /** Whether the window crosses midnight. */
  public boolean crossesMidnight() {
    return end.isBefore(start);
  }

  /** Whether {@code t} is inside the window. */
  public boolean contains(LocalTime t) {
    return crossesMidnight()
        ? !t.isBefore(start) || t.isBefore(end)
        : !t.isBefore(start) && t.isBefore(end);
  }

  /**
   * Whether the second of the day {@code s} ({@code 0..86399}, as {@link LocalTime#toSecondOfDay})
   * is inside the window; allocation-free, for the per-candidate guardrail check.
   */
  public boolean containsSecondOfDay(int s) {
    int a = start.toSecondOfDay();
    int b = end.toSecondOfDay();
    return a < b ? s >= a && s < b : s >= a || s < b;
  }
}
