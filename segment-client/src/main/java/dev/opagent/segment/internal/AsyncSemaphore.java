package dev.opagent.segment.internal;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A semaphore whose {@link #acquire()} returns a future instead of blocking a thread, so that
 * thousands of queued calls cost no threads. Waiters are served first come, first served. The
 * number of permits can be lowered while permits are held ({@link #limitTo(int)}): holders above
 * the new limit keep theirs, and their releases are absorbed until the limit holds. Thread-safe.
 */
public final class AsyncSemaphore {
  private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
  private int permits;

  /** Permits free now; negative after {@link #limitTo} while more than the limit are held. */
  private int available;

  /** Creates a semaphore with {@code permits} permits. */
  public AsyncSemaphore(int permits) {
    this.permits = permits;
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
      if (available < 0) {
        available++; // a permit above a lowered limit: retire it
        return;
      }
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

  /**
   * Lowers the number of permits to {@code limit} (at least 1); a higher limit than the current one
   * is ignored. Returns whether the limit changed.
   */
  public synchronized boolean limitTo(int limit) {
    int target = Math.max(1, limit);
    if (target >= permits) {
      return false;
    }
    available -= permits - target;
    permits = target;
    return true;
  }

  /** The number of permits. */
  public synchronized int permits() {
    return permits;
  }

  /** Permits free now (negative while more than a lowered limit are held). */
  public synchronized int available() {
    return available;
  }
}
