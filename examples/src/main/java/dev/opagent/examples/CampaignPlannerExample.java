package dev.opagent.examples;

import dev.opagent.agent.engine.CustomerViews;
import dev.opagent.agent.strategy.EffectPrediction;
import dev.opagent.agent.strategy.Population;
import dev.opagent.agent.strategy.StrategyGenerator;
import dev.opagent.agent.strategy.StrategyProposal;
import dev.opagent.agent.strategy.StrategyReport;
import dev.opagent.agent.strategy.StrategyType;
import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.Verdict;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentDistribution;
import dev.opagent.segment.SegmentOutcome;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.PopulationGenerator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The segment agent's guide, method 3: a campaign planner builds a targeted campaign. The guide's
 * {@code create_targeted_campaign} filters segmented customers by a hard-coded eligibility check;
 * this one
 *
 * <ol>
 *   <li>segments the customer list through the (simulated) agent,
 *   <li>asks the {@link StrategyGenerator} for proposals from the segment distribution — audience,
 *       predicted conversions with a credible interval, revenue, cost and ROI — and takes the best
 *       of the requested type,
 *   <li>turns the proposal into a campaign rule, loaded by campaign-rules in strict mode, with a
 *       holdout so that the real lift can be measured,
 *   <li>evaluates that rule for every customer: the target list and its control group.
 * </ol>
 *
 * Run it with {@code java -cp examples/target/opagent-cli.jar
 * dev.opagent.examples.CampaignPlannerExample [TYPE]}, TYPE one of CONVERSION, RETENTION,
 * REPURCHASE, WINBACK (default).
 */
public final class CampaignPlannerExample {
  private CampaignPlannerExample() {}

  /**
   * The planned campaign.
   *
   * @param report every proposal for the population, best first
   * @param proposal the chosen proposal
   * @param ruleJson the proposal as a campaign-rules file
   * @param rules that file, loaded in strict mode
   * @param targets customers the rule selects for treatment
   * @param control customers it matches but holds out
   */
  public record TargetedCampaign(
      StrategyReport report,
      StrategyProposal proposal,
      String ruleJson,
      RuleSet rules,
      List<String> targets,
      List<String> control) {}

  public static void main(String[] args) {
    StrategyType type = StrategyType.WINBACK;
    if (args.length > 0) {
      try {
        type = StrategyType.valueOf(args[0].toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        System.err.println("TYPE must be one of " + List.of(StrategyType.values()));
        System.exit(2);
      }
    }
    run(
        type,
        PopulationGenerator.builder().seed(3).asOf(Fixtures.SEED_AS_OF).build().list(300),
        System.out);
  }

  /** Plans a campaign of {@code type} for {@code customers}, printing each step. */
  public static TargetedCampaign run(
      StrategyType type, List<CustomerData> customers, PrintStream out) {
    List<SegmentOutcome> outcomes;
    try (LocalAgent agent = LocalAgent.start()) {
      outcomes = agent.client().analyzeAll(customers);
    }
    SegmentDistribution distribution = SegmentDistribution.of(outcomes);
    out.printf(
        "Campaign planner: %d customers segmented, %d failed%n%n",
        distribution.analysed(), distribution.failed());

    StrategyReport report =
        StrategyGenerator.builder().minAudience(10).build().generate(Population.of(distribution));
    out.println("Proposals (best expected profit first):");
    for (StrategyProposal p : report.proposals()) {
      out.printf(
          Locale.ROOT,
          "  %-28s %-10s audience %4d  ROI %6.2f%n",
          p.id(),
          p.type(),
          p.audience().customers(),
          p.prediction().roi());
    }
    report.skipped().forEach(s -> out.println("  skipped " + s.templateId() + ": " + s.detail()));
    StrategyProposal proposal =
        report.ofType(type).stream()
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("no " + type + " proposal for this population"));

    EffectPrediction e = proposal.prediction();
    out.printf(Locale.ROOT, "%nChosen: %s — %s%n", proposal.id(), proposal.template().name());
    out.printf(
        Locale.ROOT,
        "  audience   %d of %d customers (%.1f%%); %s%n",
        proposal.audience().customers(),
        proposal.audience().populationSize(),
        proposal.audience().share() * 100,
        String.join("; ", proposal.audience().assumptions()));
    out.printf(
        Locale.ROOT,
        "  treated    %.0f (holdout %.0f%%)%n",
        e.treated(),
        proposal.template().holdoutPercentage());
    out.printf(
        Locale.ROOT,
        "  converts   %.1f%% (%.0f%% interval %.1f%% … %.1f%%): %.1f customers"
            + " (%.1f … %.1f)%n",
        e.conversionRate() * 100,
        e.credibleLevel() * 100,
        e.conversionRateLow() * 100,
        e.conversionRateHigh() * 100,
        e.expectedConversions(),
        e.conversionsLow(),
        e.conversionsHigh());
    out.printf(
        Locale.ROOT,
        "  money      revenue %s, cost %s, ROI %.2f (%.2f … %.2f)%n",
        e.expectedRevenue(),
        e.cost(),
        e.roi(),
        e.roiLow(),
        e.roiHigh());

    String ruleJson = proposal.toRuleJson();
    RuleSet rules = proposal.toRules();
    out.println("\nAs a campaign rule (loaded strictly by campaign-rules):\n" + ruleJson);

    CampaignEvaluator evaluator = CampaignEvaluator.builder().clock(LocalAgent.CLOCK).build();
    List<String> targets = new ArrayList<>();
    List<String> control = new ArrayList<>();
    for (SegmentOutcome o : outcomes) {
      if (o instanceof SegmentOutcome.Success s) {
        CustomerData data = customers.get((int) s.index());
        Eligibility el =
            evaluator.evaluate(
                rules, s.customerId(), CustomerViews.of(data, s.analysis(), Fixtures.SEED_AS_OF));
        Verdict v = el.verdict(proposal.ruleId()).orElseThrow();
        if (v instanceof Verdict.Eligible) {
          targets.add(s.customerId());
        } else if (v instanceof Verdict.HeldOut) {
          control.add(s.customerId());
        }
      }
    }
    out.printf(
        "%nTargeted campaign %s: %d customers to treat, %d held out as control"
            + " (the estimate was %d); first targets %s%n",
        proposal.ruleId(),
        targets.size(),
        control.size(),
        proposal.audience().customers(),
        targets.subList(0, Math.min(5, targets.size())));
    return new TargetedCampaign(report, proposal, ruleJson, rules, targets, control);
  }
}
