package dev.opagent.segment.internal;

/**
 * Paces requests at an adaptive rate (AIMD with slow start). It starts at an initial rate and
 * doubles it about every second until the first throttle; each throttle cuts the rate
 * multiplicatively, once per round (throttles of requests sent before the last cut are ignored,
 * as they reflect the old rate); each success then grows it additively. An optional hard cap is
 * never exceeded. Thread-safe.
 *
 * <p>{@link #reserve()} hands out evenly spaced send times, so bursts never exceed the rate.
 */
public final class AdaptiveRateLimiter {
  /** The lowest rate the limiter goes down to, requests per second. */
  static final double MIN_RATE = 0.5;
  /** How much a throttle keeps of the rate. */
  static final double DECREASE = 0.85;
  /** How much the rate grows per second of successes after slow start, requests per second. */
  static final double INCREASE_PER_SECOND = 1.0;

  private final double cap;
  private double rate;
  private boolean slowStart = true;
  private long nextFreeNanos;
  private long lastCutNanos = Long.MIN_VALUE;

  /**
   * Creates a limiter.
   *
   * @param initialRate the starting rate, requests per second
   * @param cap the hard cap, or 0 for none
   * @param nowNanos the current {@link System#nanoTime()}
   */
  public AdaptiveRateLimiter(double initialRate, double cap, long nowNanos) {
    this.cap = cap > 0 ? cap : Double.MAX_VALUE;
    this.rate = Math.min(initialRate, this.cap);
    this.nextFreeNanos = nowNanos;
  }

  /**
   * Reserves the next send slot.
   *
   * @return how long to wait before sending, in nanoseconds (0 to send now)
   */
  public synchronized long reserve(long nowNanos) {
    long slot = Math.max(nowNanos, nextFreeNanos);
    nextFreeNanos = slot + (long) (1e9 / rate);
    return slot - nowNanos;
  }

  /** Records a success: the rate grows (fast in slow start, additively after). */
  public synchronized void onSuccess() {
    if (slowStart) {
      rate = Math.min(cap, rate + 1);
    } else {
      rate = Math.min(cap, rate + INCREASE_PER_SECOND / rate);
    }
  }

  /**
   * Records a throttle of a request sent at {@code sentAtNanos}.
   *
   * @return whether the rate was cut
   */
  public synchronized boolean onThrottle(long sentAtNanos, long nowNanos) {
    slowStart = false;
    if (sentAtNanos < lastCutNanos) {
      return false;
    }
    rate = Math.max(MIN_RATE, rate * DECREASE);
    lastCutNanos = nowNanos;
    // Spread the next sends at the new rate instead of firing the backlog at once.
    nextFreeNanos = Math.max(nextFreeNanos, nowNanos + (long) (1e9 / rate));
    return true;
  }

  /** The current rate, requests per second. */
  public synchronized double rate() {
    return rate;
  }
}
