package dev.opagent.agent.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local calendar arithmetic on epoch seconds, exact across daylight-saving changes, with the start
 * of recent local days cached per zone so the hot path does not allocate. Thread-safe.
 */
public final class ZoneDays {
  private static final int CACHED_DAYS = 32;

  private final ConcurrentHashMap<ZoneId, Days> cache = new ConcurrentHashMap<>();

  /** The local epoch day of {@code epochSecond} in {@code zone}. */
  public static long localEpochDay(ZoneId zone, long epochSecond) {
    int offset = zone.getRules().getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
    return Math.floorDiv(epochSecond + offset, 86_400L);
  }

  /** The local second of the day of {@code epochSecond} in {@code zone}. */
  public static int localSecondOfDay(ZoneId zone, long epochSecond) {
    int offset = zone.getRules().getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
    return (int) Math.floorMod(epochSecond + offset, 86_400L);
  }

  /** The instant the local date {@code epochDay} starts in {@code zone}, in epoch seconds. */
  public static long startOfDay(ZoneId zone, long epochDay) {
    return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toEpochSecond();
  }

  /** The instant of local time {@code time} on local date {@code epochDay}, gaps resolved forward. */
  public static Instant at(ZoneId zone, long epochDay, LocalTime time) {
    return LocalDate.ofEpochDay(epochDay).atTime(time).atZone(zone).toInstant();
  }

  /**
   * The start, in epoch seconds, of the local day {@code daysBack} days before the one containing
   * {@code epochSecond}.
   */
  public long startOfDayBefore(ZoneId zone, long epochSecond, int daysBack) {
    long today = localEpochDay(zone, epochSecond);
    if (daysBack >= CACHED_DAYS) {
      return startOfDay(zone, today - daysBack);
    }
    Days d = cache.get(zone);
    if (d == null || d.today != today) {
      d = new Days(zone, today);
      cache.put(zone, d);
    }
    return d.starts[daysBack];
  }

  private static final class Days {
    final long today;
    final long[] starts = new long[CACHED_DAYS];

    Days(ZoneId zone, long today) {
      this.today = today;
      for (int i = 0; i < CACHED_DAYS; i++) {
        starts[i] = startOfDay(zone, today - i);
      }
    }
  }
}
