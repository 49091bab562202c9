package dev.opagent.segment;

/** Where a successful analysis came from. Thread-safe (an enum). */
public enum Source {
  /** The agent answered this call. */
  AGENT,
  /** The cache answered, or the call joined an identical call already in flight. */
  CACHE,
  /** The agent was unavailable and the local fallback segmenter answered. */
  FALLBACK
}
