package dev.opagent.segment.internal;

import java.util.ArrayDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces requests at an adaptive rate (AIMD with slow start). It starts at an initial rate and
 * doubles it every second of successful sending (at least +1 per success) until the first throttle;
 * each throttle cuts the rate multiplicatively, once per round (throttles of requests sent before
 * the last cut are ignored, as they reflect the old rate). Successes then grow it back quickly
 * (doubling per second) to {@link #RECOVERY} of the rate that was throttled, the best estimate of
 * just under the quota, and additively beyond it. An optional hard cap is never exceeded.
 * Thread-safe.
 *
 * <p>The rate grows only while it is used: when the recent sending rate (a moving average of the
 * intervals between releases, reset by a pause) is at least three quarters of it. When concurrency
 * or the caller is the bottleneck, successes say nothing about the agent's quota, and an unused
 * rate must not drift up only to burst into throttling later.
 *
 * <p>Waiting requests queue here and are released one at a time, each spaced {@code 1/rate} after
 * the previous one at the rate in force <em>when it is released</em>: no slot is reserved ahead, so
 * a rate change applies to every request still waiting. Slots follow a timeline rather than the
 * moments requests actually left, so late wake-ups do not lower the rate.
 */
public final class AdaptiveRateLimiter {
  /** The lowest rate the limiter goes down to, requests per second. */
  static final double MIN_RATE = 0.5;

  /** How much a throttle keeps of the rate. */
  static final double DECREASE = 0.85;

  /** The share of the last throttled rate that the rate grows back to quickly after a cut. */
  static final double RECOVERY = 0.95;

  /** How much the rate grows per second of successes after slow start, requests per second. */
  static final double INCREASE_PER_SECOND = 1.0;

  /** The window over which the sent rate is measured, and the longest slow-start growth step. */
  static final long GROWTH_WINDOW_NANOS = 1_000_000_000L;

  /** The share of the rate that must be in use for it to grow. */
  static final double UTILISATION = 0.75;

  /** Weight of the newest interval in the moving average of intervals between releases. */
  static final double SMOOTHING = 0.2;

  private final double cap;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier clock;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private final double floor;
  private double rate;

  /** The rate when the last throttle cut it. */
  private double throttledRate;

  private boolean slowStart = true;
  private long lastReleaseNanos;
  private long lastCutNanos;
  private long lastGrowNanos;
  private double averageIntervalNanos;
  private boolean releasedAny;
  private boolean pumpScheduled;

  /**
   * Creates a limiter.
   *
   * @param initialRate the starting rate, requests per second
   * @param cap the hard cap, or 0 for none
   * @param scheduler runs the released requests
   * @param clock the current time in nanoseconds ({@code System::nanoTime})
   */
  public AdaptiveRateLimiter(
      double initialRate, double cap, ScheduledExecutorService scheduler, LongSupplier clock) {
    this.cap = cap > 0 ? cap : Double.MAX_VALUE;
    this.rate = Math.min(initialRate, this.cap);
    this.floor = Math.min(MIN_RATE, this.cap);
    this.scheduler = scheduler;
    this.clock = clock;
    this.lastReleaseNanos = clock.getAsLong() - intervalNanos();
    this.lastCutNanos = clock.getAsLong() - 1;
    this.lastGrowNanos = clock.getAsLong();
    this.averageIntervalNanos = Double.MAX_VALUE;
  }

  /** Runs {@code send} when the rate allows: at once if a slot is free, else when one is. */
  public void submit(Runnable send) {
    boolean runNow = false;
    synchronized (this) {
      long now = clock.getAsLong();
      if (waiting.isEmpty() && !pumpScheduled && now - lastReleaseNanos >= intervalNanos()) {
        released(now);
        runNow = true;
      } else {
        waiting.add(send);
        schedulePump(now);
      }
    }
    if (runNow) {
      send.run();
    }
  }

  /** Requests waiting for a slot. */
  public synchronized int waiting() {
    return waiting.size();
  }

  private void schedulePump(long now) {
    if (pumpScheduled || waiting.isEmpty()) {
      return;
    }
    pumpScheduled = true;
    long delay = Math.max(0, lastReleaseNanos + intervalNanos() - now);
    scheduler.schedule(this::pump, delay, TimeUnit.NANOSECONDS);
  }

  private void pump() {
    Runnable next;
    synchronized (this) {
      pumpScheduled = false;
      long now = clock.getAsLong();
      if (now - lastReleaseNanos < intervalNanos()) {
        schedulePump(now); // the rate dropped while we waited
        return;
      }
      next = waiting.poll();
      if (next == null) {
        return;
      }
      released(now);
      schedulePump(now);
    }
    next.run();
  }

  /**
   * Takes the slot that came due {@code 1/rate} after the previous release. A release a little late
   * (the scheduler's wake-up, a busy thread) is counted from when its slot was due, so that such
   * delays do not add up to a lower rate than the one in force; one more than an interval late (the
   * limiter was idle) is counted from {@code now}, so that no burst follows.
   */
  private void released(long now) {
    long interval = intervalNanos();
    long due = lastReleaseNanos + interval;
    long at = now - due < interval ? due : now;
    if (releasedAny) {
      long spacing = at - lastReleaseNanos;
      averageIntervalNanos =
          averageIntervalNanos == Double.MAX_VALUE
              ? spacing
              : (1 - SMOOTHING) * averageIntervalNanos + SMOOTHING * spacing;
    }
    releasedAny = true;
    lastReleaseNanos = at;
  }

  /** Whether most of the rate is being sent: only then does a success say the quota allows more. */
  private boolean utilised(long now) {
    double interval = Math.max(averageIntervalNanos, now - lastReleaseNanos);
    return 1e9 / interval >= UTILISATION * rate;
  }

  private long intervalNanos() {
    return (long) (1e9 / rate);
  }

  /**
   * Records a success: the rate grows (fast in slow start, additively after) if most of it is in
   * use.
   */
  public synchronized void onSuccess() {
    long now = clock.getAsLong();
    if (!utilised(now)) {
      lastGrowNanos = now;
      return; // the rate is not the bottleneck: nothing learnt about the quota
    }
    double recovered = RECOVERY * throttledRate;
    if (slowStart || rate < recovered) {
      // Double per second of successful sending, however slow each call is (+1 per success
      // alone would double only once per round trip, far too slowly for calls of seconds).
      double elapsed = Math.min(now - lastGrowNanos, GROWTH_WINDOW_NANOS) / 1e9;
      double grown = Math.max(rate + 1, rate * Math.pow(2, elapsed));
      rate = Math.min(cap, slowStart ? grown : Math.min(recovered, grown));
    } else {
      rate = Math.min(cap, rate + INCREASE_PER_SECOND / rate);
    }
    lastGrowNanos = now;
  }

  /**
   * Records a throttle of a request sent at {@code sentAtNanos}.
   *
   * @return whether the rate was cut
   */
  public synchronized boolean onThrottle(long sentAtNanos) {
    slowStart = false;
    if (sentAtNanos - lastCutNanos < 0) {
      return false;
    }
    throttledRate = rate;
    rate = Math.max(floor, rate * DECREASE);
    lastCutNanos = clock.getAsLong();
    return true;
  }

  /** The current rate, requests per second. */
  public synchronized double rate() {
    return rate;
  }
}
