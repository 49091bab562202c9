package dev.opagent.examples;

import dev.opagent.agent.Channel;
import dev.opagent.agent.engine.ActionStatus;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.CustomerViews;
import dev.opagent.agent.engine.Decision;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.Verdict;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.testkit.Fixtures;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The segment agent's guide, method 1: an orchestrator plans a campaign for one customer. Where the
 * guide's {@code plan_campaign} hard-codes "if Riskli, recommend a 20% win-back", this one
 *
 * <ol>
 *   <li>segments the customer through the (simulated) agent with the real client,
 *   <li>evaluates the bundled campaign rules, which say why each campaign does or does not apply,
 *   <li>asks the decision engine which actions to take: candidates ranked by expected value, then
 *       conflicts, consent, frequency caps, quiet hours, approval and budget — a dry run, so
 *       nothing is reserved or sent.
 * </ol>
 *
 * Run it with {@code java -cp examples/target/opagent-cli.jar
 * dev.opagent.examples.OrchestratorExample}.
 */
public final class OrchestratorExample {
  /** Mid-morning of the seed date in UTC, outside every quiet hour. */
  static final Clock DECISION_CLOCK =
      Clock.fixed(Instant.parse("2026-03-15T10:00:00Z"), ZoneOffset.UTC);

  private OrchestratorExample() {}

  /**
   * What the orchestrator found and planned for the customer.
   *
   * @param analysis the customer's segments
   * @param eligibility every campaign's verdict
   * @param decision every candidate action with its status and guardrail verdicts
   */
  public record CampaignPlan(
      SegmentAnalysis analysis, Eligibility eligibility, Decision decision) {}

  /** Plans for the guide's customer C-1001, then for a gold-tier customer at risk of churning. */
  public static void main(String[] args) {
    run(Fixtures.seedActiveCustomer(), System.out);
    System.out.println();
    run(atRiskGoldCustomer(), System.out);
  }

  /**
   * C-1002: 20 orders over three years, the last 115 days ago at a cadence of about 37 days, so
   * {@code Riskli} and {@code Altın} — win-back (20% off, which needs approval), retention, loyalty
   * and replenishment all apply, and win-back and loyalty exclude each other.
   */
  static CustomerData atRiskGoldCustomer() {
    return CustomerData.fromJson(
        """
        {"customerId": "C-1002", "city": "Izmir",
         "customer": {"customerId": "C-1002", "age": 41, "gender": "M",
           "registeredAt": "2023-01-10T00:00:00", "productHistory": [
             {"productId": "P-3001", "category": "SKINCARE", "totalQuantity": 14,
              "totalSpent": 1250.00, "orderCount": 14, "lastPurchase": "2025-11-20T00:00:00",
              "avgDaysBetween": 30},
             {"productId": "P-3002", "category": "MAKEUP", "totalQuantity": 6,
              "totalSpent": 380.00, "orderCount": 6, "lastPurchase": "2025-11-05T00:00:00",
              "avgDaysBetween": 45}]},
         "region": {"name": "Ege", "climateType": "Mediterranean", "medianBasket": 75.0,
           "trend": "SKINCARE"},
         "currentSeason": "Winter"}""");
  }

  /** Plans a campaign for {@code customer}, who opted in to e-mail only, printing each step. */
  public static CampaignPlan run(CustomerData customer, PrintStream out) {
    try (LocalAgent agent = LocalAgent.start()) {
      out.println("Orchestrator: planning a campaign for customer " + customer.customerId());

      SegmentAnalysis analysis = agent.client().analyze(customer);
      out.println("\n1. Segments from the agent\n   " + Show.analysis(analysis));

      RuleSet rules = RuleSetLoader.defaults();
      Eligibility eligibility =
          CampaignEvaluator.builder()
              .clock(LocalAgent.CLOCK)
              .build()
              .evaluate(
                  rules,
                  customer.customerId(),
                  CustomerViews.of(customer, analysis, Fixtures.SEED_AS_OF));
      out.println("\n2. Campaign rules (" + rules.name() + ")");
      for (Verdict v : eligibility.details()) {
        out.printf("   %-14s %s%n", v.ruleId(), Show.verdict(v));
      }

      DecisionEngine engine =
          DecisionEngine.builder()
              .policy(DecisionPolicy.ofDefaults())
              .rules(rules)
              .clock(DECISION_CLOCK)
              .build();
      CustomerContext context =
          CustomerContext.builder(eligibility)
              .customerData(customer)
              .analysis(analysis)
              .consent(Channel.EMAIL)
              .zone(ZoneId.of("Europe/Istanbul"))
              .build();
      Decision decision = engine.dryRun(context);
      out.println(
          "\n3. Decision (dry run; value of a conversion "
              + String.format("%.2f", context.customerValue())
              + ")");
      if (decision.isHeldOut()) {
        out.println("   held out of: " + decision.heldOut());
      }
      for (PlannedAction a : decision.withStatus(ActionStatus.CHOSEN)) {
        out.println("   chosen   " + Show.action(a));
        if (!a.attachments().isEmpty()) {
          out.println("            with " + a.attachments());
        }
      }
      for (PlannedAction a : decision.candidates()) {
        if (!a.isChosen()) {
          out.println("   not now  " + Show.action(a));
          out.println("            " + Show.deciding(a));
        }
      }
      if (!decision.hasChosen()) {
        out.println("   nothing to send to this customer now");
      }
      return new CampaignPlan(analysis, eligibility, decision);
    }
  }
}
