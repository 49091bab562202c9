package dev.opagent.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncSemaphoreTest {

  @Test
  void acquire_withinPermits_completesAtOnceThenWaits() {
    AsyncSemaphore s = new AsyncSemaphore(2);
    assertThat(s.acquire()).isDone();
    assertThat(s.acquire()).isDone();
    CompletableFuture<Void> third = s.acquire();
    assertThat(third).isNotDone();
    assertThat(s.available()).isZero();
    s.release();
    assertThat(third).isDone();
    assertThat(s.available()).isZero();
  }

  @Test
  void release_servesWaitersFirstComeFirstServed() {
    AsyncSemaphore s = new AsyncSemaphore(1);
    s.acquire();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int n = i;
      s.acquire().thenRun(() -> order.add(n));
    }
    s.release();
    s.release();
    s.release();
    assertThat(order).containsExactly(0, 1, 2);
  }

  @Test
  void release_skipsCancelledWaitersWithoutLosingThePermit() {
    AsyncSemaphore s = new AsyncSemaphore(1);
    s.acquire();
    CompletableFuture<Void> gone = s.acquire();
    CompletableFuture<Void> live = s.acquire();
    gone.cancel(false);
    s.release();
    assertThat(live).isDone().isNotCancelled();
    s.release();
    assertThat(s.available()).isEqualTo(1);
  }

  @Test
  void limitTo_whilePermitsAreHeld_retiresReleasesUntilTheLimitHolds() {
    AsyncSemaphore s = new AsyncSemaphore(4);
    for (int i = 0; i < 4; i++) {
      assertThat(s.acquire()).isDone();
    }
    CompletableFuture<Void> waiting = s.acquire();
    assertThat(s.limitTo(2)).isTrue();
    assertThat(s.permits()).isEqualTo(2);
    s.release();
    s.release();
    assertThat(waiting).as("two of four holders gave back permits above the limit").isNotDone();
    s.release();
    assertThat(waiting).isDone();
    s.release();
    s.release();
    assertThat(s.available()).isEqualTo(2);
    assertThat(s.acquire()).isDone();
    assertThat(s.acquire()).isDone();
    assertThat(s.acquire()).isNotDone();
  }

  @Test
  void limitTo_higherOrBelowOne_neverRaisesAndKeepsOnePermit() {
    AsyncSemaphore s = new AsyncSemaphore(3);
    assertThat(s.limitTo(5)).isFalse();
    assertThat(s.permits()).isEqualTo(3);
    assertThat(s.limitTo(0)).isTrue();
    assertThat(s.permits()).isEqualTo(1);
    assertThat(s.limitTo(1)).isFalse();
    assertThat(s.acquire()).isDone();
    assertThat(s.acquire()).isNotDone();
  }

  @Test
  void acquireRelease_concurrently_neverExceedsPermitsAndReturnsAll() throws Exception {
    AsyncSemaphore s = new AsyncSemaphore(3);
    AtomicInteger held = new AtomicInteger();
    AtomicInteger maxHeld = new AtomicInteger();
    int tasks = 2_000;
    CountDownLatch done = new CountDownLatch(tasks);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int i = 0; i < tasks; i++) {
        pool.execute(
            () ->
                s.acquire()
                    .thenRunAsync(
                        () -> {
                          maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                          held.decrementAndGet();
                          s.release();
                          done.countDown();
                        },
                        pool));
      }
      assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    assertThat(maxHeld.get()).isBetween(1, 3);
    assertThat(s.available()).isEqualTo(3);
  }
}
