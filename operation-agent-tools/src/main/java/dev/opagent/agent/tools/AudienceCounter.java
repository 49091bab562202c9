package dev.opagent.agent.tools;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The distinct customers each campaign was planned for through the tools within a sliding window,
 * so that an audience threshold applies across tool calls (each call is a decision run of its own).
 * A campaign admits its first {@code limit} customers of the window; later ones are beyond the
 * audience until earlier ones leave the window. Only admitted customers are kept, so memory is
 * bounded by {@code limit} per campaign. Thread-safe (synchronised).
 */
final class AudienceCounter {
  private final Clock clock;
  private final Duration window;
  private final long limit;
  private final Map<String, LinkedHashMap<String, Instant>> byCampaign = new HashMap<>();

  /**
   * @param limit customers admitted per campaign within the window; {@link Long#MAX_VALUE} admits
   *     everyone without keeping anything
   */
  public AudienceCounter(Clock clock, Duration window, long limit) {
    this.clock = clock;
    this.window = window;
    this.limit = limit;
  }

  /**
   * Counts {@code customerId} in {@code campaign}'s audience, if there is room, and answers whether
   * it is within the audience (counted before or now).
   */
  public synchronized boolean admit(String campaign, String customerId) {
    if (limit == Long.MAX_VALUE) {
      return true;
    }
    LinkedHashMap<String, Instant> seen =
        byCampaign.computeIfAbsent(campaign, k -> new LinkedHashMap<>());
    Instant now = clock.instant();
    Instant cutoff = now.minus(window);
    Iterator<Instant> it = seen.values().iterator();
    while (it.hasNext()) {
      if (!it.next().isAfter(cutoff)) {
        it.remove();
      } else {
        break;
      }
    }
    if (seen.containsKey(customerId)) {
      return true;
    }
    if (seen.size() < limit) {
      seen.put(customerId, now);
      return true;
    }
    return false;
  }
}
