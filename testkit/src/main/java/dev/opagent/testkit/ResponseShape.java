package dev.opagent.testkit;

/** How the simulated agent answers a successful invocation. Thread-safe (an enum). */
public enum ResponseShape {
  /** One {@code application/json} body: {@code {"analysis": {...}}}. */
  JSON,
  /**
   * A {@code text/event-stream}: progress events whose data are JSON strings, then a final event
   * whose data is {@code {"analysis": {...}}}. When latency is configured the events are spread
   * over it and flushed one by one.
   */
  EVENT_STREAM
}
