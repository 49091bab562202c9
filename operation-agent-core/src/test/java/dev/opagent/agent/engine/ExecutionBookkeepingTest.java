package dev.opagent.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.rules.Verdict;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The executor keeps the engine's budgets, execution slots and contact history right. */
class ExecutionBookkeepingTest {
  private static final Currency TRY = Currency.getInstance("TRY");
  private final MutableClock clock = MutableClock.at("2026-03-15T12:00:00Z");

  /** Fails every customer in {@code failing}, delivers the rest. */
  private static ActionChannel channel(Set<String> failing) {
    return new ActionChannel() {
      @Override
      public String name() {
        return "mail";
      }

      @Override
      public DeliveryReceipt deliver(ActionRequest r) {
        if (failing.contains(r.customerId())) {
          throw ChannelException.permanent("mail", "HTTP 400");
        }
        return DeliveryReceipt.delivered(r, "mail", "m-1", Instant.now());
      }
    };
  }

  private DecisionEngine engine() {
    return DecisionEngine.builder()
        .clock(clock)
        .policy(
            Scenarios.bare()
                .budgets(BudgetLimits.builder(TRY).global(new BigDecimal("100")).build())
                .build())
        .build();
  }

  private static Verdict.Eligible email() {
    return Scenarios.campaign("winback", 50, Scenarios.action("send_email"));
  }

  @Test
  void settle_withoutAReportedCost_booksTheReservationAsTheExecutorAndToolsBothDo() {
    DecisionEngine engine = engine();
    PlannedAction a = engine.decide(Scenarios.customer("C-1", email())).chosen().get(0);
    PlannedAction b = engine.decide(Scenarios.customer("C-2", email())).chosen().get(0);

    BigDecimal booked = engine.settle(a, null);
    engine.giveBack(b);

    assertThat(booked).isEqualByComparingTo(a.reservation().amount());
    assertThat(engine.budgetLedger().global().committed()).isEqualByComparingTo("0.01");
    assertThat(engine.budgetLedger().global().reserved()).isEqualByComparingTo("0");
    assertThat(engine.contactHistory().contactsSince("C-1", Instant.EPOCH))
        .singleElement()
        .satisfies(c -> assertThat(c.cost()).isEqualByComparingTo("0.01"));
    assertThat(engine.contactHistory().contactsSince("C-2", Instant.EPOCH)).isEmpty();
  }

  @Test
  void execute_deliveredAndFailedActions_commitOrReleaseTheirReservations() {
    DecisionEngine engine = engine();
    Set<String> failing = ConcurrentHashMap.newKeySet();
    failing.add("C-2");
    try (ExecutionService service =
        ExecutionService.builder()
            .journal(new InMemoryExecutionJournal())
            .clock(clock)
            .decisionEngine(engine)
            .channels(ChannelRegistry.builder().register(channel(failing)).fallback("mail").build())
            .build()) {
      PlannedAction ok = engine.decide(Scenarios.customer("C-1", email())).chosen().get(0);
      PlannedAction bad = engine.decide(Scenarios.customer("C-2", email())).chosen().get(0);
      assertThat(engine.budgetLedger().global().reserved()).isEqualByComparingTo("0.02");
      List<ActionRequest> requests =
          List.of(
              service.request("r1", ok, null, "Riskli"),
              service.request("r1", bad, null, "Riskli"));

      service.enlist(requests, List.of(ok, bad));
      ExecutionReport report = service.execute("r1");

      assertThat(report.completed()).isEqualTo(1);
      assertThat(report.failed()).isEqualTo(1);
      assertThat(engine.budgetLedger().global().reserved()).isEqualByComparingTo("0");
      assertThat(engine.budgetLedger().global().committed()).isEqualByComparingTo("0.01");
      assertThat(engine.contactHistory().contactsSince("C-1", Instant.EPOCH)).hasSize(1);
      assertThat(engine.contactHistory().contactsSince("C-2", Instant.EPOCH)).isEmpty();
    }
  }

  @Test
  void enlist_alreadyDeliveredKey_givesTheNewReservationBack() {
    DecisionEngine engine = engine();
    try (ExecutionService service =
        ExecutionService.builder()
            .journal(new InMemoryExecutionJournal())
            .clock(clock)
            .decisionEngine(engine)
            .channels(
                ChannelRegistry.builder().register(channel(Set.of())).fallback("mail").build())
            .build()) {
      PlannedAction first = engine.decide(Scenarios.customer("C-1", email())).chosen().get(0);
      service.enlist(List.of(service.request("r1", first, null, null)), List.of(first));
      service.execute("r1");

      PlannedAction again = engine.decide(Scenarios.customer("C-1", email())).chosen().get(0);
      service.enlist(List.of(service.request("r2", again, null, null)), List.of(again));

      assertThat(engine.budgetLedger().global().reserved()).isEqualByComparingTo("0");
      assertThat(engine.budgetLedger().global().committed()).isEqualByComparingTo("0.01");
      assertThat(service.execute("r2").considered()).isZero();
      assertThat(engine.contactHistory().contactsSince("C-1", Instant.EPOCH)).hasSize(1);
    }
  }
}
