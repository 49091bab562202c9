package dev.opagent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.Channel;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.Decision;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.DecisionRun;
import dev.opagent.agent.engine.RunMode;
import dev.opagent.agent.policy.DecisionPolicy;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Scenario 6 under JMH: decisions once segments are known. {@value #CUSTOMERS} customers of {@code
 * PopulationGenerator.ofSeed(42)} are prepared first (reference segments at the seed clock, the
 * attribute view from the wire form, consent to every channel). One operation is one customer
 * decided by a live run of a default-policy engine: {@code decideOnly} with the eligibility
 * computed in setup, {@code rulesAndDecide} evaluating the bundled campaign rules first. Every
 * invocation decides all prepared customers in a fresh engine and run (set up outside the
 * measurement), so run caps, frequency caps and budgets see each customer once, as in one pass over
 * distinct customers. Setup checks that both benchmarks choose the same actions. Not thread-safe
 * state: JMH runs it on one thread.
 *
 * <pre>
 * java -cp CLASSPATH org.openjdk.jmh.Main DecisionBenchmark -f 1 -wi 5 -w 2s -i 5 -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecisionBenchmark {
  /** Customers per invocation. */
  public static final int CUSTOMERS = 4096;

  /** Every customer consents to every built-in channel, so that the guards after consent run. */
  static final Set<Channel> CONSENTS = Set.copyOf(DecisionPolicy.defaultChannels().values());

  private static final ObjectMapper MAPPER = Json.MAPPER;

  private RuleSet rules;
  private CampaignEvaluator evaluator;
  private Prepared prepared;
  private DecisionRun run;

  /** Prepared customers, index-aligned. */
  record Prepared(
      CustomerData[] data,
      SegmentAnalysis[] analyses,
      CustomerView[] views,
      Eligibility[] eligibilities) {

    int size() {
      return data.length;
    }
  }

  /** The bundled rules' evaluator at the seed clock. */
  static CampaignEvaluator evaluator() {
    return CampaignEvaluator.builder().clock(Fixtures.seedClock()).build();
  }

  /** A fresh default-policy engine's live run at the seed clock. */
  static DecisionRun freshRun() {
    return DecisionEngine.builder()
        .policy(DecisionPolicy.ofDefaults())
        .clock(Fixtures.seedClock())
        .build()
        .startRun(RunMode.LIVE);
  }

  /** Customers {@code 0 … n-1} of the seed-42 population with segments, views and eligibility. */
  static Prepared prepare(int n, RuleSet rules, CampaignEvaluator evaluator) {
    ReferenceSegmenter segmenter = new ReferenceSegmenter(Fixtures.seedClock());
    PopulationGenerator population = PopulationGenerator.ofSeed(42);
    Prepared p =
        new Prepared(
            new CustomerData[n], new SegmentAnalysis[n], new CustomerView[n], new Eligibility[n]);
    for (int i = 0; i < n; i++) {
      CustomerData data = population.customer(i);
      SegmentAnalysis analysis = segmenter.analyze(data);
      try {
        ObjectNode line = MAPPER.createObjectNode();
        line.set("customerData", MAPPER.readTree(data.toJson()));
        line.set("analysis", MAPPER.readTree(analysis.toJson()));
        CustomerView view = CustomerView.fromWire(line, Fixtures.SEED_AS_OF);
        p.data()[i] = data;
        p.analyses()[i] = analysis;
        p.views()[i] = view;
        p.eligibilities()[i] = evaluator.evaluate(rules, data.customerId(), view);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return p;
  }

  /** Decides customer {@code i} of {@code p}, evaluating its eligibility when asked to. */
  static Decision decide(
      DecisionRun run,
      Prepared p,
      int i,
      RuleSet rules,
      CampaignEvaluator evaluator,
      boolean evaluateRules) {
    CustomerData data = p.data()[i];
    Eligibility eligibility =
        evaluateRules
            ? evaluator.evaluate(rules, data.customerId(), p.views()[i])
            : p.eligibilities()[i];
    return run.decide(
        CustomerContext.builder(eligibility)
            .customerData(data)
            .analysis(p.analyses()[i])
            .consents(CONSENTS)
            .build());
  }

  /** Actions chosen when every customer of {@code p} is decided in one fresh run. */
  static long chosen(
      Prepared p, RuleSet rules, CampaignEvaluator evaluator, boolean evaluateRules) {
    DecisionRun run = freshRun();
    long chosen = 0;
    for (int i = 0; i < p.size(); i++) {
      chosen += decide(run, p, i, rules, evaluator, evaluateRules).chosen().size();
    }
    return chosen;
  }

  @Setup(Level.Trial)
  public void setUp() {
    rules = RuleSetLoader.defaults();
    evaluator = evaluator();
    prepared = prepare(CUSTOMERS, rules, evaluator);
    long known = chosen(prepared, rules, evaluator, false);
    long evaluated = chosen(prepared, rules, evaluator, true);
    if (known != evaluated || known == 0) {
      throw new IllegalStateException(
          "decideOnly chose "
              + known
              + " actions but rulesAndDecide "
              + evaluated
              + "; both must choose the same, and some");
    }
  }

  /** A fresh engine and run for every invocation, so that caps and budgets start over. */
  @Setup(Level.Invocation)
  public void freshEngine() {
    run = freshRun();
  }

  @Benchmark
  @OperationsPerInvocation(CUSTOMERS)
  public long decideOnly() {
    return pass(false);
  }

  @Benchmark
  @OperationsPerInvocation(CUSTOMERS)
  public long rulesAndDecide() {
    return pass(true);
  }

  private long pass(boolean evaluateRules) {
    DecisionRun r = run;
    Prepared p = prepared;
    long chosen = 0;
    for (int i = 0; i < p.size(); i++) {
      chosen += decide(r, p, i, rules, evaluator, evaluateRules).candidates().size();
    }
    return chosen;
  }
}
