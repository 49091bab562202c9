package dev.opagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.agent.execution.journal.CustomerKeys;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import dev.opagent.testkit.AgentSimulatorExtension;
import dev.opagent.testkit.InMemoryChannel;
import dev.opagent.testkit.PopulationGenerator;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop run once a day on one H2 file store, each day as a new process would (a new store,
 * engine and executor): frequency caps, budgets and daily limits count what earlier days delivered.
 */
class DailyRoundsTest {
  private static final List<CustomerData> CUSTOMERS = PopulationGenerator.ofSeed(5).list(200);
  private static final Instant DAY_1 = Instant.parse("2026-03-15T10:00:00Z");

  @RegisterExtension static final AgentSimulatorExtension AGENT = AgentSimulatorExtension.create();

  @TempDir Path dir;

  private String url() {
    return "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath();
  }

  private static Clock day(int n) {
    return Clock.fixed(DAY_1.plusSeconds(86_400L * n), ZoneOffset.UTC);
  }

  @Test
  void fourDailyRounds_neverExceedTheRollingWeeklyCap(SegmentClient client) throws Exception {
    DecisionPolicy policy = DecisionPolicy.ofDefaults(); // at most 3 contacts per rolling 7 days
    long delivered = 0;
    for (int d = 0; d < 4; d++) {
      try (OperatingStore store = OperatingStore.open(url(), "sa", "")) {
        RoundReport r =
            StoreLoop.round(
                store, client, InMemoryChannel.create(), policy, day(d), "day-" + d, CUSTOMERS);
        assertThat(r.execution().failed()).isZero();
        delivered += r.execution().completed();
      }
    }
    try (OperatingStore store = OperatingStore.open(url(), "sa", "")) {
      Map<String, Integer> contacts = StoreLoop.deliveredContacts(store);
      assertThat(contacts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(delivered);
      assertThat(Collections.max(contacts.values())).as("the weekly cap of 3").isEqualTo(3);
      assertThat(contacts.values().stream().filter(n -> n == 3).count())
          .as("customers the cap stopped on day 4")
          .isGreaterThan(50);
    }
  }

  @Test
  void customerIdsTooLongForAColumn_areDecidedWithTheirBatchAndCapped(SegmentClient client)
      throws Exception {
    List<CustomerData> customers = new ArrayList<>();
    List<String> longIds = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      CustomerData c = CUSTOMERS.get(i);
      if (i % 4 == 0) {
        String id = c.customerId() + "-" + "x".repeat(300);
        longIds.add(id);
        c =
            CustomerData.fromJson(
                c.toJson().replace("\"" + c.customerId() + "\"", "\"" + id + "\""));
      }
      customers.add(c);
    }
    for (int d = 0; d < 4; d++) {
      try (OperatingStore store = OperatingStore.open(url(), "sa", "")) {
        RoundReport r =
            StoreLoop.round(
                store,
                client,
                InMemoryChannel.create(),
                DecisionPolicy.ofDefaults(),
                day(d),
                "day-" + d,
                customers);
        assertThat(r.segmentationFailed()).isZero();
        assertThat(r.execution().failed()).isZero();
      }
    }
    try (OperatingStore store = OperatingStore.open(url(), "sa", "")) {
      Map<String, Integer> contacts = StoreLoop.deliveredContacts(store);
      int total = 0;
      for (String id : longIds) {
        int n = contacts.getOrDefault(CustomerKeys.of(id), 0);
        assertThat(n).as("contacts of a customer with a long id").isLessThanOrEqualTo(3);
        total += n;
      }
      assertThat(total).isPositive();
    }
  }

  @Test
  void twoStoresOnOneFileDecidingAtOnce_spendWithinOneBudget(SegmentClient client)
      throws Exception {
    DecisionPolicy policy =
        DecisionPolicy.ofDefaults().toBuilder()
            .budgets(
                BudgetLimits.builder(DecisionPolicy.DEFAULT_CURRENCY)
                    .global(new BigDecimal("0.40"))
                    .build())
            .build();
    for (int d = 0; d < 3; d++) {
      String run = "r" + d;
      Clock clock = day(d);
      try (OperatingStore a = OperatingStore.open(url(), "sa", "");
          OperatingStore b = OperatingStore.open(url(), "sa", "")) {
        CompletableFuture<RoundReport> first =
            CompletableFuture.supplyAsync(
                () ->
                    StoreLoop.round(
                        a,
                        client,
                        InMemoryChannel.create(),
                        policy,
                        clock,
                        run + "a",
                        CUSTOMERS.subList(0, 100)));
        CompletableFuture<RoundReport> second =
            CompletableFuture.supplyAsync(
                () ->
                    StoreLoop.round(
                        b,
                        client,
                        InMemoryChannel.create(),
                        policy,
                        clock,
                        run + "b",
                        CUSTOMERS.subList(100, 200)));
        assertThat(first.join().execution().failed() + second.join().execution().failed()).isZero();
        BigDecimal spent =
            a.operatingState()
                .inBatch(List.of(), policy, clock.instant(), batch -> batch.budgetInUse(null));
        assertThat(spent)
            .as("spent by two stores deciding at once")
            .isLessThanOrEqualTo(new BigDecimal("0.40"));
      }
    }
  }

  @Test
  void threeDailyRounds_spendWithinOneGlobalBudget(SegmentClient client) throws Exception {
    DecisionPolicy policy =
        DecisionPolicy.ofDefaults().toBuilder()
            .budgets(
                BudgetLimits.builder(DecisionPolicy.DEFAULT_CURRENCY)
                    .global(new BigDecimal("1.00"))
                    .build())
            .build();
    for (int d = 0; d < 3; d++) {
      try (OperatingStore store = OperatingStore.open(url(), "sa", "")) {
        RoundReport r =
            StoreLoop.round(
                store, client, InMemoryChannel.create(), policy, day(d), "day-" + d, CUSTOMERS);
        assertThat(r.execution().failed()).isZero();
        if (d > 0) {
          assertThat(r.notChosenByReason()).containsKey(ReasonCode.BUDGET_EXHAUSTED);
        }
      }
    }
    try (OperatingStore store = OperatingStore.open(url(), "sa", "")) {
      BigDecimal inUse =
          store
              .operatingState()
              .inBatch(List.of(), policy, day(3).instant(), b -> b.budgetInUse(null));
      assertThat(inUse)
          .isLessThanOrEqualTo(new BigDecimal("1.00"))
          .isGreaterThan(new BigDecimal("0.90"));
      assertThat(store.budgetInUse(null)).as("read outside a batch").isEqualTo(inUse);
      BigDecimal byCampaign = BigDecimal.ZERO;
      for (String campaign : campaigns(store)) {
        byCampaign = byCampaign.add(store.budgetInUse(campaign));
      }
      assertThat(byCampaign).isEqualTo(inUse);
      assertThat(store.budgetInUse("no-such-campaign")).isZero();
    }
  }

  private static List<String> campaigns(OperatingStore store) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    try (var c = store.dataSource().getConnection();
        var rs =
            c.createStatement()
                .executeQuery("SELECT DISTINCT campaign FROM " + store.tablePrefix() + "ledger")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    assertThat(out).isNotEmpty();
    return out;
  }
}
