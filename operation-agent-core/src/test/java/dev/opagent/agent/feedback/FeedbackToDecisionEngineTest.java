package dev.opagent.agent.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.Decision;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.MutableClock;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.engine.RunMode;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.Action;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.Verdict;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Observed conversions recorded by the feedback loop change the engine's probabilities. */
class FeedbackToDecisionEngineTest {
  private final MutableClock clock = MutableClock.at("2026-03-15T10:00:00Z");
  private final FeedbackLoop loop = FeedbackLoop.builder().clock(clock).build();
  private final DecisionEngine engine =
      DecisionEngine.builder()
          .clock(clock)
          .policy(
              DecisionPolicy.builder()
                  .clearFrequencyCaps()
                  .clearQuietHours()
                  .clearExecutionLimits()
                  .clearExclusiveCampaigns()
                  .approval(ApprovalThresholds.none())
                  .build())
          .conversionRates(loop)
          .build();

  /** A customer of {@code segment} eligible for two email campaigns of equal priority. */
  private static CustomerContext customer(String id, String segment) {
    Action email = new Action("send_email", Map.of(), Duration.ZERO);
    Eligibility eligibility =
        new Eligibility(
            id,
            List.of("a_retention", "b_winback"),
            List.of(
                new Verdict.Eligible("a_retention", "a_retention", 50, List.of(email)),
                new Verdict.Eligible("b_winback", "b_winback", 50, List.of(email))));
    return CustomerContext.builder(eligibility)
        .consents(Set.of(Channel.EMAIL))
        .customerValue(100)
        .expectedBasket(100)
        .segmentKey(segment)
        .build();
  }

  private static PlannedAction candidate(Decision d, String campaign) {
    return d.candidates().stream()
        .filter(a -> a.campaign().equals(campaign))
        .findFirst()
        .orElseThrow();
  }

  /** Records {@code delivered} deliveries of b_winback's email to the segment, and conversions. */
  private void observeWinback(String segment, int delivered, int converted) {
    Instant at = clock.instant().minus(Duration.ofDays(2));
    for (int i = 0; i < delivered; i++) {
      String customer = "W-" + segment + "-" + i;
      ActionRequest r =
          new ActionRequest(
              "ik-" + segment + "-" + i,
              "run-0",
              customer,
              "b_winback",
              "send_email",
              "email",
              Map.of(),
              List.of(),
              null,
              segment,
              new BigDecimal("0.01"),
              at);
      loop.recordDelivery(r, DeliveryReceipt.delivered(r, "email", "m-" + i, at));
      if (i < converted) {
        loop.record(
            Interaction.conversion(
                customer, "b_winback", at.plusSeconds(3600), new BigDecimal("100")));
      }
    }
  }

  @Test
  void decide_afterFeedback_scoresThePosteriorAndChoosesTheBetterCampaign() {
    Decision before = engine.dryRun(customer("C-1", "Riskli"));
    PlannedAction winbackBefore = candidate(before, "b_winback");
    double alpha = winbackBefore.score().alpha();
    double beta = winbackBefore.score().beta();

    observeWinback("Riskli", 200, 40);
    Decision after = engine.dryRun(customer("C-1", "Riskli"));

    assertThat(before.chosen()).extracting(PlannedAction::campaign).containsExactly("a_retention");
    assertThat(winbackBefore.score().probability()).isEqualTo(alpha / (alpha + beta));
    PlannedAction winbackAfter = candidate(after, "b_winback");
    assertThat(winbackAfter.score().successes()).isEqualTo(40);
    assertThat(winbackAfter.score().trials()).isEqualTo(200);
    assertThat(winbackAfter.score().probability()).isEqualTo((alpha + 40) / (alpha + beta + 200));
    assertThat(candidate(after, "a_retention").score().probability())
        .isEqualTo(candidate(before, "a_retention").score().probability());
    assertThat(after.chosen()).extracting(PlannedAction::campaign).containsExactly("b_winback");
  }

  @Test
  void decide_feedbackOfAnotherSegment_leavesThePriorInPlace() {
    observeWinback("Kayıp", 200, 40);

    Decision d = engine.dryRun(customer("C-1", "Riskli"));

    assertThat(candidate(d, "b_winback").score().trials()).isZero();
    assertThat(d.chosen()).extracting(PlannedAction::campaign).containsExactly("a_retention");
  }

  @Test
  void decide_poorObservedRate_lowersTheProbabilityBelowThePrior() {
    PlannedAction prior = candidate(engine.dryRun(customer("C-1", "Riskli")), "b_winback");

    observeWinback("Riskli", 500, 0);
    PlannedAction posterior = candidate(engine.dryRun(customer("C-1", "Riskli")), "b_winback");

    assertThat(posterior.score().probability()).isLessThan(prior.score().probability() / 5);
  }

  @Test
  void chosenAction_executedAndConverted_flowsBackThroughItsRequest() {
    Decision d = engine.startRun(RunMode.LIVE).decide(customer("C-7", "Riskli"));
    PlannedAction chosen = d.chosen().get(0);
    ActionRequest request =
        ActionRequest.of(d.runId(), chosen, IdempotencyKeys.dailyUtc(), "control", "Riskli");

    loop.recordDelivery(
        request, DeliveryReceipt.delivered(request, "email", "m-1", clock.instant()));
    Attribution a =
        loop.record(
            Interaction.conversion(
                "C-7",
                chosen.campaign(),
                clock.instant().plus(Duration.ofHours(5)),
                new BigDecimal("75")));

    assertThat(a.key()).contains(request.idempotencyKey());
    assertThat(loop.observed(chosen.campaign(), "send_email", "Riskli"))
        .isEqualTo(new dev.opagent.agent.spi.Observation(1, 1));
    assertThat(loop.metrics().variants(chosen.campaign()).get("control").conversions())
        .isEqualTo(1);
  }
}
