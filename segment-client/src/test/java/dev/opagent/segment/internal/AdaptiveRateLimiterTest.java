package dev.opagent.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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

  /** Records what the limiter schedules, for the test to run by hand when it chooses. */
  private static final class ManualScheduler extends ScheduledThreadPoolExecutor {
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    long lastDelayNanos;

    ManualScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      tasks.add(command);
      lastDelayNanos = unit.toNanos(delay);
      return null;
    }

    void runNext() {
      tasks.remove().run();
    }
  }

  @Test
  void submit_releaseLate_nextSlotStaysOnTheTimelineButNoBurstAfterIdling() {
    ManualScheduler manual = new ManualScheduler();
    AdaptiveRateLimiter l = new AdaptiveRateLimiter(10, 0, manual, now::get);
    List<Integer> ran = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      l.submit(() -> ran.add(n));
    }
    now.addAndGet(130 * MS); // the slot due at 100 ms is served 30 ms late
    manual.runNext();
    assertThat(ran).containsExactly(0, 1);
    assertThat(manual.lastDelayNanos).isEqualTo(70 * MS); // the lateness is not carried over
    now.addAndGet(70 * MS);
    manual.runNext();
    assertThat(ran).containsExactly(0, 1, 2);
    now.addAndGet(450 * MS); // 650 ms: four intervals late, yet only one request leaves
    manual.runNext();
    assertThat(ran).containsExactly(0, 1, 2, 3);
    assertThat(manual.lastDelayNanos).isEqualTo(100 * MS); // the next one a full interval later
    manual.runNext(); // run early: it must keep waiting
    assertThat(ran).containsExactly(0, 1, 2, 3);
    now.addAndGet(100 * MS);
    manual.runNext();
    assertThat(ran).containsExactly(0, 1, 2, 3, 4);
    manual.shutdownNow();
  }

  /** Sends at the limiter's full rate for one second of the test clock: the rate is in use. */
  private AdaptiveRateLimiter saturated(AdaptiveRateLimiter l) {
    long until = now.get() + AdaptiveRateLimiter.GROWTH_WINDOW_NANOS;
    while (now.get() < until) {
      now.addAndGet((long) (1e9 / l.rate()));
      l.submit(() -> {});
    }
    return l;
  }

  @Test
  void onSuccess_slowStartAfterASecondOfFullUse_doublesTheRate() {
    AdaptiveRateLimiter l = saturated(limiter(10, 0));
    l.onSuccess();
    assertThat(l.rate()).isCloseTo(20.0, within(1e-9));
  }

  @Test
  void onSuccess_slowStartStillInUse_keepsGrowing() {
    AdaptiveRateLimiter l = saturated(limiter(10, 0));
    l.onSuccess();
    saturated(l);
    l.onSuccess();
    assertThat(l.rate()).isGreaterThan(20.0);
  }

  @Test
  void onSuccess_manySuccessesInOneInstant_stopOnceTheRateOutrunsWhatIsSent() {
    AdaptiveRateLimiter l = saturated(limiter(10, 0));
    for (int i = 0; i < 10; i++) {
      l.onSuccess();
    }
    // 20 after the doubling; the rate is then twice what was sent, so it stops there.
    assertThat(l.rate()).isCloseTo(20.0, within(1e-9));
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
  void onThrottle_cutsRateThenRecoversToJustBelowTheThrottledRateThenGrowsAdditively() {
    AdaptiveRateLimiter l = saturated(limiter(100, 0));
    assertThat(l.onThrottle(now.get())).isTrue();
    double afterCut = l.rate();
    assertThat(afterCut).isCloseTo(100 * AdaptiveRateLimiter.DECREASE, within(1e-9));
    l.onSuccess();
    double recovered = 100 * AdaptiveRateLimiter.RECOVERY;
    assertThat(l.rate())
        .as("back to just below the throttled rate, not above it")
        .isCloseTo(recovered, within(1e-9));
    for (int i = 0; i < 95; i++) {
      l.onSuccess();
    }
    assertThat(l.rate())
        .isCloseTo(recovered + AdaptiveRateLimiter.INCREASE_PER_SECOND, within(0.05));
  }

  @Test
  void onThrottle_again_recoversOnlyTowardsTheLaterThrottledRate() {
    AdaptiveRateLimiter l = saturated(limiter(100, 0));
    l.onThrottle(now.get());
    l.onSuccess(); // 95
    now.addAndGet(1);
    assertThat(l.onThrottle(now.get())).isTrue(); // cut from 95
    saturated(l).onSuccess();
    assertThat(l.rate()).isCloseTo(95 * AdaptiveRateLimiter.RECOVERY, within(1e-9));
  }

  @Test
  void onSuccess_rateNotTheBottleneck_doesNotGrow() {
    AdaptiveRateLimiter l = limiter(10, 0);
    l.submit(() -> {});
    for (int i = 0; i < 50; i++) {
      now.addAndGet(20 * MS);
      l.onSuccess();
    }
    assertThat(l.rate()).isEqualTo(10.0);
  }

  @Test
  void onSuccess_sendingStopped_stopsGrowing() {
    AdaptiveRateLimiter l = saturated(limiter(10, 0));
    l.onSuccess();
    double grown = l.rate();
    now.addAndGet(3 * AdaptiveRateLimiter.GROWTH_WINDOW_NANOS);
    l.onSuccess();
    assertThat(l.rate()).isEqualTo(grown);
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
