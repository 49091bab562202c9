package dev.opagent.segment;

import java.time.Duration;

/**
 * Receives the client's events, for metrics. Every method has an empty default; override what you
 * need. Implementations must be thread-safe and fast: they run on the client's I/O threads. Events
 * carry no customer data.
 */
public interface SegmentClientListener {

  /** A request is about to be sent; {@code attempt} starts at 1 for each call. */
  default void onRequest(int attempt) {}

  /** A request succeeded after {@code latency}. */
  default void onResponse(Duration latency) {}

  /** A request failed with {@code code} after {@code latency}. */
  default void onRequestFailure(ErrorCode code, Duration latency) {}

  /** A call will be retried after {@code delay} because of {@code code}. */
  default void onRetry(ErrorCode code, int nextAttempt, Duration delay) {}

  /** The agent throttled a request; the adaptive rate is now {@code newRatePerSecond}. */
  default void onThrottle(double newRatePerSecond) {}

  /** A call was answered from the cache. */
  default void onCacheHit() {}

  /** A call was not in the cache and went to the agent. */
  default void onCacheMiss() {}

  /** A call joined an identical call already in flight. */
  default void onDeduplicated() {}

  /** A call was answered by the local fallback segmenter after failing with {@code code}. */
  default void onFallback(ErrorCode code) {}

  /** The circuit breaker opened (the agent is considered down) or closed again. */
  default void onCircuitStateChange(boolean open) {}

  /**
   * The account's active-session quota refused a new pooled runtime session: from now on at most
   * {@code maxInFlight} requests run at once, one per pooled session.
   */
  default void onConcurrencyLimited(int maxInFlight) {}
}
