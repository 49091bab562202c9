package dev.opagent.agent.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Executions per action type per day: one atomic counter per type and day, so taking a slot is a
 * single compare-and-set, and runs that straddle midnight (one still counting yesterday, one
 * already today) never reset each other's count. Counters of days more than {@link #KEPT_DAYS}
 * before the newest day counted are dropped. Thread-safe.
 */
public final class ExecutionCounters {
  /** Days before the newest counted day whose counters are kept. */
  static final long KEPT_DAYS = 7;

  private final ConcurrentHashMap<Slot, AtomicLong> counters = new ConcurrentHashMap<>();
  private final AtomicLong newestDay = new AtomicLong(Long.MIN_VALUE);
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

  private record Slot(String type, long epochDay) {}

  /** Takes one slot of {@code type} on {@code epochDay} if fewer than {@code limit} are taken. */
  public boolean tryAcquire(String type, long epochDay, long limit) {
    AtomicLong c = counter(type, epochDay);
    while (true) {
      long count = c.get();
      if (count >= limit) {
        return false;
      }
      if (c.compareAndSet(count, count + 1)) {
        return true;
      }
    }
  }

  /** Gives back a slot taken on {@code epochDay}. */
  public void release(String type, long epochDay) {
    AtomicLong c = counters.get(new Slot(type, epochDay));
    if (c != null) {
      c.getAndUpdate(n -> n > 0 ? n - 1 : 0);
    }
  }

  /** Slots of {@code type} taken on {@code epochDay}. */
  public long count(String type, long epochDay) {
    AtomicLong c = counters.get(new Slot(type, epochDay));
    return c != null ? c.get() : start(type, epochDay);
  }

  private long start(String type, long epochDay) {
    return seed == null ? 0 : Math.max(0, seed.count(type, epochDay));
  }

  /** An independent copy with the same counts. */
  public ExecutionCounters copy() {
    ExecutionCounters copy = new ExecutionCounters(seed);
    counters.forEach((slot, c) -> copy.counters.put(slot, new AtomicLong(c.get())));
    copy.newestDay.set(newestDay.get());
    return copy;
  }

  private AtomicLong counter(String type, long epochDay) {
    Slot slot = new Slot(type, epochDay);
    AtomicLong c = counters.get(slot);
    if (c != null) {
      return c;
    }
    c = counters.computeIfAbsent(slot, s -> new AtomicLong(start(type, epochDay)));
    long before = newestDay.getAndAccumulate(epochDay, Math::max);
    if (epochDay > before) {
      counters.keySet().removeIf(s -> s.epochDay() < epochDay - KEPT_DAYS);
    }
    return c;
  }
}
