package dev.opagent.agent.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.engine.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BudgetLedgerTest {
  private static final Currency TRY = Currency.getInstance("TRY");
  private final MutableClock clock = MutableClock.at("2026-03-15T10:00:00Z");

  private BudgetLedger ledger(String global, String winback) {
    return BudgetLedger.create(
        BudgetLimits.builder(TRY)
            .global(new BigDecimal(global))
            .putCampaign("winback", new BigDecimal(winback))
            .build(),
        clock);
  }

  private static Reservation reserved(ReserveResult r) {
    assertThat(r).isInstanceOf(ReserveResult.Reserved.class);
    return ((ReserveResult.Reserved) r).reservation();
  }

  @Test
  void reserve_withinLimits_reservesAndReducesAvailable() {
    BudgetLedger ledger = ledger("100", "10");

    Reservation r = reserved(ledger.reserve("winback", new BigDecimal("4")));

    assertThat(r.amount()).isEqualByComparingTo("4");
    assertThat(ledger.campaign("winback").available()).isEqualByComparingTo("6");
    assertThat(ledger.campaign("winback").reserved()).isEqualByComparingTo("4");
    assertThat(ledger.global().available()).isEqualByComparingTo("96");
  }

  @Test
  void reserve_beyondCampaignLimit_isInsufficientAndReservesNothing() {
    BudgetLedger ledger = ledger("100", "10");
    reserved(ledger.reserve("winback", new BigDecimal("8")));

    ReserveResult r = ledger.reserve("winback", new BigDecimal("3"));

    assertThat(r)
        .isEqualTo(
            new ReserveResult.Insufficient(
                BudgetScope.CAMPAIGN, new BigDecimal("2.0000"), new BigDecimal("3.0000")));
    assertThat(ledger.global().reserved()).isEqualByComparingTo("8");
  }

  @Test
  void reserve_beyondGlobalLimit_rollsTheCampaignBack() {
    BudgetLedger ledger = ledger("5", "10");
    reserved(ledger.reserve("loyalty", new BigDecimal("4")));

    ReserveResult r = ledger.reserve("winback", new BigDecimal("2"));

    assertThat(r)
        .isInstanceOfSatisfying(
            ReserveResult.Insufficient.class,
            i -> assertThat(i.scope()).isEqualTo(BudgetScope.GLOBAL));
    assertThat(ledger.campaign("winback").reserved()).isEqualByComparingTo("0");
  }

  @Test
  void commit_actualBelowReserved_freesTheDifference() {
    BudgetLedger ledger = ledger("100", "10");
    Reservation r = reserved(ledger.reserve("winback", new BigDecimal("4")));

    assertThat(ledger.commit(r.id(), new BigDecimal("2.5"))).isTrue();

    BudgetSnapshot s = ledger.campaign("winback");
    assertThat(s.reserved()).isEqualByComparingTo("0");
    assertThat(s.committed()).isEqualByComparingTo("2.5");
    assertThat(s.available()).isEqualByComparingTo("7.5");
    assertThat(ledger.global().committed()).isEqualByComparingTo("2.5");
  }

  @Test
  void commit_actualAboveLimit_isRecordedAndLeavesNothingAvailable() {
    BudgetLedger ledger = ledger("100", "10");
    Reservation r = reserved(ledger.reserve("winback", new BigDecimal("9")));

    ledger.commit(r.id(), new BigDecimal("12"));

    assertThat(ledger.campaign("winback").committed()).isEqualByComparingTo("12");
    assertThat(ledger.campaign("winback").available()).isEqualByComparingTo("0");
    assertThat(ledger.reserve("winback", new BigDecimal("0.0001")).isReserved()).isFalse();
  }

  @Test
  void release_givesTheMoneyBack_andSettlesOnlyOnce() {
    BudgetLedger ledger = ledger("100", "10");
    Reservation r = reserved(ledger.reserve("winback", new BigDecimal("10")));

    assertThat(ledger.release(r.id())).isTrue();
    assertThat(ledger.release(r.id())).isFalse();
    assertThat(ledger.commit(r.id(), BigDecimal.ONE)).isFalse();
    assertThat(ledger.campaign("winback").available()).isEqualByComparingTo("10");
    assertThat(ledger.openReservations()).isZero();
  }

  @Test
  void reserve_fractionOfTheSmallestUnit_isRoundedUp() {
    BudgetLedger ledger = ledger("100", "10");

    Reservation r = reserved(ledger.reserve("winback", new BigDecimal("0.00001")));

    assertThat(r.units()).isEqualTo(1);
    assertThat(r.amount()).isEqualByComparingTo("0.0001");
  }

  @Test
  void releaseOlderThan_releasesOnlyStaleReservations() {
    BudgetLedger ledger = ledger("100", "10");
    Reservation old = reserved(ledger.reserve("winback", BigDecimal.ONE));
    clock.advance(Duration.ofHours(2));
    Reservation fresh = reserved(ledger.reserve("winback", BigDecimal.ONE));

    assertThat(ledger.releaseOlderThan(Duration.ofHours(1))).isEqualTo(1);
    assertThat(ledger.reservation(old.id())).isEmpty();
    assertThat(ledger.reservation(fresh.id())).isPresent();
  }

  @Test
  void copy_isIndependentOfTheOriginal() {
    BudgetLedger ledger = ledger("100", "10");
    reserved(ledger.reserve("winback", new BigDecimal("6")));

    BudgetLedger copy = ledger.copy();
    reserved(copy.reserve("winback", new BigDecimal("4")));

    assertThat(copy.campaign("winback").available()).isEqualByComparingTo("0");
    assertThat(ledger.campaign("winback").available()).isEqualByComparingTo("4");
  }

  @Test
  void reserve_negativeAmount_isRejected() {
    assertThatThrownBy(() -> ledger("1", "1").reserve("winback", new BigDecimal("-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("amount must not be negative but was -1");
  }

  @Test
  void reserve_concurrentlyFromManyThreads_neverOverspends() throws Exception {
    BudgetLedger ledger = ledger("1000", "1000000");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                int ok = 0;
                for (int i = 0; i < 2_000; i++) {
                  ReserveResult r =
                      ledger.reserve(i % 2 == 0 ? "winback" : "loyalty", new BigDecimal("0.37"));
                  if (r instanceof ReserveResult.Reserved res) {
                    ok++;
                    if (i % 3 == 0) {
                      ledger.commit(res.reservation().id(), new BigDecimal("0.37"));
                    }
                  }
                }
                return ok;
              }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> f : results) {
      total += f.get();
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    assertThat(total).isEqualTo(2702); // floor(1000 / 0.37)
    BudgetSnapshot g = ledger.global();
    assertThat(g.reserved().add(g.committed())).isEqualByComparingTo("999.74");
  }

  @Test
  void limits_negativeCampaignBudget_isRejected() {
    assertThatThrownBy(
            () -> BudgetLimits.builder(TRY).putCampaign("x", new BigDecimal("-2")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("budget of campaign 'x' must not be negative but was -2");
  }
}
