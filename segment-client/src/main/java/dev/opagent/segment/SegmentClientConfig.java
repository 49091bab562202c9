package dev.opagent.segment;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The resolved, immutable configuration of a {@link SegmentClient}; see {@link
 * SegmentClientBuilder} for what each option means and its default. Thread-safe.
 *
 * @param agentRuntimeArn the agent runtime's ARN
 * @param qualifier the endpoint qualifier
 * @param maxConcurrency the most requests in flight
 * @param maxRequestsPerSecond a known hard cap on the request rate, or 0 when unknown
 * @param initialRequestsPerSecond the rate the client starts at before it adapts
 * @param maxAttempts the most requests per call
 * @param agentErrorRetries retries for agent errors (424)
 * @param malformedResponseRetries retries for unreadable answers
 * @param baseDelay the first retry's maximum delay (full jitter)
 * @param maxDelay the largest retry delay
 * @param attemptTimeout the deadline of one request
 * @param circuitBreakerEnabled whether the circuit breaker is on
 * @param circuitBreakerFailures failures among the last {@code circuitBreakerWindow} requests that
 *     open the circuit
 * @param circuitBreakerWindow the number of recent requests the breaker looks at
 * @param circuitBreakerDelay how long the circuit stays open before probing
 * @param cacheEnabled whether successful answers are cached
 * @param cacheTtl how long a cached answer is used
 * @param cacheMaxSize the most cached answers
 * @param sessionMode how session ids are chosen
 * @param runtimeUserId the runtime user id sent with each request, if any
 * @param payloadLogging whether payloads and answers may appear in logs and error messages
 * @param listeners metrics listeners
 * @param fallback the local segmenter used when the agent is unavailable, if any
 */
public record SegmentClientConfig(
    String agentRuntimeArn,
    String qualifier,
    int maxConcurrency,
    double maxRequestsPerSecond,
    double initialRequestsPerSecond,
    int maxAttempts,
    int agentErrorRetries,
    int malformedResponseRetries,
    Duration baseDelay,
    Duration maxDelay,
    Duration attemptTimeout,
    boolean circuitBreakerEnabled,
    int circuitBreakerFailures,
    int circuitBreakerWindow,
    Duration circuitBreakerDelay,
    boolean cacheEnabled,
    Duration cacheTtl,
    long cacheMaxSize,
    SessionMode sessionMode,
    @Nullable String runtimeUserId,
    boolean payloadLogging,
    List<SegmentClientListener> listeners,
    @Nullable LocalSegmenter fallback) {

  /** Copies the listeners. */
  public SegmentClientConfig {
    listeners = List.copyOf(listeners);
  }

  @Override
  public String toString() {
    return "SegmentClientConfig[agentRuntimeArn="
        + agentRuntimeArn
        + ", qualifier="
        + qualifier
        + ", maxConcurrency="
        + maxConcurrency
        + ", maxRequestsPerSecond="
        + maxRequestsPerSecond
        + ", maxAttempts="
        + maxAttempts
        + ", attemptTimeout="
        + attemptTimeout
        + ", cacheEnabled="
        + cacheEnabled
        + ", sessionMode="
        + sessionMode
        + ", fallback="
        + (fallback != null)
        + "]";
  }
}
