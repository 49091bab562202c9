package dev.opagent.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExecutionCountersTest {
  private static final long DAY = 20_527;

  @Test
  void runsStraddlingMidnight_neverResetEachOthersCount() {
    ExecutionCounters counters = new ExecutionCounters();

    assertThat(counters.tryAcquire("send_sms", DAY, 2)).isTrue();
    assertThat(counters.tryAcquire("send_sms", DAY + 1, 2)).isTrue();
    assertThat(counters.tryAcquire("send_sms", DAY, 2)).isTrue();
    assertThat(counters.tryAcquire("send_sms", DAY + 1, 2)).isTrue();

    assertThat(counters.tryAcquire("send_sms", DAY, 2)).isFalse();
    assertThat(counters.tryAcquire("send_sms", DAY + 1, 2)).isFalse();
    assertThat(counters.count("send_sms", DAY)).isEqualTo(2);
    assertThat(counters.count("send_sms", DAY + 1)).isEqualTo(2);
  }

  @Test
  void seededDay_isSeededOnce_evenWhenDaysAlternate() {
    AtomicInteger seeded = new AtomicInteger();
    ExecutionCounters counters =
        new ExecutionCounters(
            (type, day) -> {
              seeded.incrementAndGet();
              return 1;
            });

    for (int i = 0; i < 3; i++) {
      counters.tryAcquire("send_sms", DAY, 10);
      counters.tryAcquire("send_sms", DAY + 1, 10);
    }

    assertThat(seeded).hasValue(2);
    assertThat(counters.count("send_sms", DAY)).isEqualTo(4);
    assertThat(counters.count("send_sms", DAY + 1)).isEqualTo(4);
  }

  @Test
  void threadsOnTwoDaysAtOnce_takeExactlyTheLimitOfEachDay() throws Exception {
    ExecutionCounters counters = new ExecutionCounters();
    int threads = 8;
    CyclicBarrier start = new CyclicBarrier(threads);
    AtomicInteger[] taken = {new AtomicInteger(), new AtomicInteger()};
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int day = t % 2;
      all.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  start.await();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                for (int i = 0; i < 1_000; i++) {
                  if (counters.tryAcquire("send_email", DAY + day, 500)) {
                    taken[day].incrementAndGet();
                  }
                }
              }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();

    assertThat(taken[0]).hasValue(500);
    assertThat(taken[1]).hasValue(500);
  }

  @Test
  void oldDays_areDroppedOnceAWeekBehind_releaseOfADroppedDayIsHarmless() {
    ExecutionCounters counters = new ExecutionCounters();
    counters.tryAcquire("send_sms", DAY, 5);

    counters.tryAcquire("send_sms", DAY + ExecutionCounters.KEPT_DAYS + 1, 5);
    counters.release("send_sms", DAY);

    assertThat(counters.count("send_sms", DAY)).isZero();
    assertThat(counters.count("send_sms", DAY + ExecutionCounters.KEPT_DAYS + 1)).isEqualTo(1);
  }
}
