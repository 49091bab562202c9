package dev.opagent.bench;

import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * Scenario 6: decisions once segments are known, measured by JMH ({@link DecisionBenchmark}: one
 * operation is one customer; prepared customers consent to every channel; default policy, live
 * runs, one thread). The row "opagent DecisionEngine" has eligibility known; "opagent rules +
 * DecisionEngine" evaluates the bundled campaign rules first. One fork, 5 × 2 s warm-up and 5 × 2 s
 * measurement; {@code --quick}: 3 × 1 s each.
 *
 * <pre>
 * java -cp CLASSPATH dev.opagent.bench.DecisionThroughput [--quick] [--results FILE]
 * </pre>
 */
public final class DecisionThroughput {
  private static final String SCENARIO = "6 decisions";

  private DecisionThroughput() {}

  public static void main(String[] args) throws Exception {
    Args parsed = Args.parse(args).noRest();
    boolean quick = parsed.quick();
    Report report = new Report(parsed.results());
    RuleSet rules = RuleSetLoader.defaults();
    CampaignEvaluator evaluator = DecisionBenchmark.evaluator();
    DecisionBenchmark.Prepared prepared =
        DecisionBenchmark.prepare(DecisionBenchmark.CUSTOMERS, rules, evaluator);
    long chosen = DecisionBenchmark.chosen(prepared, rules, evaluator, true);
    int iterations = quick ? 3 : 5;
    TimeValue time = TimeValue.seconds(quick ? 1 : 2);
    System.out.printf(
        Locale.ROOT,
        "%s: JMH, %,d prepared customers per invocation, bundled rules "
            + "(%d campaigns), default policy, live runs, one thread; %d x %s warm-up, %d x %s "
            + "measurement%n",
        SCENARIO,
        DecisionBenchmark.CUSTOMERS,
        rules.rules().size(),
        iterations,
        time,
        iterations,
        time);
    Options options =
        new OptionsBuilder()
            .include(
                Pattern.quote(DecisionBenchmark.class.getName())
                    + "\\.(decideOnly|rulesAndDecide)$")
            .forks(1)
            .warmupIterations(iterations)
            .warmupTime(time)
            .measurementIterations(iterations)
            .measurementTime(time)
            .verbosity(VerboseMode.SILENT)
            .build();
    Map<String, Result<?>> scores = new HashMap<>();
    for (RunResult r : new Runner(options).run()) {
      scores.put(r.getParams().getBenchmark().replaceAll(".*\\.", ""), r.getPrimaryResult());
    }
    String setting =
        String.format(Locale.ROOT, "JMH, 1 fork, %d x %s iterations", iterations, time);
    Result<?> known = scores.get("decideOnly");
    Result<?> evaluated = scores.get("rulesAndDecide");
    if (known == null || evaluated == null) {
      throw new IllegalStateException(
          "JMH gave no score for decideOnly or rulesAndDecide; see " + "its output above");
    }
    report.atLeast(
        SCENARIO,
        "opagent DecisionEngine",
        "customers/s/core",
        known.getScore(),
        500_000,
        String.format(
            Locale.ROOT,
            "%s: %s; eligibility known; %,d actions chosen per " + "%,d customers",
            setting,
            spread(known),
            chosen,
            DecisionBenchmark.CUSTOMERS));
    report.atLeast(
        SCENARIO,
        "opagent rules + DecisionEngine",
        "customers/s/core",
        evaluated.getScore(),
        500_000,
        String.format(
            Locale.ROOT,
            "%s: %s; campaign eligibility " + "evaluated too",
            setting,
            spread(evaluated)));
    System.exit(0);
  }

  /** Mean ± 99.9 % error and the iterations' range. */
  private static String spread(Result<?> r) {
    Statistics s = r.getStatistics();
    return String.format(
        Locale.ROOT,
        "mean %,.0f +- %,.0f (%,.0f-%,.0f)",
        r.getScore(),
        Double.isNaN(r.getScoreError()) ? 0 : r.getScoreError(),
        s.getMin(),
        s.getMax());
  }
}
