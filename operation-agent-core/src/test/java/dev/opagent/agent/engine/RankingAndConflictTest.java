package dev.opagent.agent.engine;

import static dev.opagent.agent.engine.Scenarios.action;
import static dev.opagent.agent.engine.Scenarios.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.Channel;
import dev.opagent.agent.policy.ConversionPrior;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.spi.Observation;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RankingAndConflictTest {
  private final MutableClock clock = MutableClock.at("2026-03-15T12:00:00Z");

  private DecisionEngine engine(DecisionPolicy policy) {
    return DecisionEngine.builder().clock(clock).policy(policy).build();
  }

  @Test
  void score_isProbabilityTimesValueMinusCost() {
    PlannedAction a =
        engine(Scenarios.bare().build())
            .decide(Scenarios.customer("C-1", campaign("reminder", 50, action("send_sms"))))
            .candidates()
            .get(0);

    assertThat(a.score().probability()).isEqualTo(0.03);
    assertThat(a.score().alpha()).isEqualTo(3);
    assertThat(a.score().beta()).isEqualTo(97);
    assertThat(a.score().customerValue()).isEqualTo(100);
    assertThat(a.score().cost()).isEqualTo(0.05);
    assertThat(a.score().score()).isCloseTo(2.95, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void candidates_areRankedByScoreThenPriority() {
    Decision d =
        engine(Scenarios.bare().maxActionsPerCustomer(5).maxActionsPerChannel(5).build())
            .decide(
                Scenarios.customer(
                    "C-1",
                    campaign("low_score_high_priority", 100, action("send_push")),
                    campaign("replenishment", 50, action("send_replenishment_reminder")),
                    campaign("crosssell", 50, action("send_product_recommendation"))));

    assertThat(d.candidates())
        .extracting(PlannedAction::campaign)
        .containsExactly("replenishment", "crosssell", "low_score_high_priority");
    assertThat(d.candidates()).extracting(PlannedAction::rank).containsExactly(1, 2, 3);
  }

  @Test
  void equalScores_higherPriorityRanksFirst() {
    Decision d =
        engine(Scenarios.bare().build())
            .decide(
                Scenarios.customer(
                    "C-1",
                    campaign("a_medium", 50, action("send_email")),
                    campaign("b_high", 75, action("send_email"))));

    assertThat(d.candidates())
        .extracting(PlannedAction::campaign)
        .containsExactly("b_high", "a_medium");
  }

  @Test
  void defaultCaps_oneOverall_higherValueSurvives() {
    Decision d =
        engine(Scenarios.bare().build())
            .decide(
                Scenarios.customer(
                    "C-1",
                    campaign("retention", 75, action("send_email")),
                    campaign("reminder", 50, action("send_sms"))));

    assertThat(d.chosen()).extracting(PlannedAction::campaign).containsExactly("reminder");
    assertThat(d.withStatus(ActionStatus.SUPPRESSED))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.campaign()).isEqualTo("retention");
              assertThat(a.reason()).isEqualTo(ReasonCode.RUN_CAP_TOTAL);
            });
  }

  @Test
  void perChannelCap_secondEmailSuppressed_smsStillChosen() {
    Decision d =
        engine(Scenarios.bare().maxActionsPerCustomer(3).build())
            .decide(
                Scenarios.customer(
                    "C-1",
                    campaign("replenishment", 50, action("send_replenishment_reminder")),
                    campaign("retention", 75, action("send_email")),
                    campaign("reminder", 50, action("send_push"))));

    assertThat(d.chosen())
        .extracting(PlannedAction::campaign)
        .containsExactly("replenishment", "reminder");
    assertThat(d.withStatus(ActionStatus.SUPPRESSED))
        .extracting(PlannedAction::reason)
        .containsExactly(ReasonCode.RUN_CAP_CHANNEL);
  }

  @Test
  void exclusiveCampaigns_winbackVsLoyalty_highestScoreWins() {
    DecisionPolicy policy =
        Scenarios.bare()
            .maxActionsPerCustomer(3)
            .maxActionsPerChannel(3)
            .addExclusiveCampaigns(Set.of("winback", "loyalty"))
            .putCampaignPrior("loyalty", ConversionPrior.ofMean(0.05, 100))
            .build();

    Decision d =
        engine(policy)
            .decide(
                Scenarios.customer(
                    "C-1",
                    campaign("winback", 75, action("send_email")),
                    campaign("loyalty", 50, action("send_email")),
                    campaign("crosssell", 50, action("send_product_recommendation"))));

    assertThat(d.chosen())
        .extracting(PlannedAction::campaign)
        .containsExactly("loyalty", "crosssell");
    assertThat(d.withStatus(ActionStatus.SUPPRESSED))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.campaign()).isEqualTo("winback");
              assertThat(a.reason()).isEqualTo(ReasonCode.EXCLUSIVE_CAMPAIGN);
            });
  }

  @Test
  void blockedHigherCandidate_doesNotConsumeTheCap() {
    Decision d =
        engine(Scenarios.bare().build())
            .decide(
                Scenarios.customer(
                    "C-1",
                    java.time.ZoneId.of("UTC"),
                    java.util.List.of(Channel.EMAIL),
                    campaign("reminder", 50, action("send_sms")),
                    campaign("retention", 75, action("send_email"))));

    assertThat(d.candidates())
        .extracting(PlannedAction::status)
        .containsExactly(ActionStatus.BLOCKED, ActionStatus.CHOSEN);
  }

  @Test
  void observedRates_moveTheRanking() {
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(Scenarios.bare().build())
            .conversionRates(
                (campaign, type, segment) ->
                    campaign.equals("retention") && segment.equals("Riskli")
                        ? new Observation(40, 400)
                        : Observation.NONE)
            .build();
    CustomerContext atRisk =
        CustomerContext.builder(
                Scenarios.eligibility(
                    "C-1",
                    campaign("retention", 75, action("send_email")),
                    campaign("reminder", 50, action("send_sms"))))
            .consent(Channel.EMAIL, Channel.SMS)
            .customerValue(100)
            .segmentKey("Riskli")
            .build();

    PlannedAction top = engine.decide(atRisk).candidates().get(0);

    assertThat(top.campaign()).isEqualTo("retention");
    assertThat(top.score().probability()).isEqualTo((2.0 + 40) / (100 + 400));
    assertThat(top.score().trials()).isEqualTo(400);
  }

  @Test
  void belowMinScore_isSuppressed() {
    Decision d =
        engine(Scenarios.bare().minScore(3.0).build())
            .decide(Scenarios.customer("C-1", campaign("reminder", 50, action("send_sms"))));

    assertThat(d.candidates())
        .singleElement()
        .satisfies(a -> assertThat(a.reason()).isEqualTo(ReasonCode.BELOW_MIN_SCORE));
  }

  @Test
  void campaignWithoutContactActions_eachActionIsACandidate() {
    Decision d =
        engine(Scenarios.bare().maxActionsPerCustomer(2).build())
            .decide(
                Scenarios.customer(
                    "C-1",
                    campaign(
                        "service", 50, action("create_ticket"), action("update_recommendation"))));

    assertThat(d.candidates())
        .extracting(PlannedAction::actionType)
        .containsExactlyInAnyOrder("create_ticket", "update_recommendation");
  }

  @Test
  void discountRate_percentFormsAreNormalised() {
    DecisionEngine engine = engine(Scenarios.bare().build());

    PlannedAction a =
        engine
            .dryRun(
                Scenarios.customer(
                    "C-1", campaign("c1", 50, action("send_coupon", "discount", 15))))
            .candidates()
            .get(0);
    PlannedAction b =
        engine
            .dryRun(
                Scenarios.customer(
                    "C-1",
                    campaign(
                        "c2",
                        50,
                        action("send_email"),
                        action("create_discount", "discount_percent", 25))))
            .candidates()
            .get(0);

    assertThat(a.discountRate()).isEqualTo(0.15);
    assertThat(b.discountRate()).isEqualTo(0.25);
  }

  @Test
  void everyCandidate_hasExactlyOneStatusAndAnExplanation() {
    Decision d =
        engine(DecisionPolicy.ofDefaults())
            .decide(
                Scenarios.customer(
                    "C-1",
                    campaign(
                        "winback",
                        75,
                        action("send_email"),
                        action("create_discount", "discount", 0.2)),
                    campaign("loyalty", 50, action("send_email")),
                    campaign("reminder", 50, action("send_sms"))));

    assertThat(d.candidates())
        .allSatisfy(
            a -> {
              assertThat(a.verdicts()).isNotEmpty();
              assertThat(a.deciding().kind() == VerdictKind.ALLOW).isEqualTo(a.isChosen());
            });
    assertThat(d.chosen()).hasSizeLessThanOrEqualTo(1);
  }
}
