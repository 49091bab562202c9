package dev.opagent.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Pure tests with explicit {@code nanoTime} values. */
class AdaptiveRateLimiterTest {
  private static final long T0 = 1_000_000_000_000L;
  private static final long MS = 1_000_000L;

  @Test
  void reserve_burst_spacesSendsAtTheRate() {
    AdaptiveRateLimiter l = new AdaptiveRateLimiter(10, 0, T0);
    assertThat(l.reserve(T0)).isZero();
    assertThat(l.reserve(T0)).isEqualTo(100 * MS);
    assertThat(l.reserve(T0)).isEqualTo(200 * MS);
    assertThat(l.reserve(T0 + 150 * MS)).isEqualTo(150 * MS);
  }

  @Test
  void reserve_afterIdleTime_sendsAtOnceWithoutBurstCredit() {
    AdaptiveRateLimiter l = new AdaptiveRateLimiter(10, 0, T0);
    l.reserve(T0);
    assertThat(l.reserve(T0 + 10_000 * MS)).isZero();
    assertThat(l.reserve(T0 + 10_000 * MS)).isEqualTo(100 * MS);
  }

  @Test
  void onSuccess_slowStart_growsByOnePerSuccess() {
    AdaptiveRateLimiter l = new AdaptiveRateLimiter(10, 0, T0);
    for (int i = 0; i < 10; i++) {
      l.onSuccess();
    }
    assertThat(l.rate()).isEqualTo(20.0);
  }

  @Test
  void onSuccess_atCap_neverExceedsIt() {
    AdaptiveRateLimiter l = new AdaptiveRateLimiter(30, 25, T0);
    assertThat(l.rate()).isEqualTo(25.0);
    for (int i = 0; i < 100; i++) {
      l.onSuccess();
    }
    assertThat(l.rate()).isEqualTo(25.0);
  }

  @Test
  void onThrottle_cutsRateMultiplicativelyAndEndsSlowStart() {
    AdaptiveRateLimiter l = new AdaptiveRateLimiter(100, 0, T0);
    assertThat(l.onThrottle(T0, T0 + MS)).isTrue();
    assertThat(l.rate()).isCloseTo(100 * AdaptiveRateLimiter.DECREASE, within(1e-9));
    double afterCut = l.rate();
    for (int i = 0; i < 85; i++) {
      l.onSuccess();
    }
    // additive increase: about INCREASE_PER_SECOND per second's worth of successes
    assertThat(l.rate()).isCloseTo(afterCut + AdaptiveRateLimiter.INCREASE_PER_SECOND, within(0.05));
  }

  @Test
  void onThrottle_ofRequestSentBeforeLastCut_isIgnored() {
    AdaptiveRateLimiter l = new AdaptiveRateLimiter(100, 0, T0);
    l.onThrottle(T0 + 5 * MS, T0 + 10 * MS);
    double once = l.rate();
    assertThat(l.onThrottle(T0 + 6 * MS, T0 + 11 * MS)).isFalse();
    assertThat(l.rate()).isEqualTo(once);
    assertThat(l.onThrottle(T0 + 12 * MS, T0 + 20 * MS)).isTrue();
    assertThat(l.rate()).isLessThan(once);
  }

  @Test
  void onThrottle_manyTimes_neverGoesBelowMinimum() {
    AdaptiveRateLimiter l = new AdaptiveRateLimiter(10, 0, T0);
    for (int i = 0; i < 200; i++) {
      l.onThrottle(T0 + i * 2L * MS + MS, T0 + (i + 1) * 2L * MS);
    }
    assertThat(l.rate()).isEqualTo(AdaptiveRateLimiter.MIN_RATE);
  }

  @Test
  void onThrottle_spreadsNextSendAtTheNewRate() {
    AdaptiveRateLimiter l = new AdaptiveRateLimiter(10, 0, T0);
    l.reserve(T0);
    l.onThrottle(T0, T0 + 10 * MS);
    long gap = (long) (1e9 / l.rate());
    assertThat(l.reserve(T0 + 10 * MS)).isEqualTo(gap);
  }
}
