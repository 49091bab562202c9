package dev.opagent.agent.engine;

import static dev.opagent.agent.engine.Scenarios.action;
import static dev.opagent.agent.engine.Scenarios.campaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalScope;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.rules.Verdict;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApprovalGuardrailTest {
  private final MutableClock clock = MutableClock.at("2026-03-15T10:00:00Z");

  private DecisionEngine engine(ApprovalThresholds thresholds) {
    return DecisionEngine.builder()
        .clock(clock)
        .policy(Scenarios.bare().approval(thresholds).build())
        .build();
  }

  private static Verdict.Eligible winback() {
    return campaign(
        "winback",
        75,
        action("send_email", "template", "winback_offer"),
        action("create_discount", "discount", 0.20, "expiry_days", 14));
  }

  @Test
  void discountAtThreshold_live_requestsCampaignApprovalAndDefersUntilItsDeadline() {
    DecisionEngine engine = engine(ApprovalThresholds.ofDefaults());

    PlannedAction a = engine.decide(Scenarios.customer("C-1", winback())).candidates().get(0);

    assertThat(a.actionType()).isEqualTo("send_email");
    assertThat(a.attachments())
        .extracting(dev.opagent.rules.Action::type)
        .containsExactly("create_discount");
    assertThat(a.discountRate()).isEqualTo(0.20);
    assertThat(a.status()).isEqualTo(ActionStatus.DEFERRED);
    assertThat(a.reason()).isEqualTo(ReasonCode.APPROVAL_REQUIRED);
    assertThat(a.until()).isEqualTo(Instant.parse("2026-03-17T10:00:00Z"));
    assertThat(a.approvalReason()).isEqualTo("discount 20% reaches the approval threshold of 20%");
    ApprovalRequest r = engine.approvalGate().latest(ApprovalKey.campaign("winback")).orElseThrow();
    assertThat(r.id()).isEqualTo(a.approvalRequestId());
    assertThat(r.requestedBy()).isEqualTo(DecisionEngine.ACTOR);
    assertThat(r.cost())
        .as("the expected cost of the action that asked, in ten-thousandths")
        .isEqualTo(GuardrailJudge.money(a.score().cost()))
        .isPositive();
  }

  @Test
  void manyCustomers_pendingCampaignApproval_oneRequestAndPendingVerdicts() {
    DecisionEngine engine = engine(ApprovalThresholds.ofDefaults());
    DecisionRun run = engine.startRun(RunMode.LIVE);

    for (int i = 0; i < 20; i++) {
      run.decide(Scenarios.customer("C-" + i, winback()));
    }

    assertThat(engine.approvalGate().auditTrail()).hasSize(1);
    assertThat(run.summary().reasons())
        .containsEntry(ReasonCode.APPROVAL_REQUIRED, 1L)
        .containsEntry(ReasonCode.APPROVAL_PENDING, 19L);
  }

  @Test
  void granted_actionIsChosenWithTheRequestId() {
    DecisionEngine engine = engine(ApprovalThresholds.ofDefaults());
    PlannedAction first = engine.decide(Scenarios.customer("C-1", winback())).candidates().get(0);
    engine.approvalGate().grant(first.approvalRequestId(), "alice", "spring promo");

    PlannedAction a = engine.decide(Scenarios.customer("C-1", winback())).candidates().get(0);

    assertThat(a.status()).isEqualTo(ActionStatus.CHOSEN);
    assertThat(a.verdicts()).extracting(GuardrailVerdict::reason).contains(ReasonCode.APPROVED);
    assertThat(a.approvalRequestId()).isEqualTo(first.approvalRequestId());
    assertThat(engine.mayExecute(a)).isTrue();
  }

  @Test
  void rejected_actionIsBlocked() {
    DecisionEngine engine = engine(ApprovalThresholds.ofDefaults());
    PlannedAction first = engine.decide(Scenarios.customer("C-1", winback())).candidates().get(0);
    engine.approvalGate().reject(first.approvalRequestId(), "bob", "margin too thin");

    PlannedAction a = engine.decide(Scenarios.customer("C-1", winback())).candidates().get(0);

    assertThat(a.status()).isEqualTo(ActionStatus.BLOCKED);
    assertThat(a.reason()).isEqualTo(ReasonCode.APPROVAL_REJECTED);
  }

  @Test
  void grantExpires_executorCheckFailsAndEngineAsksAgain() {
    DecisionEngine engine = engine(ApprovalThresholds.ofDefaults());
    PlannedAction first = engine.decide(Scenarios.customer("C-1", winback())).candidates().get(0);
    engine.approvalGate().grant(first.approvalRequestId(), "alice", "ok");
    PlannedAction chosen = engine.decide(Scenarios.customer("C-1", winback())).candidates().get(0);

    clock.advance(Duration.ofDays(7));

    assertThat(engine.checkApproval(chosen)).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(engine.mayExecute(chosen)).isFalse();
    PlannedAction again = engine.decide(Scenarios.customer("C-1", winback())).candidates().get(0);
    assertThat(again.reason()).isEqualTo(ReasonCode.APPROVAL_REQUIRED);
    assertThat(again.approvalRequestId()).isNotEqualTo(first.approvalRequestId());
  }

  @Test
  void dryRun_needsApproval_defersWithoutRequesting() {
    DecisionEngine engine = engine(ApprovalThresholds.ofDefaults());

    PlannedAction a = engine.dryRun(Scenarios.customer("C-1", winback())).candidates().get(0);

    assertThat(a.reason()).isEqualTo(ReasonCode.APPROVAL_REQUIRED);
    assertThat(a.approvalRequestId()).isNull();
    assertThat(engine.approvalGate().auditTrail()).isEmpty();
  }

  @Test
  void actionScope_toolRequestsForOneCustomer_onlyThatCustomerPasses() {
    DecisionEngine engine =
        engine(new ApprovalThresholds(0.20, null, Long.MAX_VALUE, ApprovalScope.ACTION));
    PlannedAction planned = engine.dryRun(Scenarios.customer("C-1", winback())).candidates().get(0);
    ApprovalRequest r = engine.requestApproval(planned, "llm-tool");
    engine.approvalGate().grant(r.id(), "alice", "VIP exception");

    assertThat(r.key()).isEqualTo(ApprovalKey.action("winback", "C-1", "send_email"));
    assertThat(engine.decide(Scenarios.customer("C-1", winback())).chosen()).hasSize(1);
    assertThat(engine.decide(Scenarios.customer("C-2", winback())).candidates().get(0).reason())
        .isEqualTo(ReasonCode.APPROVAL_REQUIRED);
  }

  @Test
  void spendAtThreshold_needsApproval() {
    DecisionEngine engine =
        engine(
            new ApprovalThresholds(
                1.0, new BigDecimal("2.00"), Long.MAX_VALUE, ApprovalScope.CAMPAIGN));

    PlannedAction a =
        engine
            .decide(
                Scenarios.customer(
                    "C-1", campaign("service", 50, action("trigger_service_followup"))))
            .candidates()
            .get(0);

    assertThat(a.reason()).isEqualTo(ReasonCode.APPROVAL_REQUIRED);
    assertThat(a.approvalReason())
        .isEqualTo("expected cost 2 reaches the approval threshold of 2.00");
    assertThat(engine.approvalGate().latest(ApprovalKey.campaign("service")).orElseThrow().cost())
        .isEqualByComparingTo("2");
  }

  @Test
  void audienceAboveThreshold_laterCustomersOfTheRunWaitForCampaignApproval() {
    DecisionEngine engine = engine(new ApprovalThresholds(1.0, null, 3, ApprovalScope.ACTION));
    DecisionRun run = engine.startRun(RunMode.LIVE);

    for (int i = 0; i < 5; i++) {
      run.decide(Scenarios.customer("C-" + i, campaign("retention", 75, action("send_email"))));
    }

    assertThat(run.summary().chosen()).isEqualTo(3);
    assertThat(engine.approvalGate().check(ApprovalKey.campaign("retention")))
        .isEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void requestApproval_actionBelowThresholds_isRejected() {
    DecisionEngine engine = engine(ApprovalThresholds.ofDefaults());
    PlannedAction a =
        engine
            .dryRun(Scenarios.customer("C-1", campaign("retention", 75, action("send_email"))))
            .candidates()
            .get(0);

    assertThat(engine.mayExecute(a)).isTrue();
    assertThatThrownBy(() -> engine.requestApproval(a, "tool"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("action retention/send_email needs no approval");
  }
}
