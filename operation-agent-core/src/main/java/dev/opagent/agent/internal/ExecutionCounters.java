package dev.opagent.agent.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Executions per action type per day: one atomic word per type holding the day and the count, so
 * taking a slot is a single compare-and-set and a new day resets the count without a lock.
 * Thread-safe.
 */
public final class ExecutionCounters {
  private static final int COUNT_BITS = 40;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

  private final ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();
  private final @Nullable Seed seed;

  /** Counters that start every day at zero. */
  public ExecutionCounters() {
    this(null);
  }

  /** Counters that start a type's day at what {@code seed} says is already taken. */
  public ExecutionCounters(@Nullable Seed seed) {
    this.seed = seed;
  }

  /** Executions already counted elsewhere (a shared store). */
  @FunctionalInterface
  public interface Seed {
    /** Slots of {@code type} taken on {@code epochDay} before these counters. */
    long count(String type, long epochDay);
  }

  /** Takes one slot of {@code type} on {@code epochDay} if fewer than {@code limit} are taken. */
  public boolean tryAcquire(String type, long epochDay, long limit) {
    AtomicLong c = counter(type);
    while (true) {
      long s = c.get();
      long count = (s >>> COUNT_BITS) == epochDay ? s & COUNT_MASK : start(type, epochDay);
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
      return start(type, epochDay);
    }
    long s = c.get();
    return (s >>> COUNT_BITS) == epochDay ? s & COUNT_MASK : start(type, epochDay);
  }

  private long start(String type, long epochDay) {
    return seed == null ? 0 : Math.min(COUNT_MASK, Math.max(0, seed.count(type, epochDay)));
  }

  /** An independent copy with the same counts. */
  public ExecutionCounters copy() {
    ExecutionCounters copy = new ExecutionCounters(seed);
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
