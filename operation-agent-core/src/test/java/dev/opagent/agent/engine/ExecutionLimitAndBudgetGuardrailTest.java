package dev.opagent.agent.engine;

import static dev.opagent.agent.engine.Scenarios.action;
import static dev.opagent.agent.engine.Scenarios.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.rules.Verdict;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import org.junit.jupiter.api.Test;

class ExecutionLimitAndBudgetGuardrailTest {
  private static final Currency TRY = Currency.getInstance("TRY");
  private final MutableClock clock = MutableClock.at("2026-03-15T20:00:00Z");

  private static Verdict.Eligible discount() {
    return campaign(
        "winback", 75, action("send_email"), action("create_discount", "discount", 0.1));
  }

  @Test
  void executionLimit_reached_defersToNextMidnightOfTheOperatingZone() {
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(
                Scenarios.bare()
                    .putExecutionLimit("create_discount", 2)
                    .operatingZone(ZoneId.of("Europe/Istanbul"))
                    .build())
            .build();

    for (int i = 0; i < 2; i++) {
      assertThat(engine.decide(Scenarios.customer("C-" + i, discount())).chosen()).hasSize(1);
    }
    PlannedAction third = engine.decide(Scenarios.customer("C-9", discount())).candidates().get(0);

    assertThat(third.reason()).isEqualTo(ReasonCode.EXECUTION_LIMIT);
    assertThat(third.until()).isEqualTo(Instant.parse("2026-03-15T21:00:00Z"));
    assertThat(engine.executionsToday("create_discount")).isEqualTo(2);
  }

  @Test
  void executionLimit_nextDay_countsFromZero() {
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(Scenarios.bare().putExecutionLimit("send_email", 1).build())
            .build();
    engine.decide(Scenarios.customer("C-1", campaign("retention", 50, action("send_email"))));

    clock.advance(Duration.ofHours(4)); // past UTC midnight

    assertThat(
            engine
                .decide(Scenarios.customer("C-2", campaign("retention", 50, action("send_email"))))
                .chosen())
        .hasSize(1);
  }

  @Test
  void executionLimit_dryRun_consumesNothing() {
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(Scenarios.bare().putExecutionLimit("create_discount", 1).build())
            .build();
    DecisionRun dry = engine.startRun(RunMode.DRY_RUN);

    dry.decide(Scenarios.customer("C-1", discount()));
    PlannedAction second = dry.decide(Scenarios.customer("C-2", discount())).candidates().get(0);

    assertThat(second.reason()).isEqualTo(ReasonCode.EXECUTION_LIMIT);
    assertThat(engine.executionsToday("create_discount")).isZero();
    assertThat(engine.decide(Scenarios.customer("C-3", discount())).chosen()).hasSize(1);
  }

  @Test
  void releaseExecution_givesTheSlotBack() {
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(Scenarios.bare().putExecutionLimit("create_discount", 1).build())
            .build();
    PlannedAction a = engine.decide(Scenarios.customer("C-1", discount())).chosen().get(0);

    engine.releaseExecution(a);

    assertThat(engine.executionsToday("create_discount")).isZero();
  }

  @Test
  void budget_chosenAction_reservesItsExpectedCost() {
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(
                Scenarios.bare()
                    .budgets(BudgetLimits.builder(TRY).global(new BigDecimal("100")).build())
                    .build())
            .build();

    PlannedAction a = engine.decide(Scenarios.customer("C-1", discount())).chosen().get(0);

    // email 0.01 + 10% of a 100 basket × p(create_discount prior 8%) = 0.81
    assertThat(a.score().probability()).isEqualTo(0.08);
    assertThat(a.score().cost()).isCloseTo(0.81, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(a.reservation()).isNotNull();
    assertThat(a.reservation().amount()).isEqualByComparingTo("0.81");
    assertThat(engine.budgetLedger().global().reserved()).isEqualByComparingTo("0.81");
  }

  @Test
  void budget_exhausted_blocksAndReleasesTheExecutionSlot() {
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(
                Scenarios.bare()
                    .putExecutionLimit("create_discount", 10)
                    .budgets(
                        BudgetLimits.builder(TRY)
                            .putCampaign("winback", new BigDecimal("1.00"))
                            .build())
                    .build())
            .build();

    engine.decide(Scenarios.customer("C-1", discount()));
    PlannedAction second = engine.decide(Scenarios.customer("C-2", discount())).candidates().get(0);

    assertThat(second.status()).isEqualTo(ActionStatus.BLOCKED);
    assertThat(second.reason()).isEqualTo(ReasonCode.BUDGET_EXHAUSTED);
    assertThat(second.deciding().message())
        .isEqualTo("campaign budget has 0.19 TRY left, the action needs 0.81");
    assertThat(engine.executionsToday("create_discount")).isEqualTo(1);
  }

  @Test
  void budget_releasedAfterFailedExecution_fundsTheNextCustomer() {
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(
                Scenarios.bare()
                    .budgets(
                        BudgetLimits.builder(TRY)
                            .putCampaign("winback", new BigDecimal("1.00"))
                            .build())
                    .build())
            .build();
    PlannedAction first = engine.decide(Scenarios.customer("C-1", discount())).chosen().get(0);

    engine.budgetLedger().release(first.reservation().id());

    assertThat(engine.decide(Scenarios.customer("C-2", discount())).chosen()).hasSize(1);
  }

  @Test
  void budget_dryRun_leavesTheLedgerUntouched() {
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(
                Scenarios.bare()
                    .budgets(
                        BudgetLimits.builder(TRY)
                            .putCampaign("winback", new BigDecimal("1.00"))
                            .build())
                    .build())
            .build();
    DecisionRun dry = engine.startRun(RunMode.DRY_RUN);

    PlannedAction first = dry.decide(Scenarios.customer("C-1", discount())).chosen().get(0);
    PlannedAction second = dry.decide(Scenarios.customer("C-2", discount())).candidates().get(0);

    assertThat(first.reservation()).isNull();
    assertThat(second.reason()).isEqualTo(ReasonCode.BUDGET_EXHAUSTED);
    assertThat(engine.budgetLedger().campaign("winback").reserved()).isEqualByComparingTo("0");
    assertThat(engine.budgetLedger().openReservations()).isZero();
  }
}
