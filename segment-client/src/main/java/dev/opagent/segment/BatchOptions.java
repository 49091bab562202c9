package dev.opagent.segment;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a batch runs. Immutable and thread-safe; build with {@link #builder()} or use {@link
 * #ofDefaults()}.
 *
 * @param ordered whether outcomes reach the consumer in input order (default {@code true});
 *     unordered delivery avoids waiting behind a slow customer
 * @param maxBuffered the most customers held in memory at once: in flight plus finished but not yet
 *     delivered (default 0 = four times the client's {@code maxConcurrency}); this is what keeps a
 *     million-customer stream in bounded memory
 * @param bypassCache whether to skip the cache (and in-flight sharing) for this batch
 * @param progressListener receives a {@link BatchProgress} every {@code progressInterval} and at
 *     the end, on the thread running the batch
 * @param progressInterval how often progress is reported (default 1 s)
 */
public record BatchOptions(
    boolean ordered,
    int maxBuffered,
    boolean bypassCache,
    Consumer<BatchProgress> progressListener,
    Duration progressInterval) {

  private static final BatchOptions DEFAULTS = builder().build();

  /** Checks the members. */
  public BatchOptions {
    if (maxBuffered < 0) {
      throw new IllegalArgumentException("maxBuffered must not be negative but was " + maxBuffered);
    }
    Objects.requireNonNull(progressListener, "progressListener");
    if (progressInterval.isNegative() || progressInterval.isZero()) {
      throw new IllegalArgumentException(
          "progressInterval must be positive but was " + progressInterval);
    }
  }

  /** Ordered delivery, default buffering, cache on, no progress listener. */
  public static BatchOptions ofDefaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link BatchOptions}. Not thread-safe. */
  public static final class Builder {
    private boolean ordered = true;
    private int maxBuffered;
    private boolean bypassCache;
    private Consumer<BatchProgress> progressListener = p -> {};
    private Duration progressInterval = Duration.ofSeconds(1);

    private Builder() {}

    /** Whether outcomes are delivered in input order. Default {@code true}. */
    public Builder ordered(boolean ordered) {
      this.ordered = ordered;
      return this;
    }

    /** The most customers held in memory at once; 0 (default) means 4 × maxConcurrency. */
    public Builder maxBuffered(int maxBuffered) {
      this.maxBuffered = maxBuffered;
      return this;
    }

    /** Skip the cache and in-flight sharing. Default {@code false}. */
    public Builder bypassCache(boolean bypassCache) {
      this.bypassCache = bypassCache;
      return this;
    }

    /** Receives progress snapshots. Default: none. */
    public Builder progressListener(Consumer<BatchProgress> progressListener) {
      this.progressListener = Objects.requireNonNull(progressListener, "progressListener");
      return this;
    }

    /** How often progress is reported. Default 1 s. */
    public Builder progressInterval(Duration progressInterval) {
      this.progressInterval = Objects.requireNonNull(progressInterval, "progressInterval");
      return this;
    }

    /** The options. */
    public BatchOptions build() {
      return new BatchOptions(
          ordered, maxBuffered, bypassCache, progressListener, progressInterval);
    }
  }
}
