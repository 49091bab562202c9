package dev.opagent.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The limiter with an explicit clock: time moves only when the test moves it. */
class AdaptiveRateLimiterTest {
  private static final long T0 = 1_000_000_000_000L;
  private static final long MS = 1_000_000L;
  private final AtomicLong now = new AtomicLong(T0);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private AdaptiveRateLimiter limiter(double rate, double cap) {
    return new AdaptiveRateLimiter(rate, cap, scheduler, now::get);
  }

  @Test
  void submit_slotFree_runsAtOnceOnCallingThread() {
    AdaptiveRateLimiter l = limiter(10, 0);
    List<String> ran = new CopyOnWriteArrayList<>();
    l.submit(() -> ran.add(Thread.currentThread().getName()));
    assertThat(ran).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void submit_burst_releasesOnlyAsTheClockAllows() {
    AdaptiveRateLimiter l = limiter(10, 0);
    List<Integer> ran = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      int n = i;
      l.submit(() -> ran.add(n));
    }
    assertThat(ran).containsExactly(0);
    assertThat(l.waiting()).isEqualTo(2);
    now.addAndGet(100 * MS);
    dev.opagent.segment.Await.until(java.time.Duration.ofSeconds(5), () -> ran.size() == 2);
    assertThat(l.waiting()).isEqualTo(1);
    now.addAndGet(100 * MS);
    dev.opagent.segment.Await.until(java.time.Duration.ofSeconds(5), () -> ran.size() == 3);
    assertThat(ran).containsExactly(0, 1, 2);
  }

  /** Makes the rate the bottleneck: a second request has to wait for a slot. */
  private static AdaptiveRateLimiter saturated(AdaptiveRateLimiter l) {
    l.submit(() -> { });
    l.submit(() -> { });
    return l;
  }

  @Test
  void onSuccess_slowStart_growsByOnePerSuccess() {
    AdaptiveRateLimiter l = saturated(limiter(10, 0));
    for (int i = 0; i < 10; i++) {
      l.onSuccess();
    }
    assertThat(l.rate()).isEqualTo(20.0);
  }

  @Test
  void onSuccess_atCap_neverExceedsIt() {
    AdaptiveRateLimiter l = saturated(limiter(30, 25));
    assertThat(l.rate()).isEqualTo(25.0);
    for (int i = 0; i < 100; i++) {
      l.onSuccess();
    }
    assertThat(l.rate()).isEqualTo(25.0);
  }

  @Test
  void onThrottle_cutsRateMultiplicativelyThenGrowsAdditively() {
    AdaptiveRateLimiter l = saturated(limiter(100, 0));
    assertThat(l.onThrottle(T0)).isTrue();
    double afterCut = l.rate();
    assertThat(afterCut).isCloseTo(100 * AdaptiveRateLimiter.DECREASE, within(1e-9));
    for (int i = 0; i < 85; i++) {
      l.onSuccess();
    }
    assertThat(l.rate()).isCloseTo(afterCut + AdaptiveRateLimiter.INCREASE_PER_SECOND, within(0.05));
  }

  @Test
  void onSuccess_rateNotTheBottleneck_doesNotGrow() {
    AdaptiveRateLimiter l = limiter(10, 0);
    l.submit(() -> { });
    for (int i = 0; i < 50; i++) {
      l.onSuccess();
    }
    assertThat(l.rate()).isEqualTo(10.0);
  }

  @Test
  void onSuccess_lastWaitLongerAgoThanTheWindow_stopsGrowing() {
    AdaptiveRateLimiter l = saturated(limiter(10, 0));
    l.onSuccess();
    now.addAndGet(AdaptiveRateLimiter.GROWTH_WINDOW_NANOS + MS);
    l.onSuccess();
    assertThat(l.rate()).isEqualTo(11.0);
  }

  @Test
  void onThrottle_ofRequestSentBeforeLastCut_isIgnored() {
    AdaptiveRateLimiter l = limiter(100, 0);
    now.set(T0 + 10 * MS);
    l.onThrottle(T0 + 5 * MS);
    double once = l.rate();
    assertThat(l.onThrottle(T0 + 6 * MS)).isFalse();
    assertThat(l.rate()).isEqualTo(once);
    now.set(T0 + 20 * MS);
    assertThat(l.onThrottle(T0 + 12 * MS)).isTrue();
    assertThat(l.rate()).isLessThan(once);
  }

  @Test
  void onThrottle_manyTimes_neverGoesBelowMinimum() {
    AdaptiveRateLimiter l = limiter(10, 0);
    for (int i = 0; i < 200; i++) {
      now.addAndGet(2 * MS);
      l.onThrottle(now.get());
    }
    assertThat(l.rate()).isEqualTo(AdaptiveRateLimiter.MIN_RATE);
  }
}
