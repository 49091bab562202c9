package dev.opagent.examples;

import dev.opagent.agent.Channel;
import dev.opagent.agent.engine.ActionStatus;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.CustomerViews;
import dev.opagent.agent.engine.Decision;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.DecisionRun;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.engine.RunMode;
import dev.opagent.agent.strategy.StrategyGenerator;
import dev.opagent.agent.strategy.StrategyTemplate;
import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.attributes.CustomerView;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentDistribution;
import dev.opagent.segment.SegmentOutcome;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.PopulationGenerator;
import java.io.PrintStream;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The segment agent's guide, method 2: an analysis agent turns segments into insights and next best
 * actions. The guide's {@code _generate_insights} and {@code _recommend_actions} are if-chains over
 * labels; here both come from data the SDK ships:
 *
 * <ul>
 *   <li>insights per customer: the strategy templates (conversion, retention, repurchase, win-back)
 *       whose target the customer matches, with the template's prior conversion rate;
 *   <li>next best actions: the decision engine's choice among the campaigns the customer is
 *       eligible for, after guardrails (a dry run over all customers, so caps count across them);
 *   <li>insights for the whole group: {@link SegmentDistribution#insights()}.
 * </ul>
 *
 * Run it with {@code java -cp examples/target/opagent-cli.jar
 * dev.opagent.examples.AnalysisAgentExample}.
 */
public final class AnalysisAgentExample {
  private AnalysisAgentExample() {}

  /**
   * What the analysis agent concluded about one customer.
   *
   * @param customerId the customer
   * @param segments the agent's analysis, in one line
   * @param insights the strategy templates the customer matches, in words
   * @param nextBestActions actions chosen now or waiting (for approval, quiet hours), best first
   */
  public record CustomerInsight(
      String customerId,
      String segments,
      List<String> insights,
      List<PlannedAction> nextBestActions) {}

  /**
   * What the analysis agent concluded.
   *
   * @param customers one entry per segmented customer, in input order
   * @param distribution the group's segment distribution with its insights
   */
  public record BehaviourAnalysis(
      List<CustomerInsight> customers, SegmentDistribution distribution) {}

  public static void main(String[] args) {
    List<CustomerData> customers = new ArrayList<>(Fixtures.seedCustomers());
    customers.add(OrchestratorExample.atRiskGoldCustomer());
    customers.addAll(
        PopulationGenerator.builder().seed(7).asOf(Fixtures.SEED_AS_OF).build().list(5));
    run(customers, System.out);
  }

  /** Analyses {@code customers}, printing what it concludes for each. */
  public static BehaviourAnalysis run(List<CustomerData> customers, PrintStream out) {
    RuleSet rules = RuleSetLoader.defaults();
    CampaignEvaluator evaluator = CampaignEvaluator.builder().clock(LocalAgent.CLOCK).build();
    DecisionRun decisions =
        DecisionEngine.builder()
            .rules(rules)
            .clock(OrchestratorExample.DECISION_CLOCK)
            .build()
            .startRun(RunMode.DRY_RUN);
    List<StrategyTemplate> templates = StrategyGenerator.ofDefaults().templates().templates();
    List<CustomerInsight> results = new ArrayList<>();
    List<SegmentOutcome> outcomes;
    try (LocalAgent agent = LocalAgent.start()) {
      outcomes = agent.client().analyzeAll(customers);
    }
    out.println("Analysis agent: " + customers.size() + " customers segmented\n");
    for (SegmentOutcome outcome : outcomes) {
      if (!(outcome instanceof SegmentOutcome.Success s)) {
        SegmentOutcome.Failure f = (SegmentOutcome.Failure) outcome;
        out.println(f.customerId() + ": no segments (" + f.code() + ": " + f.message() + ")\n");
        continue;
      }
      CustomerData data = customers.get((int) s.index());
      CustomerView view = CustomerViews.of(data, s.analysis(), Fixtures.SEED_AS_OF);
      List<String> insights = new ArrayList<>();
      for (StrategyTemplate t : templates) {
        if (t.target().test(view)) {
          insights.add(
              String.format(
                  Locale.ROOT,
                  "%s (%s, about %.0f%% convert): %s",
                  t.name(),
                  t.type(),
                  t.prior().mean() * 100,
                  t.description()));
        }
      }
      Eligibility eligibility = evaluator.evaluate(rules, data.customerId(), view);
      Decision decision =
          decisions.decide(
              CustomerContext.builder(eligibility)
                  .customerData(data)
                  .analysis(s.analysis())
                  .consent(Channel.EMAIL, Channel.SMS)
                  .zone(ZoneId.of("Europe/Istanbul"))
                  .build());
      List<PlannedAction> next =
          decision.candidates().stream()
              .filter(a -> a.status() == ActionStatus.CHOSEN || a.status() == ActionStatus.DEFERRED)
              .toList();
      CustomerInsight result =
          new CustomerInsight(data.customerId(), Show.analysis(s.analysis()), insights, next);
      results.add(result);

      out.println(result.customerId() + ": " + result.segments());
      result.insights().forEach(i -> out.println("  insight  " + i));
      if (insights.isEmpty()) {
        out.println("  insight  no strategy template targets this customer");
      }
      next.forEach(
          a ->
              out.println(
                  "  next     "
                      + Show.action(a)
                      + (a.isChosen() ? "" : "\n           " + Show.deciding(a))));
      if (next.isEmpty()) {
        out.println("  next     nothing now (eligible for " + eligibility.eligible() + ")");
      }
      out.println();
    }
    SegmentDistribution distribution = SegmentDistribution.of(outcomes);
    out.println("For the group of " + distribution.analysed() + ":");
    distribution.insights().forEach(i -> out.println("  " + i.code() + ": " + i.message()));
    return new BehaviourAnalysis(results, distribution);
  }
}
