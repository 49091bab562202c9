package dev.opagent.flink.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that reads the time it was last set to: the time of the event or timer being handled, so
 * that a replay decides as the events' own time says and comes out the same on every run. UTC.
 * Thread-safe (the time is volatile); one per subtask, set only by that subtask's task thread.
 */
public final class EventTimeClock extends Clock {
  private volatile Instant now;

  /** A clock at {@code start}. */
  public EventTimeClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** Sets the time. */
  public void set(Instant instant) {
    this.now = Objects.requireNonNull(instant, "instant");
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("an event-time clock runs in UTC only");
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public String toString() {
    return "EventTimeClock[" + now + "]";
  }
}
