package dev.opagent.agent.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
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

  /**
   * The instant of local time {@code time} on local date {@code epochDay}, gaps resolved forward.
   */
  public static Instant at(ZoneId zone, long epochDay, LocalTime time) {
    return LocalDate.ofEpochDay(epochDay).atTime(time).atZone(zone).toInstant();
  }

  /**
   * The start, in epoch seconds, of the local day {@code daysBack} days before the one containing
   * {@code epochSecond}.
   */
  public long startOfDayBefore(ZoneId zone, long epochSecond, int daysBack) {
    Days d = days(zone, epochSecond);
    if (daysBack >= CACHED_DAYS) {
      return startOfDay(zone, d.today - daysBack);
    }
    return d.starts[daysBack];
  }

  /**
   * As {@link #localEpochDay}, answered from the cache while {@code epochSecond} falls within the
   * cached local day.
   */
  public long epochDay(ZoneId zone, long epochSecond) {
    return days(zone, epochSecond).today;
  }

  private Days days(ZoneId zone, long epochSecond) {
    Days d = cache.get(zone);
    if (d == null || epochSecond < d.validFrom || epochSecond >= d.validUntil) {
      d = new Days(zone, epochSecond);
      cache.put(zone, d);
    }
    return d;
  }

  /** The local day of one instant, and the instants around it that share day and offset. */
  private static final class Days {
    final long today;

    /** [validFrom, validUntil): the instants on {@code today} with no offset change between. */
    final long validFrom;

    final long validUntil;
    final long[] starts = new long[CACHED_DAYS];

    Days(ZoneId zone, long epochSecond) {
      ZoneRules rules = zone.getRules();
      int offset = rules.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
      this.today = Math.floorDiv(epochSecond + offset, 86_400L);
      ZoneOffsetTransition previous =
          rules.previousTransition(Instant.ofEpochSecond(epochSecond + 1));
      ZoneOffsetTransition next = rules.nextTransition(Instant.ofEpochSecond(epochSecond));
      long dayStart = today * 86_400L - offset;
      this.validFrom = previous == null ? dayStart : Math.max(dayStart, previous.toEpochSecond());
      this.validUntil =
          next == null ? dayStart + 86_400L : Math.min(dayStart + 86_400L, next.toEpochSecond());
      for (int i = 0; i < CACHED_DAYS; i++) {
        starts[i] = startOfDay(zone, today - i);
      }
    }
  }
}
