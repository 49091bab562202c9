package dev.opagent.segment;

/**
 * Counters of a {@link SegmentClient} since it was built. Immutable snapshot, thread-safe.
 *
 * @param calls calls made ({@code analyze*} and batch customers, invalid input included)
 * @param requests requests sent to the agent
 * @param succeeded calls that returned segments
 * @param failed calls that failed
 * @param throttled requests the agent throttled
 * @param retries requests that were retries
 * @param cacheHits calls answered by the cache
 * @param cacheMisses calls that went to the agent
 * @param deduplicated calls that joined an identical call in flight
 * @param fallbacks calls answered by the fallback segmenter
 * @param sessionsCreated runtime session ids created
 * @param currentRatePerSecond the adaptive request rate now
 */
public record SegmentClientStats(
    long calls,
    long requests,
    long succeeded,
    long failed,
    long throttled,
    long retries,
    long cacheHits,
    long cacheMisses,
    long deduplicated,
    long fallbacks,
    long sessionsCreated,
    double currentRatePerSecond) {}
