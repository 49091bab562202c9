package dev.opagent.testkit.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.testkit.InMemoryChannel;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryChannelTest {
  private static final Instant NOW = Instant.parse("2026-03-15T09:00:00Z");

  private static ActionRequest request(String key) {
    return new ActionRequest(
        key,
        "run-1",
        "C-" + key,
        "winback",
        "send_email",
        "email",
        Map.<String, Object>of("template", "winback_offer"),
        List.of(),
        null,
        null,
        BigDecimal.ZERO,
        NOW);
  }

  @Test
  void deliver_sameKeyTwice_secondIsDuplicateOfTheFirst() {
    InMemoryChannel channel =
        InMemoryChannel.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    ActionRequest a = request("ik-a");

    DeliveryReceipt first = channel.deliver(a);
    DeliveryReceipt second = channel.deliver(a);

    assertThat(first).isEqualTo(DeliveryReceipt.delivered(a, "memory", "memory-1", NOW));
    assertThat(second).isEqualTo(DeliveryReceipt.duplicate(a, "memory", "memory-1", NOW));
    assertThat(channel.count("ik-a")).isEqualTo(1);
    assertThat(channel.size()).isEqualTo(1);
    assertThat(channel.attempts()).isEqualTo(2);
    assertThat(channel.deliveries()).containsExactly(a);
  }

  @Test
  void deliver_withoutDeduplication_recordsTheDoubleDelivery() {
    InMemoryChannel channel = InMemoryChannel.builder().deduplicatesByKey(false).build();

    channel.deliver(request("ik-a"));
    DeliveryReceipt again = channel.deliver(request("ik-a"));
    channel.deliver(request("ik-b"));

    assertThat(again.duplicate()).isFalse();
    assertThat(channel.deduplicatesByKey()).isFalse();
    assertThat(channel.count("ik-a")).isEqualTo(2);
    assertThat(channel.count("ik-missing")).isZero();
    assertThat(channel.keys()).containsExactly("ik-a", "ik-b");
    assertThat(channel.deliveries())
        .extracting(ActionRequest::idempotencyKey)
        .containsExactly("ik-a", "ik-a", "ik-b");
  }

  @Test
  void failNext_twice_thirdAttemptDelivers() {
    InMemoryChannel channel = InMemoryChannel.create().failNext(2);
    List<ChannelException> failures = new ArrayList<>();
    DeliveryReceipt receipt = null;
    while (receipt == null && failures.size() < 5) {
      try {
        receipt = channel.deliver(request("ik-a"));
      } catch (ChannelException e) {
        failures.add(e);
      }
    }

    assertThat(failures)
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.retryAfter()).isNull();
              assertThat(e.channel()).isEqualTo("memory");
            });
    assertThat(receipt).isNotNull();
    assertThat(channel.attempts()).isEqualTo(3);
    assertThat(channel.count("ik-a")).isEqualTo(1);
  }

  @Test
  void failNextKinds_applyInTheOrderScripted() {
    InMemoryChannel channel =
        InMemoryChannel.create()
            .failNextWithRetryAfter(1, Duration.ofSeconds(2))
            .failNextPermanently(1)
            .failNext(1);

    ChannelException first =
        catchThrowableOfType(ChannelException.class, () -> channel.deliver(request("ik-a")));
    ChannelException second =
        catchThrowableOfType(ChannelException.class, () -> channel.deliver(request("ik-a")));
    ChannelException third =
        catchThrowableOfType(ChannelException.class, () -> channel.deliver(request("ik-a")));
    DeliveryReceipt fourth = channel.deliver(request("ik-a"));

    assertThat(first.retryable()).isTrue();
    assertThat(first.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(second.retryable()).isFalse();
    assertThat(third.retryable()).isTrue();
    assertThat(third.retryAfter()).isNull();
    assertThat(fourth.duplicate()).isFalse();
    assertThat(channel.size()).isEqualTo(1);
  }

  @Test
  void failKey_failsOnlyThatKeyEveryTimeWithoutUsingTheScript() {
    InMemoryChannel channel =
        InMemoryChannel.create().failKey("ik-bad", false).failKey("ik-flaky", true).failNext(1);

    for (int i = 0; i < 3; i++) {
      assertThat(
              catchThrowableOfType(ChannelException.class, () -> channel.deliver(request("ik-bad")))
                  .retryable())
          .isFalse();
    }
    assertThat(
            catchThrowableOfType(ChannelException.class, () -> channel.deliver(request("ik-flaky")))
                .retryable())
        .isTrue();
    assertThat(
            catchThrowableOfType(ChannelException.class, () -> channel.deliver(request("ik-good")))
                .getMessage())
        .isEqualTo("channel 'memory': scripted retryable failure");
    assertThat(channel.deliver(request("ik-good")).duplicate()).isFalse();
    assertThat(channel.keys()).containsExactly("ik-good");
  }

  @Test
  void reset_forgetsDeliveriesAttemptsAndScript() {
    InMemoryChannel channel = InMemoryChannel.create();
    channel.deliver(request("ik-a"));
    channel.failNext(3).failKey("ik-b", true);

    channel.reset();

    assertThat(channel.size()).isZero();
    assertThat(channel.attempts()).isZero();
    assertThat(channel.keys()).isEmpty();
    assertThat(channel.deliver(request("ik-b")).externalId()).isEqualTo("memory-1");
    assertThat(channel.deliver(request("ik-a")).duplicate()).isFalse();
  }

  @Test
  void close_refusesLaterDeliveriesButKeepsRecords() {
    InMemoryChannel channel = InMemoryChannel.builder().name("email").build();
    channel.deliver(request("ik-a"));

    channel.close();
    channel.close();

    assertThat(channel.isClosed()).isTrue();
    assertThatThrownBy(() -> channel.deliver(request("ik-b")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("channel 'email' is closed");
    assertThat(channel.keys()).containsExactly("ik-a");
    assertThat(channel.toString())
        .isEqualTo("InMemoryChannel[name=email, deduplicatesByKey=true, deliveries=1]");
  }

  @Test
  void deliver_manyThreadsWithSharedKeys_recordsEachKeyOnce() throws Exception {
    InMemoryChannel channel = InMemoryChannel.create();
    int threads = 8;
    int keys = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Long>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                start.await();
                long duplicates = 0;
                for (int i = 0; i < keys; i++) {
                  duplicates += channel.deliver(request("ik-" + i)).duplicate() ? 1 : 0;
                }
                return duplicates;
              }));
    }
    start.countDown();
    long duplicates = 0;
    for (Future<Long> f : futures) {
      duplicates += f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(channel.size()).isEqualTo(keys);
    assertThat(channel.keys()).hasSize(keys);
    assertThat(duplicates).isEqualTo((long) (threads - 1) * keys);
    assertThat(channel.attempts()).isEqualTo((long) threads * keys);
  }

  @Test
  void latency_eachDeliveryTakesAtLeastThatLong() {
    InMemoryChannel channel = InMemoryChannel.builder().latency(Duration.ofMillis(20)).build();

    long start = System.nanoTime();
    channel.deliver(request("ik-a"));
    channel.deliver(request("ik-b"));
    long elapsed = System.nanoTime() - start;

    assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(40).toNanos());
  }

  @Test
  void builderAndScript_invalidValues_areRejected() {
    assertThatThrownBy(() -> InMemoryChannel.builder().name(" "))
        .hasMessage("name must not be blank");
    assertThatThrownBy(() -> InMemoryChannel.builder().latency(Duration.ofMillis(-1)))
        .hasMessage("latency must not be negative but was PT-0.001S");
    assertThatThrownBy(() -> InMemoryChannel.create().failNext(-1))
        .hasMessage("n must not be negative but was -1");
    assertThatThrownBy(
            () -> InMemoryChannel.create().failNextWithRetryAfter(1, Duration.ofSeconds(-1)))
        .hasMessage("wait must not be negative but was PT-1S");
  }
}
