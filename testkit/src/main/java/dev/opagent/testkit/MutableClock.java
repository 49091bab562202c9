package dev.opagent.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock a test moves by hand: {@link #set} and {@link #advance}. Thread-safe; every clock made by
 * {@link #withZone} shows the same instant and moves with this one.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at("2026-03-15T10:00:00Z");
 * ApprovalGate gate = ApprovalGate.builder().clock(clock).build();
 * clock.advance(Duration.ofHours(49));   // the request has expired
 * }</pre>
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock at {@code instant}, in UTC. */
  public static MutableClock at(Instant instant) {
    return new MutableClock(
        new AtomicReference<>(Objects.requireNonNull(instant, "instant")), ZoneOffset.UTC);
  }

  /** A clock at an ISO-8601 instant such as {@code 2026-03-15T10:00:00Z}, in UTC. */
  public static MutableClock at(String isoInstant) {
    return at(Instant.parse(isoInstant));
  }

  /** Moves the clock to {@code instant}. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /**
   * Moves the clock forward to {@code instant}, and leaves it where it is when that is earlier: a
   * clock that follows events arriving slightly out of order never goes back.
   */
  public void advanceTo(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    now.updateAndGet(t -> instant.isAfter(t) ? instant : t);
  }

  /** Moves the clock forward (or back, for a negative duration) by {@code d}. */
  public void advance(Duration d) {
    Objects.requireNonNull(d, "d");
    now.updateAndGet(t -> t.plus(d));
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public MutableClock withZone(ZoneId zone) {
    return new MutableClock(now, Objects.requireNonNull(zone, "zone"));
  }

  @Override
  public Instant instant() {
    return Objects.requireNonNull(now.get(), "set at construction, never cleared");
  }
}
