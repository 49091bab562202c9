package dev.opagent.segment;

/** Where a successful analysis came from. Thread-safe (an enum). */
public enum Source {
  /** The agent answered this call. */
  AGENT,
  /** The cache answered, or the call joined an identical call already in flight. */
  CACHE,
  /** The agent was unavailable and the local fallback segmenter answered. */
  FALLBACK,
  /**
   * A segment store answered: an analysis the same agent (runtime ARN and qualifier) made earlier
   * of exactly the same customer data, saved across rounds and restarts. The client never answers
   * with this source; the operation loop ({@code OperationAgent} with a {@code SegmentStore}) does,
   * for a customer whose data has not changed since a recent enough analysis, or whose analysis the
   * agent failed to renew (see {@code OperationAgent.Builder#segmentStaleLimit}).
   */
  STORED
}
