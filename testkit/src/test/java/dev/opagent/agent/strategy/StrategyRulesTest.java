package dev.opagent.agent.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.LoadResult;
import dev.opagent.rules.Rule;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.rules.Targeting;
import dev.opagent.rules.spi.ActionTypes;
import dev.opagent.testkit.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Proposals close the loop: they become rule files that campaign-rules loads in strict mode. */
class StrategyRulesTest {
  private static final Populations.Segmented POPULATION = Populations.segmented(7, 600);

  /** The action types the decision engine maps to a channel by default. */
  private static final ActionTypes HOST_ACTIONS =
      ActionTypes.of(dev.opagent.agent.policy.DecisionPolicy.defaultChannels().keySet());

  static Stream<StrategyTemplate> templates() {
    return StrategyTemplates.bundled().templates().stream();
  }

  private static StrategyProposal proposalFor(StrategyTemplate t) {
    Audience audience = new Audience(250, 1000, List.of(), List.of("test"));
    return new StrategyProposal(
        t, audience, StrategyGenerator.ofDefaults().predict(t, audience, ConversionHistory.none()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void toRuleJson_everyBundledTemplate_loadsInStrictModeWithoutProblems(StrategyTemplate t) {
    StrategyProposal p = proposalFor(t);
    RuleSetLoader strict = RuleSetLoader.builder().actionTypes(HOST_ACTIONS).build();
    LoadResult result = strict.validate(RuleSource.string(t.id(), p.toRuleJson()));

    assertThat(result).isInstanceOf(LoadResult.Loaded.class);
    RuleSet rules = ((LoadResult.Loaded) result).ruleSet();
    assertThat(rules.warnings()).isEmpty();
    Rule rule = rules.rule("strategy." + t.id()).orElseThrow();
    assertThat(rule.priority()).isEqualTo(t.priority());
    assertThat(rule.holdout().percentage()).isEqualTo(t.holdoutPercentage());
    assertThat(rule.tags()).startsWith("strategy", t.type().tag(), "template:" + t.id());
    assertThat(rule.condition().source()).isEqualTo(t.target().source());
    List<String> expectedTypes = new ArrayList<>();
    if (t.plan().offer() != null) {
      expectedTypes.add("create_discount");
    }
    t.plan().actions().forEach(a -> expectedTypes.add(a.type()));
    assertThat(rule.actions())
        .extracting(dev.opagent.rules.Action::type)
        .containsExactlyElementsOf(expectedTypes);
    assertThat(rule.actions().get(rule.actions().size() - 1).delay())
        .isEqualTo(t.plan().actions().get(t.plan().actions().size() - 1).delay());
  }

  @Test
  void toRules_winbackProposal_targetsExactlyTheCustomersTheTemplateTargets() {
    StrategyTemplate t = StrategyTemplates.bundled().template("winback_at_risk").orElseThrow();
    RuleSet rules = proposalFor(t).toRules();
    CampaignEvaluator evaluator = CampaignEvaluator.builder().clock(Fixtures.seedClock()).build();

    Targeting targeting =
        evaluator.target(rules, "strategy.winback_at_risk", POPULATION.candidates());

    long expected =
        POPULATION.candidates().stream().filter(c -> t.target().test(c.attributes())).count();
    assertThat(expected).isPositive();
    assertThat(targeting.targetCount() + targeting.heldOutCount()).isEqualTo(expected);
    assertThat(targeting.heldOutCount()).isPositive();
  }

  @Test
  void toRules_offer_becomesADiscountActionBeforeTheMessage() {
    StrategyTemplate t = StrategyTemplates.bundled().template("winback_at_risk").orElseThrow();
    Rule rule = proposalFor(t).toRules().rules().get(0);

    assertThat(rule.actions().get(0).type()).isEqualTo("create_discount");
    assertThat(rule.actions().get(0).parameters())
        .containsAllEntriesOf(Map.of("discount", 0.2, "expiry_days", 14));
    assertThat(rule.actions().get(1).parameters())
        .containsEntry("channel", "email")
        .containsEntry("template", "winback_offer");
    assertThat(rule.description()).contains("Predicted for 250 customers").contains("ROI");
  }

  @Test
  void toRules_proposals_driveTheDecisionEngineWithMappedChannels() {
    RuleSet rules =
        StrategyGenerator.ofDefaults()
            .generate(Population.of(POPULATION.distribution()))
            .toRules("proposed");
    CampaignEvaluator evaluator = CampaignEvaluator.builder().clock(Fixtures.seedClock()).build();
    dev.opagent.agent.engine.DecisionEngine engine =
        dev.opagent.agent.engine.DecisionEngine.builder().clock(Fixtures.seedClock()).build();
    List<dev.opagent.agent.engine.PlannedAction> candidates = new ArrayList<>();

    for (int i = 0; i < 100; i++) {
      var eligibility = evaluator.evaluate(rules, POPULATION.candidates().get(i));
      dev.opagent.agent.engine.CustomerContext ctx =
          dev.opagent.agent.engine.CustomerContext.builder(eligibility)
              .customerData(POPULATION.customers().get(i))
              .analysis(POPULATION.analyses().get(i))
              .consent(dev.opagent.agent.Channel.EMAIL, dev.opagent.agent.Channel.PUSH)
              .build();
      candidates.addAll(engine.dryRun(ctx).candidates());
    }

    assertThat(candidates)
        .isNotEmpty()
        .allSatisfy(a -> assertThat(a.campaign()).startsWith(StrategyProposal.RULE_ID_PREFIX))
        .noneMatch(a -> a.reason() == dev.opagent.agent.engine.ReasonCode.UNMAPPED_ACTION_TYPE);
  }

  @Test
  void toRuleJson_wholeReport_loadsEveryProposalAsOneRuleSet() {
    StrategyReport report =
        StrategyGenerator.ofDefaults().generate(Population.of(POPULATION.distribution()));
    RuleSet rules = report.toRules("proposed");

    assertThat(report.proposals()).hasSizeGreaterThanOrEqualTo(4);
    assertThat(rules.ids())
        .containsExactlyInAnyOrderElementsOf(
            report.proposals().stream().map(StrategyProposal::ruleId).toList());
    assertThat(rules.name()).isEqualTo("proposed");
  }
}
