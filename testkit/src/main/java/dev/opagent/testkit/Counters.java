package dev.opagent.testkit;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The simulator's request counters. Thread-safe and lock-free. */
final class Counters {
  private final EnumMap<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);
  private final LongAdder requests = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicLong> calls = new ConcurrentHashMap<>();

  /** Empty counters. */
  public Counters() {
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, new LongAdder());
    }
  }

  /** A request arrived. */
  public void enter() {
    int now = inFlight.incrementAndGet();
    int max;
    while (now > (max = maxInFlight.get()) && !maxInFlight.compareAndSet(max, now)) {
      // retry: another request raised the maximum meanwhile
    }
  }

  /** A request was answered (or dropped) with {@code outcome}. */
  public void exit(Outcome outcome) {
    LongAdder count = outcomes.get(outcome);
    if (count == null) {
      throw new IllegalStateException("every outcome has a counter from the start");
    }
    count.increment();
    requests.increment();
    inFlight.decrementAndGet();
  }

  /** Counts a call for {@code customerId}; returns its number, starting at 1. */
  public long call(String customerId) {
    return calls.computeIfAbsent(customerId, id -> new AtomicLong()).incrementAndGet();
  }

  /** Calls so far for {@code customerId}. */
  public long callsFor(String customerId) {
    AtomicLong n = calls.get(customerId);
    return n == null ? 0 : n.get();
  }

  public long requests() {
    return requests.sum();
  }

  public Map<Outcome, Long> outcomes() {
    Map<Outcome, Long> copy = new EnumMap<>(Outcome.class);
    outcomes.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  public int inFlight() {
    return inFlight.get();
  }

  public int maxInFlight() {
    return maxInFlight.get();
  }

  public Map<String, Long> calls() {
    Map<String, Long> copy = new HashMap<>(calls.size() * 2);
    calls.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Zeroes every counter; the maximum in flight restarts from the requests now in flight. */
  public void reset() {
    outcomes.values().forEach(LongAdder::reset);
    requests.reset();
    calls.clear();
    maxInFlight.set(inFlight.get());
  }
}
