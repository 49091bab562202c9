package dev.opagent.segment;

/**
 * Computes segments locally, without the agent: the client's fallback when the agent is
 * unavailable. {@link dev.opagent.segment.ReferenceSegmenter} is the SDK's implementation.
 * Implementations must be thread-safe and deterministic for a given clock.
 */
@FunctionalInterface
public interface LocalSegmenter {
  /** The segments of {@code data}. */
  SegmentAnalysis analyze(CustomerData data);
}
