package dev.opagent.flink.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that reads the time it was last set to: the time of the event or timer being handled, so
 * that a replay decides as the events' own time says and comes out the same on every run. In UTC;
 * {@link #withZone} gives a view in another zone that moves with this clock. Thread-safe; one per
 * subtask, set only by that subtask's task thread.
 */
public final class EventTimeClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  /** A clock at {@code start}. */
  public EventTimeClock(Instant start) {
    this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  private EventTimeClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** Sets the time. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new EventTimeClock(now, Objects.requireNonNull(zone, "zone"));
  }

  @Override
  public Instant instant() {
    return Objects.requireNonNull(now.get(), "set at construction, never cleared");
  }

  @Override
  public String toString() {
    return "EventTimeClock[" + now.get() + ", " + zone + "]";
  }
}
