package dev.opagent.agent.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.spi.Observation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FeedbackLoopConcurrencyTest {
  private static final Instant T0 = Instant.parse("2026-03-15T09:00:00Z");

  @Test
  void recordAndRead_fromManyThreads_countEverythingExactlyOnce() throws Exception {
    FeedbackLoop loop = FeedbackLoop.ofDefaults();
    int writers = 6;
    int perWriter = 400;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean done = new AtomicBoolean();
    AtomicBoolean inconsistent = new AtomicBoolean();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perWriter; i++) {
                    String customer = "C-" + writer + "-" + i;
                    ActionRequest r =
                        FeedbackLoopTest.request(
                            "k-" + writer + "-" + i,
                            customer,
                            "winback",
                            "send_email",
                            i % 2 == 0 ? "control" : "treatment",
                            "Riskli",
                            "0.10");
                    DeliveryReceipt receipt = DeliveryReceipt.delivered(r, "email", "m", T0);
                    loop.recordDelivery(r, receipt);
                    loop.recordDelivery(r, receipt);
                    loop.record(
                        Interaction.of(
                            r.idempotencyKey(),
                            customer,
                            "winback",
                            InteractionType.OPENED,
                            T0.plusSeconds(1)));
                    if (i % 4 == 0) {
                      loop.record(
                          Interaction.conversion(
                              customer, "winback", T0.plusSeconds(2), BigDecimal.ONE));
                      loop.record(
                          Interaction.conversion(
                              customer, "winback", T0.plusSeconds(3), BigDecimal.ONE));
                    }
                  }
                  return null;
                }));
      }
      for (int reader = 0; reader < 2; reader++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  while (!done.get()) {
                    Observation o = loop.observed("winback", "send_email", "Riskli");
                    Metrics m = loop.metrics().campaign("winback").orElse(Metrics.EMPTY);
                    if (o.successes() > o.trials()
                        || m.conversions() > m.delivered()
                        || m.opened() > m.delivered()) {
                      inconsistent.set(true);
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (int i = 0; i < writers; i++) {
        futures.get(i).get(30, TimeUnit.SECONDS);
      }
      done.set(true);
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    int delivered = writers * perWriter;
    int converted = writers * perWriter / 4;
    MetricsReport r = loop.metrics();
    Metrics m = r.campaign("winback").orElseThrow();
    assertThat(inconsistent).isFalse();
    assertThat(m.delivered()).isEqualTo(delivered);
    assertThat(m.opened()).isEqualTo(delivered);
    assertThat(m.conversions()).isEqualTo(converted);
    assertThat(m.revenue()).isEqualByComparingTo(BigDecimal.valueOf(converted));
    assertThat(m.cost())
        .isEqualByComparingTo(new BigDecimal("0.10").multiply(BigDecimal.valueOf(delivered)));
    assertThat(r.attributions().duplicateDeliveries()).isEqualTo(delivered);
    assertThat(r.attributions().count(Attribution.Outcome.DUPLICATE_CONVERSION))
        .isEqualTo(converted);
    assertThat(r.variants("winback").get("control").conversions()).isEqualTo(converted);
    assertThat(loop.observed("winback", "send_email", "Riskli"))
        .isEqualTo(new Observation(converted, delivered));
  }
}
