package dev.opagent.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ActionChannel} owes the executor, as JUnit 5 tests a host inherits to
 * check its own channel. Subclasses are JUnit test classes, run one test at a time; this class
 * holds no state of its own between tests.
 *
 * <p>It checks that a delivery returns a receipt for the request's key and the channel's {@link
 * ActionChannel#name() name}; that a channel which {@link ActionChannel#deduplicatesByKey()
 * deduplicates} answers a second delivery of a key with a duplicate receipt (one that does not
 * still returns a receipt for the key); that distinct keys delivered from 8 threads at once all get
 * receipts; and that {@link ActionChannel#close()} may be called twice. Every test gets a fresh
 * channel from {@link #newChannel()} and closes it.
 *
 * <pre>{@code
 * class SmsGatewayChannelContractTest extends ActionChannelContract {
 *   @Override
 *   protected ActionChannel newChannel() {
 *     return new SmsGatewayChannel(sandboxClient());
 *   }
 * }
 * }</pre>
 */
public abstract class ActionChannelContract {
  private static final IdempotencyKeys KEYS = IdempotencyKeys.dailyUtc();
  private static final Instant PLANNED_AT = Instant.parse("2026-03-15T09:00:00Z");

  /** Threads delivering at once in the concurrency test: {@value}. */
  protected static final int THREADS = 8;

  private final String run = "contract-" + UUID.randomUUID();

  /** Makes the contract available to subclasses. */
  protected ActionChannelContract() {}

  /** A new channel under test; called once per test, which closes it. */
  protected abstract ActionChannel newChannel();

  /**
   * The {@code i}-th request of a test; requests with different {@code i} have different keys, and
   * keys differ between runs of the test. Override to send the action types, channels or parameters
   * your channel accepts; keep the keys distinct.
   */
  protected ActionRequest newRequest(int i) {
    String customer = "C-" + run + "-" + i;
    Map<String, @Nullable Object> parameters = new LinkedHashMap<>();
    parameters.put("template", "contract_test");
    return new ActionRequest(
        KEYS.key("contract", "send_email", customer, PLANNED_AT),
        run,
        customer,
        "contract",
        "send_email",
        "email",
        parameters,
        List.of(),
        null,
        null,
        BigDecimal.ZERO,
        PLANNED_AT);
  }

  /** How many requests each of the {@value #THREADS} threads delivers. Default: 25. */
  protected int deliveriesPerThread() {
    return 25;
  }

  /** A first delivery returns a receipt carrying the request's key, not a duplicate. */
  @Test
  public void deliver_newKey_returnsReceiptForTheRequestKey() {
    try (ActionChannel channel = newChannel()) {
      ActionRequest request = newRequest(0);

      DeliveryReceipt receipt = channel.deliver(request);

      assertNotNull(receipt, "deliver must return a receipt");
      assertEquals(
          request.idempotencyKey(),
          receipt.idempotencyKey(),
          "the receipt must carry the request's idempotency key");
      assertFalse(receipt.duplicate(), "a first delivery of a new key is not a duplicate");
    }
  }

  /** The receipt names the channel: {@code receipt.channel()} equals {@code name()}. */
  @Test
  public void deliver_anyRequest_receiptChannelIsTheChannelName() {
    try (ActionChannel channel = newChannel()) {
      DeliveryReceipt receipt = channel.deliver(newRequest(1));

      assertEquals(
          channel.name(), receipt.channel(), "the receipt must name the channel that delivered it");
    }
  }

  /**
   * Delivering a key twice returns a receipt for it both times; on a channel that deduplicates, the
   * second is a duplicate.
   */
  @Test
  public void deliver_sameKeyTwice_secondIsDuplicateWhenChannelDeduplicates() {
    try (ActionChannel channel = newChannel()) {
      ActionRequest request = newRequest(2);

      DeliveryReceipt first = channel.deliver(request);
      DeliveryReceipt second = channel.deliver(request);

      assertFalse(first.duplicate(), "the first delivery of a key is not a duplicate");
      assertEquals(
          request.idempotencyKey(),
          second.idempotencyKey(),
          "the second receipt must carry the request's idempotency key");
      if (channel.deduplicatesByKey()) {
        assertTrue(
            second.duplicate(),
            "a channel that deduplicatesByKey() must answer the "
                + "second delivery of a key with a duplicate receipt");
      }
    }
  }

  /** Distinct keys delivered from {@value #THREADS} threads at once all get receipts. */
  @Test
  public void deliver_distinctKeysFromEightThreads_allGetReceipts() throws Exception {
    int perThread = deliveriesPerThread();
    try (ActionChannel channel = newChannel()) {
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<DeliveryReceipt>>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int first = 100 + t * perThread;
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    List<DeliveryReceipt> receipts = new ArrayList<>();
                    for (int i = first; i < first + perThread; i++) {
                      ActionRequest request = newRequest(i);
                      DeliveryReceipt receipt = channel.deliver(request);
                      assertEquals(request.idempotencyKey(), receipt.idempotencyKey());
                      receipts.add(receipt);
                    }
                    return receipts;
                  }));
        }
        start.countDown();
        Set<String> keys = new HashSet<>();
        for (Future<List<DeliveryReceipt>> f : futures) {
          for (DeliveryReceipt r : f.get(60, TimeUnit.SECONDS)) {
            assertEquals(channel.name(), r.channel());
            assertFalse(r.duplicate(), "distinct keys must not be reported as duplicates");
            keys.add(r.idempotencyKey());
          }
        }
        assertEquals(THREADS * perThread, keys.size(), "every key must get its own receipt");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Closing twice is harmless. */
  @Test
  public void close_calledTwice_isIdempotent() {
    ActionChannel channel = newChannel();
    channel.deliver(newRequest(3));

    channel.close();
    channel.close();
  }
}
