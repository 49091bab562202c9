package dev.opagent.testkit;

/**
 * A token bucket: {@code capacity} tokens, refilled continuously at {@code perSecond}; each request
 * takes one. Thread-safe (synchronized; a single short critical section per request).
 */
final class TokenBucket {
  private final double perNano;
  private final double capacity;
  private final Ticker ticker;
  private double tokens;
  private long last;

  /** A full bucket. */
  public TokenBucket(double perSecond, int capacity, Ticker ticker) {
    this.perNano = perSecond / 1e9;
    this.capacity = capacity;
    this.ticker = ticker;
    this.tokens = capacity;
    this.last = ticker.read();
  }

  /** Takes a token if one is left. */
  public synchronized boolean tryAcquire() {
    long now = ticker.read();
    long elapsed = now - last;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * perNano);
      last = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
