package dev.opagent.agent.execution;

import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** A channel for executor tests: deduplicates by key, fails as scripted, counts concurrency. */
final class ScriptedChannel implements ActionChannel {
  final String name;
  final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
  final List<Instant> attemptTimes = Collections.synchronizedList(new ArrayList<>());
  final ConcurrentLinkedQueue<RuntimeException> script = new ConcurrentLinkedQueue<>();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  volatile long holdNanos;

  ScriptedChannel(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean deduplicatesByKey() {
    return true;
  }

  @Override
  public DeliveryReceipt deliver(ActionRequest request) {
    attemptTimes.add(Clock.systemUTC().instant());
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      if (holdNanos > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(holdNanos);
      }
      RuntimeException next = script.poll();
      if (next != null) {
        throw next;
      }
      int n =
          deliveries
              .computeIfAbsent(request.idempotencyKey(), k -> new AtomicInteger())
              .incrementAndGet();
      return n == 1
          ? DeliveryReceipt.delivered(request, name, "m-" + request.idempotencyKey(), Instant.now())
          : DeliveryReceipt.duplicate(
              request, name, "m-" + request.idempotencyKey(), Instant.now());
    } finally {
      inFlight.decrementAndGet();
    }
  }

  int delivered() {
    return deliveries.size();
  }

  void failNext(int n, boolean retryable, Duration retryAfter) {
    for (int i = 0; i < n; i++) {
      script.add(
          retryable
              ? ChannelException.retryable(name, "HTTP 503", retryAfter)
              : ChannelException.permanent(name, "HTTP 400"));
    }
  }
}
