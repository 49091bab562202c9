package dev.opagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalScope;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.agent.budget.Reservation;
import dev.opagent.agent.engine.ActionStatus;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.CustomerViews;
import dev.opagent.agent.engine.Decision;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.DecisionRun;
import dev.opagent.agent.engine.InMemoryContactHistory;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.agent.engine.RunMode;
import dev.opagent.agent.engine.RunSummary;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.spi.Contact;
import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.Rule;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.assignment.Holdout;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.PopulationGenerator;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Simulated customers end to end: generated population → reference segmenter → campaign-rules with
 * the bundled campaigns → decision engine with a policy that exercises every guardrail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatedCustomersTest {
  private static final int CUSTOMERS = 3_000;
  private static final Holdout CONTROL = Holdout.of("global-control-2026", 5);
  private static final Instant NOW = Instant.parse("2026-03-15T19:30:00Z"); // 22:30 Istanbul
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private final List<CustomerContext> contexts = new ArrayList<>();
  private final Map<String, List<Contact>> earlierEmails = new java.util.HashMap<>();
  private RuleSet rules;

  @BeforeAll
  void segmentAndEvaluate() {
    RuleSet defaults = RuleSetLoader.defaults();
    List<Rule> withControl = new ArrayList<>();
    for (Rule r : defaults.rules()) {
      double holdout = r.id().equals("crosssell") ? 10 : 0;
      withControl.add(
          new Rule(
              r.id(),
              r.name(),
              r.description(),
              r.condition(),
              r.actions(),
              r.priority(),
              r.enabled(),
              r.version(),
              r.validity(),
              r.tags(),
              Holdout.of(Rule.holdoutKey(r.id()), holdout)));
    }
    rules = RuleSet.of("defaults-with-control", withControl);
    ReferenceSegmenter segmenter = new ReferenceSegmenter(Fixtures.seedClock());
    CampaignEvaluator evaluator =
        CampaignEvaluator.builder().clock(Fixtures.seedClock()).globalControlGroup(CONTROL).build();
    for (CustomerData data : PopulationGenerator.ofSeed(42).list(CUSTOMERS)) {
      SegmentAnalysis analysis = segmenter.analyze(data);
      Eligibility e =
          evaluator.evaluate(
              rules, data.customerId(), CustomerViews.of(data, analysis, Fixtures.SEED_AS_OF));
      int h = Math.floorMod(data.customerId().hashCode() * 31 + 7, 100);
      CustomerContext.Builder b =
          CustomerContext.builder(e)
              .customerData(data)
              .analysis(analysis)
              .zone(h % 4 == 0 ? NEW_YORK : ISTANBUL);
      if (h < 85) {
        b.consent(Channel.EMAIL);
      }
      if (h % 2 == 0) {
        b.consent(Channel.SMS);
      }
      if (h % 7 == 0) {
        earlierEmails.put(
            data.customerId(),
            List.of(
                Contact.of(
                    Channel.EMAIL,
                    Instant.parse("2026-03-15T08:00:00Z"),
                    "retention",
                    "send_email")));
      }
      contexts.add(b.build());
    }
  }

  private DecisionEngine engine() {
    DecisionPolicy policy =
        DecisionPolicy.ofDefaults().toBuilder()
            .maxActionsPerCustomer(2)
            .putChannel("send_product_recommendation", Channel.SMS)
            .putExecutionLimit("create_discount", 15)
            .approval(
                new ApprovalThresholds(0.20, new BigDecimal("50"), 150, ApprovalScope.CAMPAIGN))
            .budgets(
                BudgetLimits.builder(DecisionPolicy.DEFAULT_CURRENCY)
                    .putCampaign("retention", new BigDecimal("0.80"))
                    .build())
            .globalHoldout(CONTROL)
            .build();
    InMemoryContactHistory history = new InMemoryContactHistory();
    earlierEmails.forEach((id, list) -> list.forEach(c -> history.record(id, c)));
    DecisionEngine engine =
        DecisionEngine.builder()
            .policy(policy)
            .rules(rules)
            .clock(java.time.Clock.fixed(NOW, ZoneId.of("UTC")))
            .contactHistory(history)
            .build();
    ApprovalRequest winback =
        engine
            .approvalGate()
            .request(
                ApprovalKey.campaign("winback"),
                "discount 20% reaches the approval threshold of 20%",
                "marketing-lead");
    engine.approvalGate().grant(winback.id(), "cmo", "spring win-back approved");
    return engine;
  }

  private List<Decision> run(DecisionEngine engine, RunMode mode) {
    List<Decision> out = new ArrayList<>();
    DecisionRun run = engine.startRun(mode);
    RunSummary s = run.decideAll(contexts, out::add);
    assertThat(s.customers()).isEqualTo(CUSTOMERS);
    return out;
  }

  @Test
  void liveRun_everyCustomerExactlyOneDecision_countsConsistent_everyGuardrailFires() {
    DecisionEngine engine = engine();
    List<Decision> decisions = new ArrayList<>();
    DecisionRun run = engine.startRun(RunMode.LIVE);
    RunSummary summary = run.decideAll(contexts, decisions::add);

    Set<String> ids = new HashSet<>();
    decisions.forEach(d -> ids.add(d.customerId()));
    assertThat(decisions).hasSize(CUSTOMERS);
    assertThat(ids).hasSize(CUSTOMERS);

    long candidates = 0;
    long chosen = 0;
    BigDecimal reserved = BigDecimal.ZERO;
    for (Decision d : decisions) {
      candidates += d.candidates().size();
      List<PlannedAction> picked = d.chosen();
      chosen += picked.size();
      assertThat(picked.size()).isLessThanOrEqualTo(2);
      for (PlannedAction a : d.candidates()) {
        assertThat(a.isChosen()).isEqualTo(a.status() == ActionStatus.CHOSEN);
        assertThat(a.deciding()).isNotNull();
        assertThat(a.deciding().allows()).isEqualTo(a.isChosen());
        assertThat(a.deciding().message()).doesNotContain(d.customerId());
      }
      for (PlannedAction a : picked) {
        assertThat(d.withStatus(ActionStatus.SUPPRESSED)).doesNotContain(a);
        Reservation r = a.reservation();
        if (r != null) {
          reserved = reserved.add(r.amount());
        }
      }
      List<String> campaigns = picked.stream().map(PlannedAction::campaign).toList();
      assertThat(campaigns.contains("winback") && campaigns.contains("loyalty"))
          .as("winback and loyalty are exclusive")
          .isFalse();
      assertThat(d.globalHoldout()).isEqualTo(CONTROL.contains(d.customerId()));
      if (d.globalHoldout()) {
        assertThat(d.candidates()).isEmpty();
      }
    }
    assertThat(summary.candidates()).isEqualTo(candidates);
    assertThat(summary.chosen()).isEqualTo(chosen);
    assertThat(summary.reasons().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(candidates - chosen);
    assertThat(summary.chosenByCampaign().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(chosen);
    assertThat(engine.budgetLedger().global().reserved()).isEqualByComparingTo(reserved);
    assertThat(summary.globalHoldouts())
        .isEqualTo(decisions.stream().filter(Decision::globalHoldout).count())
        .isPositive();
    assertThat(summary.campaignHoldouts()).isPositive();
    assertThat(summary.reasons().keySet())
        .containsAll(
            EnumSet.of(
                ReasonCode.CONSENT_MISSING,
                ReasonCode.FREQUENCY_CAP,
                ReasonCode.QUIET_HOURS,
                ReasonCode.BUDGET_EXHAUSTED,
                ReasonCode.EXECUTION_LIMIT,
                ReasonCode.APPROVAL_REQUIRED,
                ReasonCode.APPROVAL_PENDING,
                ReasonCode.EXCLUSIVE_CAMPAIGN,
                ReasonCode.RUN_CAP_CHANNEL));
    assertThat(engine.executionsToday("create_discount")).isEqualTo(15);
    assertThat(summary.chosenByCampaign().get("winback")).isEqualTo(15);
  }

  @Test
  void dryRun_sameVerdictsAsLive_withoutSideEffects() {
    DecisionEngine dryEngine = engine();
    int auditBefore = dryEngine.approvalGate().auditTrail().size();
    List<Decision> dry = run(dryEngine, RunMode.DRY_RUN);
    List<Decision> live = run(engine(), RunMode.LIVE);

    for (int i = 0; i < CUSTOMERS; i++) {
      assertThat(dry.get(i).candidates())
          .extracting(PlannedAction::status)
          .isEqualTo(live.get(i).candidates().stream().map(PlannedAction::status).toList());
      assertThat(dry.get(i).candidates()).allSatisfy(a -> assertThat(a.reservation()).isNull());
    }
    assertThat(dryEngine.budgetLedger().openReservations()).isZero();
    assertThat(dryEngine.budgetLedger().global().reserved()).isEqualByComparingTo("0");
    assertThat(dryEngine.executionsToday("create_discount")).isZero();
    assertThat(dryEngine.approvalGate().auditTrail()).hasSize(auditBefore);
  }
}
