package dev.opagent.testkit;

/**
 * A source of nanosecond time for the simulator's quotas and session idle timeouts, so tests can
 * move time instead of sleeping. Implementations must be thread-safe.
 *
 * <p>Only differences between two readings matter; the values need not relate to wall-clock time.
 */
@FunctionalInterface
public interface Ticker {
  /** The current reading in nanoseconds. */
  long read();

  /** The JVM's monotonic clock ({@link System#nanoTime()}). */
  static Ticker system() {
    return System::nanoTime;
  }
}
