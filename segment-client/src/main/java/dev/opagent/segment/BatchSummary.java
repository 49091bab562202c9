package dev.opagent.segment;

import java.time.Duration;
import java.util.Map;

/**
 * What a finished batch did. Immutable and thread-safe.
 *
 * @param total customers in (always equal to outcomes out)
 * @param succeeded customers with segments (from the agent, the cache or the fallback)
 * @param failed customers without
 * @param failedByCode failures per error code
 * @param fromCache successes answered by the cache or a shared in-flight call
 * @param fromFallback successes answered by the local fallback segmenter
 * @param requests requests sent to the agent during the batch
 * @param throttled requests the agent throttled during the batch
 * @param elapsed wall-clock time of the batch
 * @param cancelled whether the batch was cancelled before it finished
 */
public record BatchSummary(
    long total,
    long succeeded,
    long failed,
    Map<ErrorCode, Long> failedByCode,
    long fromCache,
    long fromFallback,
    long requests,
    long throttled,
    Duration elapsed,
    boolean cancelled) {

  /** Copies the map. */
  public BatchSummary {
    failedByCode = Map.copyOf(failedByCode);
  }

  /** Customers finished per second. */
  public double customersPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : total / seconds;
  }
}
