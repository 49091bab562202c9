package dev.opagent.agent.engine;

import static dev.opagent.agent.engine.Scenarios.action;
import static dev.opagent.agent.engine.Scenarios.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.rules.Verdict;
import dev.opagent.rules.assignment.Holdout;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HoldoutTest {
  private static final Holdout CONTROL = Holdout.of("global-control-2026", 10);
  private final MutableClock clock = MutableClock.at("2026-03-15T12:00:00Z");

  private DecisionEngine engine() {
    return DecisionEngine.builder()
        .clock(clock)
        .policy(Scenarios.bare().globalHoldout(CONTROL).build())
        .build();
  }

  private static String firstHeldOut() {
    for (int i = 0; ; i++) {
      if (CONTROL.contains("C-" + i)) {
        return "C-" + i;
      }
    }
  }

  @Test
  void globalHoldout_customerGetsNothingAndEveryMatchIsRecorded() {
    String id = firstHeldOut();

    Decision d =
        engine()
            .decide(
                Scenarios.customer(
                    id,
                    campaign("retention", 75, action("send_email")),
                    campaign("reminder", 50, action("send_sms"))));

    assertThat(d.globalHoldout()).isTrue();
    assertThat(d.candidates()).isEmpty();
    assertThat(d.heldOut())
        .containsExactly(
            new HeldOutCampaign("retention", "global-control-2026", true),
            new HeldOutCampaign("reminder", "global-control-2026", true));
  }

  @Test
  void globalHoldout_isStableAcrossEnginesAndRuns_andNearItsPercentage() {
    Set<String> first = new HashSet<>();
    Set<String> second = new HashSet<>();
    DecisionEngine a = engine();
    DecisionEngine b = engine();
    for (int i = 0; i < 5_000; i++) {
      CustomerContext c =
          Scenarios.customer("C-" + i, campaign("retention", 75, action("send_email")));
      if (a.dryRun(c).globalHoldout()) {
        first.add(c.customerId());
      }
      if (b.startRun(RunMode.LIVE).decide(c).globalHoldout()) {
        second.add(c.customerId());
      }
    }

    assertThat(first).isEqualTo(second);
    assertThat(first.size()).isBetween(400, 600);
  }

  @Test
  void campaignControlGroup_heldOutVerdictIsRecordedAndOtherCampaignsProceed() {
    String id = "C-x";
    while (CONTROL.contains(id)) {
      id = id + "x";
    }
    Decision d =
        engine()
            .decide(
                Scenarios.customer(
                    id,
                    new Verdict.HeldOut("winback", "Win-back", "rule:winback", 0.01, 10),
                    campaign("retention", 75, action("send_email"))));

    assertThat(d.globalHoldout()).isFalse();
    assertThat(d.heldOut()).containsExactly(new HeldOutCampaign("winback", "rule:winback", false));
    assertThat(d.chosen()).extracting(PlannedAction::campaign).containsExactly("retention");
  }

  @Test
  void evaluatorsGlobalControl_withTheSameKey_countsAsGlobalHoldout() {
    Decision d =
        engine()
            .decide(
                Scenarios.customer(
                    "C-any",
                    new Verdict.HeldOut("winback", "Win-back", "global-control-2026", 0.01, 10)));

    assertThat(d.globalHoldout()).isTrue();
  }

  @Test
  void summary_countsHoldouts() {
    DecisionRun run = engine().startRun(RunMode.DRY_RUN);
    int held = 0;
    for (int i = 0; i < 200; i++) {
      held +=
          run.decide(Scenarios.customer("C-" + i, campaign("retention", 75, action("send_email"))))
                  .globalHoldout()
              ? 1
              : 0;
    }

    assertThat(run.summary().globalHoldouts()).isEqualTo(held).isPositive();
    assertThat(run.summary().customers()).isEqualTo(200);
    assertThat(run.summary().chosen()).isEqualTo(200 - held);
  }
}
