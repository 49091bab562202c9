package dev.opagent.agent.execution;

/**
 * How hard the executor may drive one channel: at most {@code concurrency} deliveries at once (the
 * size of the channel's queue workers) and at most {@code ratePerSecond} started per second, spaced
 * evenly. Immutable and thread-safe.
 *
 * @param concurrency deliveries in flight at once; at least 1
 * @param ratePerSecond deliveries started per second; {@code 0} for no limit
 */
public record ChannelLimits(int concurrency, double ratePerSecond) {

  /** 8 at once, no rate limit. */
  public static final ChannelLimits DEFAULT = new ChannelLimits(8, 0);

  /** Checks the values. */
  public ChannelLimits {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be positive but was " + concurrency);
    }
    if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException(
          "ratePerSecond must be 0 (no limit) or a positive finite number but was "
              + ratePerSecond);
    }
  }

  /** {@code concurrency} at once, no rate limit. */
  public static ChannelLimits of(int concurrency) {
    return new ChannelLimits(concurrency, 0);
  }

  /** {@code concurrency} at once, at most {@code ratePerSecond} started per second. */
  public static ChannelLimits of(int concurrency, double ratePerSecond) {
    return new ChannelLimits(concurrency, ratePerSecond);
  }
}
