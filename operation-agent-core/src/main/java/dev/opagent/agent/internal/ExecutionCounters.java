package dev.opagent.agent.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Executions per action type per day: one atomic word per type holding the day and the count, so
 * taking a slot is a single compare-and-set and a new day resets the count without a lock.
 * Thread-safe.
 */
public final class ExecutionCounters {
  private static final int COUNT_BITS = 40;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

  private final ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();

  /** Takes one slot of {@code type} on {@code epochDay} if fewer than {@code limit} are taken. */
  public boolean tryAcquire(String type, long epochDay, long limit) {
    AtomicLong c = counter(type);
    while (true) {
      long s = c.get();
      long count = (s >>> COUNT_BITS) == epochDay ? s & COUNT_MASK : 0;
      if (count >= limit) {
        return false;
      }
      if (c.compareAndSet(s, (epochDay << COUNT_BITS) | (count + 1))) {
        return true;
      }
    }
  }

  /** Gives back a slot taken on {@code epochDay}; nothing when the day has moved on. */
  public void release(String type, long epochDay) {
    AtomicLong c = counter(type);
    while (true) {
      long s = c.get();
      if ((s >>> COUNT_BITS) != epochDay || (s & COUNT_MASK) == 0) {
        return;
      }
      if (c.compareAndSet(s, s - 1)) {
        return;
      }
    }
  }

  /** Slots of {@code type} taken on {@code epochDay}. */
  public long count(String type, long epochDay) {
    AtomicLong c = counters.get(type);
    if (c == null) {
      return 0;
    }
    long s = c.get();
    return (s >>> COUNT_BITS) == epochDay ? s & COUNT_MASK : 0;
  }

  /** An independent copy with the same counts. */
  public ExecutionCounters copy() {
    ExecutionCounters copy = new ExecutionCounters();
    for (Map.Entry<String, AtomicLong> e : counters.entrySet()) {
      copy.counters.put(e.getKey(), new AtomicLong(e.getValue().get()));
    }
    return copy;
  }

  private AtomicLong counter(String type) {
    AtomicLong c = counters.get(type);
    return c != null ? c : counters.computeIfAbsent(type, k -> new AtomicLong());
  }
}
