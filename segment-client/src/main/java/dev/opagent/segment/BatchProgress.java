package dev.opagent.segment;

import java.time.Duration;

/**
 * A snapshot of a running batch. Immutable and thread-safe.
 *
 * @param done customers with an outcome so far
 * @param succeeded of which succeeded
 * @param failed of which failed
 * @param requests requests sent to the agent by the client so far (all batches and calls)
 * @param throttled requests the agent throttled so far (all batches and calls)
 * @param currentRatePerSecond the adaptive request rate the client is sending at now
 * @param elapsed time since the batch started
 */
public record BatchProgress(
    long done,
    long succeeded,
    long failed,
    long requests,
    long throttled,
    double currentRatePerSecond,
    Duration elapsed) {

  /** Customers finished per second since the start. */
  public double customersPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : done / seconds;
  }
}
