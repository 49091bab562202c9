package dev.opagent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.Channel;
import dev.opagent.agent.CustomerContext;
import dev.opagent.agent.Decision;
import dev.opagent.agent.DecisionEngine;
import dev.opagent.agent.DecisionPolicy;
import dev.opagent.agent.DecisionRun;
import dev.opagent.agent.RunMode;
import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.attributes.CustomerView;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.PopulationGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 6: decisions once segments are known. Customers, their reference segments and their
 * attribute views are prepared first (every customer consents to every channel); then, on one thread (one core), each customer is evaluated
 * against the bundled campaign rules and the decision engine (default policy, live run: ranking,
 * caps, consent, quiet hours, approval, execution limits and budget) decides.
 *
 * <pre>
 * java -cp CLASSPATH dev.opagent.bench.DecisionThroughput [--quick] [--results FILE]
 * </pre>
 */
public final class DecisionThroughput {
  private static final String SCENARIO = "6 decisions";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Every customer consents to every built-in channel, so that the guards after consent run. */
  private static final java.util.Set<Channel> CONSENTS =
      java.util.Set.copyOf(DecisionPolicy.defaultChannels().values());

  private DecisionThroughput() {}

  /** One prepared customer. */
  private record Prepared(CustomerData data, SegmentAnalysis analysis, CustomerView view,
      Eligibility eligibility) {}

  public static void main(String[] args) throws Exception {
    Args parsed = Args.parse(args).noRest();
    boolean quick = parsed.quick();
    Path results = parsed.results();
    Report report = new Report(results);
    int n = quick ? 50_000 : 200_000;
    RuleSet rules = RuleSetLoader.defaults();
    CampaignEvaluator evaluator = CampaignEvaluator.builder().clock(Fixtures.seedClock()).build();
    List<Prepared> customers = prepare(n, rules, evaluator);
    System.out.printf(Locale.ROOT, "%s: %,d customers, bundled rules (%d campaigns), default "
        + "policy, live runs, one thread%n", SCENARIO, n, rules.rules().size());

    double[] decideOnly = new double[3];
    double[] withRules = new double[3];
    long chosen = 0;
    for (int round = -2; round < 3; round++) { // two warm-up rounds
      long[] d = pass(customers, rules, evaluator, false);
      long[] e = pass(customers, rules, evaluator, true);
      if (round >= 0) {
        decideOnly[round] = n / (d[0] / 1e9);
        withRules[round] = n / (e[0] / 1e9);
        chosen = d[1];
      }
    }
    java.util.Arrays.sort(decideOnly);
    java.util.Arrays.sort(withRules);
    report.atLeast(SCENARIO, "opagent DecisionEngine", "customers/s/core", decideOnly[1], 500_000,
        String.format(Locale.ROOT, "median of 3 passes (%,.0f-%,.0f); eligibility known; %,d "
            + "actions chosen per pass", decideOnly[0], decideOnly[2], chosen));
    report.atLeast(SCENARIO, "opagent rules + DecisionEngine", "customers/s/core", withRules[1],
        500_000, String.format(Locale.ROOT, "median of 3 passes (%,.0f-%,.0f); campaign "
            + "eligibility evaluated too", withRules[0], withRules[2]));
    System.exit(0);
  }

  private static List<Prepared> prepare(int n, RuleSet rules, CampaignEvaluator evaluator) {
    ReferenceSegmenter segmenter = new ReferenceSegmenter(Fixtures.seedClock());
    PopulationGenerator population = PopulationGenerator.ofSeed(42);
    List<Prepared> out = new ArrayList<>(n);
    for (long i = 0; i < n; i++) {
      CustomerData data = population.customer(i);
      SegmentAnalysis analysis = segmenter.analyze(data);
      try {
        ObjectNode line = MAPPER.createObjectNode();
        line.set("customerData", MAPPER.readTree(data.toJson()));
        line.set("analysis", MAPPER.readTree(analysis.toJson()));
        CustomerView view = CustomerView.fromWire(line, Fixtures.SEED_AS_OF);
        out.add(new Prepared(data, analysis, view,
            evaluator.evaluate(rules, data.customerId(), view)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** Returns {nanos, actions chosen}; a fresh engine per pass so that passes do not cap each other. */
  private static long[] pass(List<Prepared> customers, RuleSet rules,
      CampaignEvaluator evaluator, boolean evaluateRules) {
    DecisionEngine engine = DecisionEngine.builder().policy(DecisionPolicy.ofDefaults())
        .clock(Fixtures.seedClock()).build();
    long chosen = 0;
    long t0 = System.nanoTime();
    DecisionRun run = engine.startRun(RunMode.LIVE);
    for (Prepared p : customers) {
      Eligibility eligibility = evaluateRules
          ? evaluator.evaluate(rules, p.data().customerId(), p.view()) : p.eligibility();
      Decision d = run.decide(CustomerContext.builder(eligibility).customerData(p.data())
          .analysis(p.analysis()).consents(CONSENTS).build());
      chosen += d.chosen().size();
    }
    return new long[] {System.nanoTime() - t0, chosen};
  }
}
