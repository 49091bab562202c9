package dev.opagent.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.Decision;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.agent.engine.RunMode;
import dev.opagent.agent.engine.RunSummary;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.policy.QuietHours;
import dev.opagent.rules.Action;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.Verdict;
import dev.opagent.rules.assignment.Holdout;
import dev.opagent.testkit.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The decision engine's meters, driven by an engine deciding customers. */
class DecisionMetricsTest {
  private static final List<Channel> ALL =
      List.of(Channel.EMAIL, Channel.SMS, Channel.PUSH, Channel.IN_APP, Channel.PHONE);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OpagentMetrics metrics = OpagentMetrics.create(registry);
  private final MutableClock clock = MutableClock.at("2026-03-15T12:00:00Z");

  /**
   * No caps or limits but three actions per customer, one per channel, and quiet hours 21:00–08:00
   * for e-mail.
   */
  private DecisionPolicy.Builder policy() {
    return DecisionPolicy.builder()
        .clearFrequencyCaps()
        .clearQuietHours()
        .clearExecutionLimits()
        .clearExclusiveCampaigns()
        .approval(ApprovalThresholds.none())
        .maxActionsPerCustomer(3)
        .maxActionsPerChannel(1)
        .addQuietHours(
            new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0), Set.of(Channel.EMAIL)));
  }

  private DecisionEngine engine(DecisionPolicy policy) {
    return DecisionEngine.builder()
        .clock(clock)
        .policy(policy)
        .listener(metrics.decisionListener())
        .build();
  }

  private static Verdict.Eligible campaign(String id, int priority, String actionType) {
    return new Verdict.Eligible(
        id, id, priority, List.of(new Action(actionType, Map.of(), Duration.ZERO)));
  }

  private static CustomerContext customer(
      String id, ZoneId zone, List<Channel> consents, Verdict... verdicts) {
    List<String> eligible = new ArrayList<>();
    for (Verdict v : verdicts) {
      if (v.isEligible()) {
        eligible.add(v.ruleId());
      }
    }
    return CustomerContext.builder(new Eligibility(id, eligible, List.of(verdicts)))
        .consents(consents)
        .zone(zone)
        .customerValue(100)
        .expectedBasket(100)
        .build();
  }

  private static CustomerContext customer(String id, List<Channel> consents, Verdict... verdicts) {
    return customer(id, ZoneId.of("UTC"), consents, verdicts);
  }

  private double actions(String... tags) {
    return registry.get(OpagentMetrics.DECISION_ACTIONS).tags(tags).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  @Test
  void decideAll_chosenBlockedDeferredSuppressedAndHeldOut_countsEachByCampaignTypeAndReason() {
    DecisionEngine engine = engine(policy().build());
    List<CustomerContext> customers =
        List.of(
            // chosen
            customer("C-701", ALL, campaign("winback", 60, "send_email")),
            // blocked: no e-mail consent
            customer("C-702", List.of(Channel.SMS), campaign("winback", 60, "send_email")),
            // deferred: 21:00 in Tokyo is inside e-mail's quiet hours
            customer("C-703", ZoneId.of("Asia/Tokyo"), ALL, campaign("winback", 60, "send_email")),
            // winback chosen (higher priority), crosssell suppressed by the per-channel cap
            customer(
                "C-704",
                ALL,
                campaign("winback", 60, "send_email"),
                campaign("crosssell", 40, "send_email")),
            // held out of loyalty by the campaign's control group, nothing else matched
            customer(
                "C-705", ALL, new Verdict.HeldOut("loyalty", "loyalty", "rule:loyalty", 0.01, 10)));

    RunSummary summary = engine.startRun(RunMode.LIVE).decideAll(customers, d -> {});

    assertThat(
            registry
                .get(OpagentMetrics.DECISIONS)
                .tags("mode", "live", "outcome", "chosen")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get(OpagentMetrics.DECISIONS)
                .tags("mode", "live", "outcome", "none")
                .counter()
                .count())
        .isEqualTo(3);
    assertThat(
            actions(
                "campaign",
                "winback",
                "action.type",
                "send_email",
                "status",
                "chosen",
                "reason",
                "passed"))
        .isEqualTo(2);
    assertThat(actions("campaign", "winback", "status", "blocked", "reason", "consent_missing"))
        .isEqualTo(1);
    assertThat(actions("campaign", "winback", "status", "deferred", "reason", "quiet_hours"))
        .isEqualTo(1);
    assertThat(
            actions("campaign", "crosssell", "status", "suppressed", "reason", "run_cap_channel"))
        .isEqualTo(1);
    assertThat(
            registry
                .get(OpagentMetrics.DECISION_HOLDOUTS)
                .tags("campaign", "loyalty", "scope", "campaign", "mode", "live")
                .counter()
                .count())
        .isEqualTo(1);
    // the meters agree with the run's own counts
    assertThat(actions("status", "chosen")).isEqualTo((double) summary.chosen());
    assertThat(actions("status", "blocked")).isEqualTo((double) summary.blocked());
    assertThat(actions("status", "deferred")).isEqualTo((double) summary.deferred());
    assertThat(actions("status", "suppressed")).isEqualTo((double) summary.suppressed());
    for (Map.Entry<ReasonCode, Long> e : summary.reasons().entrySet()) {
      assertThat(actions("reason", Meters.tagValue(e.getKey())))
          .as(e.getKey().name())
          .isEqualTo(e.getValue().doubleValue());
    }
    Privacy.assertNoTagHolds(
        registry, customers.stream().map(CustomerContext::customerId).toList());
  }

  @Test
  void decide_globalHoldoutAndDryRun_toldApartByOutcomeAndMode() {
    DecisionEngine everyoneHeldOut =
        engine(policy().globalHoldout(Holdout.of("global-control", 100)).build());
    DecisionEngine engine = engine(policy().build());

    Decision held =
        everyoneHeldOut.decide(customer("C-801", ALL, campaign("winback", 60, "send_email")));
    Decision dry = engine.dryRun(customer("C-802", ALL, campaign("winback", 60, "send_email")));

    assertThat(held.globalHoldout()).isTrue();
    assertThat(dry.chosen()).hasSize(1);
    assertThat(
            registry
                .get(OpagentMetrics.DECISIONS)
                .tags("mode", "live", "outcome", "held_out")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(OpagentMetrics.DECISION_HOLDOUTS)
                .tags("campaign", "winback", "scope", "global")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(OpagentMetrics.DECISIONS)
                .tags("mode", "dry_run", "outcome", "chosen")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(actions("mode", "dry_run", "status", "chosen")).isEqualTo(1);
    assertThat(
            Search.in(registry)
                .name(OpagentMetrics.DECISION_ACTIONS)
                .tag("mode", "live")
                .counters())
        .isEmpty();
  }

  @Test
  void decide_everyCandidateCountedOnceWhateverTheRanking() {
    DecisionEngine engine = engine(policy().maxActionsPerCustomer(1).build());

    Decision d =
        engine.decide(
            customer(
                "C-901",
                ALL,
                campaign("winback", 60, "send_email"),
                campaign("loyalty", 50, "send_sms"),
                campaign("crosssell", 40, "send_push")));

    assertThat(actions()).isEqualTo((double) d.candidates().size()).isEqualTo(3);
    for (PlannedAction a : d.candidates()) {
      assertThat(
              actions(
                  "campaign",
                  a.campaign(),
                  "status",
                  Meters.tagValue(a.status()),
                  "reason",
                  Meters.tagValue(a.reason())))
          .isEqualTo(1);
    }
  }
}
