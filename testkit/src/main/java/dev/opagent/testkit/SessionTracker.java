package dev.opagent.testkit;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Active runtime sessions as AgentCore counts them: a session starts with the first request that
 * names its id, stays active until it has been idle for the idle timeout or is stopped, and counts
 * against the active-session quota meanwhile. Thread-safe: requests on live sessions are lock-free;
 * starting a session takes a lock.
 */
final class SessionTracker {
  private final int maxActive;
  private final long idleNanos;
  private final Ticker ticker;
  private final ConcurrentHashMap<String, Long> lastUsed = new ConcurrentHashMap<>();
  private final Set<String> everSeen = ConcurrentHashMap.newKeySet();
  private final AtomicLong distinct = new AtomicLong();
  private final AtomicLong stopped = new AtomicLong();

  /** A tracker; {@code maxActive} 0 means unlimited. */
  public SessionTracker(int maxActive, Duration idleTimeout, Ticker ticker) {
    this.maxActive = maxActive;
    this.idleNanos = idleTimeout.toNanos();
    this.ticker = ticker;
  }

  /**
   * Records a request on {@code sessionId}, starting the session when it is not active.
   *
   * @return {@code false} when starting it would exceed the quota (nothing is recorded then)
   */
  public boolean use(String sessionId) {
    long now = ticker.read();
    Long previous = lastUsed.get(sessionId);
    if (previous != null && now - previous <= idleNanos) {
      lastUsed.put(sessionId, now);
      countDistinct(sessionId);
      return true;
    }
    synchronized (this) {
      previous = lastUsed.get(sessionId);
      if (previous == null || now - previous > idleNanos) {
        if (maxActive > 0) {
          lastUsed.remove(sessionId);
          if (lastUsed.size() >= maxActive && expire(now) >= maxActive) {
            return false;
          }
        }
      }
      lastUsed.put(sessionId, now);
    }
    countDistinct(sessionId);
    return true;
  }

  private void countDistinct(String sessionId) {
    if (everSeen.add(sessionId)) {
      distinct.incrementAndGet();
    }
  }

  /**
   * Ends {@code sessionId} ({@code StopRuntimeSession}).
   *
   * @return whether it was active
   */
  public boolean stop(String sessionId) {
    long now = ticker.read();
    synchronized (this) {
      Long previous = lastUsed.remove(sessionId);
      if (previous == null || now - previous > idleNanos) {
        return false;
      }
      stopped.incrementAndGet();
      return true;
    }
  }

  /** Sessions active now. */
  public int live() {
    synchronized (this) {
      return expire(ticker.read());
    }
  }

  /** Distinct session ids used since the start or the last {@link #resetCounters()}. */
  public long distinct() {
    return distinct.get();
  }

  /** Sessions ended by {@link #stop(String)}. */
  public long stopped() {
    return stopped.get();
  }

  /** Resets the distinct and stopped counters; active sessions stay active. */
  public void resetCounters() {
    synchronized (this) {
      everSeen.clear();
      distinct.set(0);
      stopped.set(0);
    }
  }

  private int expire(long now) {
    for (Iterator<Map.Entry<String, Long>> it = lastUsed.entrySet().iterator(); it.hasNext(); ) {
      if (now - it.next().getValue() > idleNanos) {
        it.remove();
      }
    }
    return lastUsed.size();
  }
}
