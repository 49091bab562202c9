package dev.opagent.agent.engine;

import static dev.opagent.agent.engine.Scenarios.action;
import static dev.opagent.agent.engine.Scenarios.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.rules.Verdict;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * What an executor that did not plan an action (a resumed round, another replica) checks before
 * delivering it: the approval it needs still holds, and it is not long overdue; and what an
 * abandoned round's pending actions hold until they expire.
 */
class ExecutorRecheckTest {
  private final MutableClock clock = MutableClock.at("2026-03-15T10:00:00Z");
  private final InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
  private final Queue<String> sent = new ConcurrentLinkedQueue<>();

  private final DecisionEngine engine =
      DecisionEngine.builder()
          .clock(clock)
          .approvalGate(
              ApprovalGate.builder().clock(clock).approvalValidity(Duration.ofHours(1)).build())
          .policy(
              Scenarios.bare()
                  .approval(ApprovalThresholds.ofDefaults())
                  .budgets(
                      BudgetLimits.builder(Currency.getInstance("TRY"))
                          .global(new BigDecimal("100"))
                          .build())
                  .build())
          .build();

  private ExecutionService executor(String owner) {
    ActionChannel mail =
        new ActionChannel() {
          @Override
          public String name() {
            return "mail";
          }

          @Override
          public DeliveryReceipt deliver(ActionRequest r) {
            sent.add(r.idempotencyKey());
            return DeliveryReceipt.delivered(r, "mail", "m-" + sent.size(), clock.instant());
          }
        };
    return ExecutionService.builder()
        .owner(owner)
        .journal(journal)
        .clock(clock)
        .decisionEngine(engine)
        .channels(ChannelRegistry.builder().register(mail).fallback("mail").build())
        .build();
  }

  private static Verdict.Eligible discounted() {
    return campaign(
        "winback",
        75,
        action("send_email", "template", "winback_offer"),
        action("create_discount", "discount", 0.20, "expiry_days", 14));
  }

  /** Plans an approved discount e-mail for C-1 and journals it as the planner would. */
  private PlannedAction planApproved(ExecutionService planner) {
    PlannedAction deferred =
        engine.decide(Scenarios.customer("C-1", discounted())).candidates().get(0);
    engine.approvalGate().grant(deferred.approvalRequestId(), "alice", "spring promo");
    PlannedAction chosen = engine.decide(Scenarios.customer("C-1", discounted())).chosen().get(0);
    ActionRequest request = planner.request("r1", chosen, null, null);
    assertThat(request.needsApproval()).isTrue();
    assertThat(ActionRequest.fromJson(request.toJson()).needsApproval()).isTrue();
    planner.enlist(List.of(request), List.of(chosen));
    return chosen;
  }

  @Test
  void anotherExecutor_approvalExpiredSincePlanning_cancelsInsteadOfDelivering() {
    try (ExecutionService planner = executor("planner");
        ExecutionService other = executor("other")) {
      planApproved(planner);
      clock.advance(Duration.ofHours(2));

      ExecutionReport report = other.execute("r1");

      assertThat(report.cancelled()).isEqualTo(1);
      assertThat(report.completed()).isZero();
      assertThat(sent).isEmpty();
      assertThat(journal.records("r1"))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.state()).isEqualTo(ExecutionState.CANCELLED);
                assertThat(r.lastError()).isEqualTo("approval no longer holds");
              });
    }
  }

  @Test
  void anotherExecutor_approvalStillValid_delivers() {
    try (ExecutionService planner = executor("planner");
        ExecutionService other = executor("other")) {
      planApproved(planner);
      clock.advance(Duration.ofMinutes(30));

      assertThat(other.execute("r1").completed()).isEqualTo(1);
      assertThat(sent).hasSize(1);
    }
  }

  @Test
  void abandonedRound_pendingPastExpiry_isCancelledAndItsReservationReleased() {
    try (ExecutionService planner = executor("planner");
        ExecutionService later = executor("later")) {
      planApproved(planner);
      journal.runState("r1", RunState.PLANNED, clock.instant());
      assertThat(engine.budgetLedger().global().reserved()).isPositive();

      clock.advance(Duration.ofHours(23));
      assertThat(later.expireStale()).isZero();
      clock.advance(Duration.ofHours(2));
      assertThat(planner.expireStale()).isEqualTo(1);
      assertThat(later.expireStale()).isZero();

      assertThat(engine.budgetLedger().global().reserved()).isEqualByComparingTo("0");
      assertThat(journal.records("r1"))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.state()).isEqualTo(ExecutionState.CANCELLED);
                assertThat(r.lastError()).startsWith("expired: not delivered within PT24H");
              });
      assertThat(planner.execute("r1").considered()).isZero();
      assertThat(sent).isEmpty();
    }
  }

  @Test
  void execute_overdueAction_isCancelledNotSentLate_andGivesItsReservationBack() {
    try (ExecutionService planner = executor("planner")) {
      planApproved(planner);
      clock.advance(Duration.ofHours(25));

      ExecutionReport report = planner.execute("r1");

      assertThat(report.cancelled()).isEqualTo(1);
      assertThat(sent).isEmpty();
      assertThat(engine.budgetLedger().global().reserved()).isEqualByComparingTo("0");
    }
  }
}
