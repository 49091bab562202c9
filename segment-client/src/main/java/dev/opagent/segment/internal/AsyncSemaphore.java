package dev.opagent.segment.internal;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A semaphore whose {@link #acquire()} returns a future instead of blocking a thread, so that
 * thousands of queued calls cost no threads. Waiters are served first come, first served.
 * Thread-safe.
 */
public final class AsyncSemaphore {
  private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
  private int available;

  /** Creates a semaphore with {@code permits} permits. */
  public AsyncSemaphore(int permits) {
    this.available = permits;
  }

  /** Completes when a permit is held; cancel the future to stop waiting. */
  public CompletableFuture<Void> acquire() {
    synchronized (this) {
      if (available > 0 && waiters.isEmpty()) {
        available--;
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> waiter = new CompletableFuture<>();
      waiters.add(waiter);
      return waiter;
    }
  }

  /** Returns a permit, handing it to the oldest live waiter if there is one. */
  public void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      while (true) {
        next = waiters.poll();
        if (next == null) {
          available++;
          return;
        }
        if (!next.isDone()) {
          break;
        }
      }
    }
    if (!next.complete(null)) {
      release(); // cancelled between poll and complete
    }
  }

  /** Permits free now. */
  public synchronized int available() {
    return available;
  }
}
