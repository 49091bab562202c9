package dev.opagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.engine.ActionStatus;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.segment.ChurnSegment;
import dev.opagent.segment.LoyaltyTier;
import dev.opagent.testkit.Fixtures;
import org.junit.jupiter.api.Test;

class OrchestratorExampleTest {

  @Test
  void run_seedCustomer_choosesOneActionAndExplainsTheRest() {
    Output out = new Output();

    OrchestratorExample.CampaignPlan plan =
        OrchestratorExample.run(Fixtures.seedActiveCustomer(), out.stream);

    assertThat(plan.analysis().churnSegment()).isEqualTo(ChurnSegment.WARM);
    assertThat(plan.eligibility().eligible()).containsExactly("retention", "replenishment");
    assertThat(plan.decision().chosen())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.campaign()).isEqualTo("retention");
              assertThat(a.actionType()).isEqualTo("send_email");
            });
    PlannedAction other = plan.decision().withStatus(ActionStatus.SUPPRESSED).get(0);
    assertThat(other.campaign()).isEqualTo("replenishment");
    assertThat(other.reason()).isEqualTo(ReasonCode.RUN_CAP_TOTAL);
    assertThat(out.text())
        .contains(
            "winback        not eligible: segments.churnSegment is \"Ilık\", expected \"Riskli\"")
        .contains("chosen   #1 retention/send_email on email — CHOSEN")
        .contains("CONFLICT RUN_CAP_TOTAL: at most 1 action(s) per customer per run");
  }

  @Test
  void run_atRiskGoldCustomer_defersTheDiscountedWinBackForApproval() {
    Output out = new Output();

    OrchestratorExample.CampaignPlan plan =
        OrchestratorExample.run(OrchestratorExample.atRiskGoldCustomer(), out.stream);

    assertThat(plan.analysis().churnSegment()).isEqualTo(ChurnSegment.AT_RISK);
    assertThat(plan.analysis().loyaltyTier()).isEqualTo(LoyaltyTier.GOLD);
    assertThat(plan.eligibility().eligible())
        .containsExactlyInAnyOrder("winback", "retention", "loyalty", "replenishment");
    PlannedAction best = plan.decision().candidates().get(0);
    assertThat(best.campaign()).isEqualTo("winback");
    assertThat(best.status()).isEqualTo(ActionStatus.DEFERRED);
    assertThat(best.reason()).isEqualTo(ReasonCode.APPROVAL_REQUIRED);
    assertThat(best.discountRate()).isEqualTo(0.20);
    assertThat(plan.decision().chosen())
        .extracting(PlannedAction::campaign)
        .containsExactly("retention");
    assertThat(out.text()).contains("APPROVAL APPROVAL_REQUIRED");
  }
}
