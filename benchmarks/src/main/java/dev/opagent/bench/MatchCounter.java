package dev.opagent.bench;

/**
 * Counts rule matches; the Drools and Easy Rules consequences call {@link #increment()}. Not
 * thread-safe: one benchmark thread uses it.
 */
public final class MatchCounter {
  private int count;

  public void increment() {
    count++;
  }

  public int count() {
    return count;
  }

  public void reset() {
    count = 0;
  }
}
