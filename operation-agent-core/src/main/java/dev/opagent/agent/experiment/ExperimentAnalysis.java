package dev.opagent.agent.experiment;

import dev.opagent.agent.experiment.internal.Distributions;
import dev.opagent.agent.experiment.internal.Sampling;
import dev.opagent.agent.feedback.MetricsReport;
import dev.opagent.rules.assignment.Hashing;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Judges an experiment from its counts with classical tests. Immutable and thread-safe: one
 * analysis serves any number of threads.
 *
 * <ul>
 *   <li>Per variant: the conversion rate with its Wilson score interval.
 *   <li>Per non-control variant against the control: the absolute lift (difference of rates) with
 *       an unpooled Wald interval, the relative lift, and a two-sided two-proportion z-test with
 *       pooled variance. A variant is significant when the test's p-value is below 1 − the
 *       confidence level. Several variants are each tested at that level, without a
 *       multiple-comparison correction.
 *   <li>A sample-ratio-mismatch check: chi-square goodness of fit of the deliveries per variant
 *       against the weights, flagged below the {@linkplain Builder#srmThreshold threshold}.
 *   <li>Per variant: the posterior probability of converting best (Beta posteriors, joint draws),
 *       the number a Thompson sampler allocates by.
 *   <li>A verdict, checked in this order: sample ratio mismatch (don't trust), not enough data (an
 *       arm below the experiment's minimum sample), a winner, no significant difference. Every
 *       verdict but the first describes each variant against the control in words: the direction
 *       ("0.22 pts lower than control"), both rates, and whether the difference is within or beyond
 *       noise with its interval. Only a variant significantly ahead of the control is called the
 *       best; a variant behind the control never is.
 * </ul>
 *
 * <pre>{@code
 * ExperimentResult r = ExperimentAnalysis.of(subject, loop.metrics());   // 95%, SRM at p < 0.001
 * r.verdict().summary();   // with 1,000 deliveries per arm and 50 vs 80 conversions:
 * // "discount-20 converts 3.00 pts higher than control (8.00% vs 5.00%); the difference is beyond
 * //  noise (95% interval +0.84 to +5.16 pts, p = 0.0065); discount-20 is the best variant."
 * r.probabilityBest("discount-20");                                       // 0.997…
 * r.comparison("discount-20").orElseThrow().absoluteLiftInterval();
 *
 * ExperimentResult strict = ExperimentAnalysis.builder().confidenceLevel(0.99).build()
 *     .analyze(subject, Map.of("control", new VariantCounts(1000, 50),
 *                              "discount-20", new VariantCounts(1000, 80)));
 * }</pre>
 */
public final class ExperimentAnalysis {
  /** The default confidence level: 95%. */
  public static final double DEFAULT_CONFIDENCE_LEVEL = 0.95;

  /** The default sample-ratio-mismatch threshold: p below 0.001. */
  public static final double DEFAULT_SRM_THRESHOLD = 0.001;

  /** The joint posterior draws behind {@link ExperimentResult#probabilityBest()}: 10,000. */
  public static final int PROBABILITY_DRAWS = 10_000;

  private static final ExperimentAnalysis DEFAULTS = builder().build();

  private final double confidenceLevel;
  private final double srmThreshold;

  /** The two-sided critical value of the confidence level. */
  private final double z;

  private final double alpha;

  private ExperimentAnalysis(Builder b) {
    this.confidenceLevel = b.confidenceLevel;
    this.srmThreshold = b.srmThreshold;
    this.alpha = 1 - confidenceLevel;
    this.z = Distributions.normalQuantile(1 - alpha / 2);
  }

  /** A builder with a 95% confidence level and a 0.001 SRM threshold. */
  public static Builder builder() {
    return new Builder();
  }

  /** The analysis at a 95% confidence level with a 0.001 SRM threshold. */
  public static ExperimentAnalysis ofDefaults() {
    return DEFAULTS;
  }

  /** Analyses the variants of the experiment's campaign in {@code report}, with the defaults. */
  public static ExperimentResult of(Experiment experiment, MetricsReport report) {
    return DEFAULTS.analyze(experiment, report);
  }

  /** Analyses {@code counts} (by variant name) with the defaults. */
  public static ExperimentResult of(Experiment experiment, Map<String, VariantCounts> counts) {
    return DEFAULTS.analyze(experiment, counts);
  }

  /** The confidence level of intervals and tests. */
  public double confidenceLevel() {
    return confidenceLevel;
  }

  /** The p-value below which a sample ratio mismatch is declared. */
  public double srmThreshold() {
    return srmThreshold;
  }

  /**
   * Analyses the variants of the experiment's campaign in {@code report}: each variant's deliveries
   * and conversions.
   */
  public ExperimentResult analyze(Experiment experiment, MetricsReport report) {
    Objects.requireNonNull(report, "report");
    return analyze(experiment, VariantCounts.of(report.variants(experiment.campaign())));
  }

  /**
   * Analyses {@code counts} by variant name. A variant without counts has none (n = 0); counts of
   * names the experiment does not define are ignored and listed in {@link
   * ExperimentResult#unknownVariants()}.
   */
  public ExperimentResult analyze(Experiment experiment, Map<String, VariantCounts> counts) {
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(counts, "counts");
    TreeSet<String> unknown = new TreeSet<>(counts.keySet());
    unknown.removeAll(experiment.variantNames());

    List<ArmResult> arms = new ArrayList<>(experiment.variants().size());
    ArmResult control = null;
    for (Variant v : experiment.variants()) {
      VariantCounts c = counts.getOrDefault(v.name(), VariantCounts.ZERO);
      ArmResult arm =
          new ArmResult(
              v.name(),
              v.name().equals(experiment.control()),
              v.weight(),
              c.n(),
              c.conversions(),
              c.rate(),
              wilson(c.conversions(), c.n(), z));
      arms.add(arm);
      if (arm.control()) {
        control = arm;
      }
    }
    Objects.requireNonNull(control, "an experiment's control is one of its variants");
    List<Comparison> comparisons = new ArrayList<>(arms.size() - 1);
    for (ArmResult arm : arms) {
      if (!arm.control()) {
        comparisons.add(compare(arm, control));
      }
    }
    SampleRatioCheck srm = sampleRatio(arms);
    ExperimentVerdict verdict = verdict(experiment, arms, control, comparisons, srm);
    return new ExperimentResult(
        experiment.id(),
        experiment.control(),
        confidenceLevel,
        arms,
        comparisons,
        srm,
        verdict,
        probabilityBest(experiment.id(), arms),
        unknown);
  }

  /**
   * Each arm's posterior probability of converting best, from {@link #PROBABILITY_DRAWS} joint
   * draws seeded by the experiment id.
   */
  private static Map<String, Double> probabilityBest(String experimentId, List<ArmResult> arms) {
    long[] successes = new long[arms.size()];
    long[] failures = new long[arms.size()];
    for (int i = 0; i < arms.size(); i++) {
      successes[i] = arms.get(i).conversions();
      failures[i] = arms.get(i).n() - arms.get(i).conversions();
    }
    double[] best =
        Sampling.probabilityBest(
            successes,
            failures,
            PROBABILITY_DRAWS,
            new SplittableRandom(Hashing.fnv1a32(experimentId)));
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < arms.size(); i++) {
      out.put(arms.get(i).variant(), best[i]);
    }
    return out;
  }

  /** The Wilson score interval of {@code x} successes in {@code n} trials; [0, 1] for n = 0. */
  static Interval wilson(long x, long n, double z) {
    if (n == 0) {
      return new Interval(0, 1);
    }
    double p = (double) x / n;
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double center = (p + z2 / (2.0 * n)) / denominator;
    double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return new Interval(Math.max(0, center - half), Math.min(1, center + half));
  }

  private Comparison compare(ArmResult variant, ArmResult control) {
    long n1 = variant.n();
    long n0 = control.n();
    if (n1 == 0 || n0 == 0) {
      return new Comparison(
          variant.variant(),
          control.variant(),
          Double.NaN,
          Interval.UNDEFINED,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          false);
    }
    double p1 = variant.rate();
    double p0 = control.rate();
    double d = p1 - p0;
    double se = Math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0);
    Interval interval = new Interval(d - z * se, d + z * se);
    double relative = p0 == 0 ? Double.NaN : d / p0;
    double pooled = (double) (variant.conversions() + control.conversions()) / (n1 + n0);
    double sePooled = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n0));
    double zStat = sePooled == 0 ? 0 : d / sePooled;
    double p = Distributions.normalTwoSided(zStat);
    return new Comparison(
        variant.variant(), control.variant(), d, interval, relative, zStat, p, p < alpha);
  }

  private SampleRatioCheck sampleRatio(List<ArmResult> arms) {
    long total = 0;
    for (ArmResult a : arms) {
      total += a.n();
    }
    Map<String, Long> observed = new LinkedHashMap<>();
    Map<String, Double> expected = new LinkedHashMap<>();
    double chiSquare = 0;
    int positive = 0;
    boolean impossible = false;
    for (ArmResult a : arms) {
      double e = total * a.weight();
      observed.put(a.variant(), a.n());
      expected.put(a.variant(), e);
      if (a.weight() > 0) {
        positive++;
        if (total > 0) {
          double diff = a.n() - e;
          chiSquare += diff * diff / e;
        }
      } else if (a.n() > 0) {
        impossible = true;
      }
    }
    int df = positive - 1;
    double p;
    if (impossible) {
      chiSquare = Double.POSITIVE_INFINITY;
      p = 0;
    } else if (total == 0 || df == 0) {
      p = 1;
    } else {
      p = Distributions.chiSquareSurvival(chiSquare, df);
    }
    return new SampleRatioCheck(
        observed, expected, chiSquare, df, p, srmThreshold, p < srmThreshold);
  }

  private ExperimentVerdict verdict(
      Experiment experiment,
      List<ArmResult> arms,
      ArmResult control,
      List<Comparison> comparisons,
      SampleRatioCheck srm) {
    if (srm.mismatch()) {
      StringBuilder counts = new StringBuilder();
      StringBuilder weights = new StringBuilder();
      for (ArmResult a : arms) {
        counts
            .append(counts.length() == 0 ? "" : ", ")
            .append(a.variant())
            .append(' ')
            .append(a.n());
        weights.append(weights.length() == 0 ? "" : "/").append(percent(a.weight(), 0));
      }
      return new ExperimentVerdict(
          ExperimentVerdict.Kind.SAMPLE_RATIO_MISMATCH,
          null,
          "Sample ratio mismatch: deliveries "
              + counts
              + " do not fit the weights "
              + weights
              + " (chi-square "
              + format("%.1f", srm.chiSquare())
              + ", "
              + pValue(srm.pValue())
              + " < "
              + plain(srmThreshold)
              + "). Assignment or logging is broken; don't trust"
              + " these results.");
    }
    List<Comparison> byLift = new ArrayList<>(comparisons);
    byLift.sort((a, b) -> Double.compare(orLowest(b.absoluteLift()), orLowest(a.absoluteLift())));
    List<String> below = new ArrayList<>();
    for (ArmResult a : arms) {
      if (a.n() < experiment.minSamplePerArm()) {
        below.add(a.variant() + " has " + a.n());
      }
    }
    if (!below.isEmpty()) {
      return new ExperimentVerdict(
          ExperimentVerdict.Kind.NOT_ENOUGH_DATA,
          null,
          "Not enough data: each variant needs "
              + experiment.minSamplePerArm()
              + " deliveries; "
              + String.join(", ", below)
              + ". So far "
              + describeAll(byLift, arms, control)
              + "; keep testing.");
    }
    Comparison best = null;
    for (Comparison c : byLift) {
      if (c.significant() && c.absoluteLift() > 0) {
        best = c;
        break;
      }
    }
    if (best != null) {
      return new ExperimentVerdict(
          ExperimentVerdict.Kind.WINNER,
          best.variant(),
          describe(best, arms, control) + "; " + best.variant() + " is the best variant.");
    }
    boolean allWorse = true;
    for (Comparison c : comparisons) {
      if (!(c.significant() && c.absoluteLift() < 0)) {
        allWorse = false;
      }
    }
    if (allWorse) {
      return new ExperimentVerdict(
          ExperimentVerdict.Kind.WINNER,
          control.variant(),
          describeAll(byLift, arms, control) + "; keep " + control.variant() + ".");
    }
    return new ExperimentVerdict(
        ExperimentVerdict.Kind.NO_SIGNIFICANT_DIFFERENCE,
        null,
        describeAll(byLift, arms, control) + "; keep testing.");
  }

  private static double orLowest(double lift) {
    return Double.isNaN(lift) ? Double.NEGATIVE_INFINITY : lift;
  }

  /** Every comparison described, one sentence each, the last without its full stop. */
  private String describeAll(
      List<Comparison> comparisons, List<ArmResult> arms, ArmResult control) {
    List<String> sentences = new ArrayList<>(comparisons.size());
    for (Comparison c : comparisons) {
      sentences.add(describe(c, arms, control));
    }
    return String.join(". ", sentences);
  }

  /**
   * A variant against the control in words: direction, both rates, and whether the difference is
   * within or beyond noise with its interval, e.g. "B converts 0.22 pts lower than control (9.30%
   * vs 9.52%); the difference is within noise (95% interval −2.01 to +1.56 pts)".
   */
  private String describe(Comparison c, List<ArmResult> arms, ArmResult control) {
    ArmResult arm =
        arms.stream().filter(a -> a.variant().equals(c.variant())).findFirst().orElseThrow();
    if (arm.n() == 0 || control.n() == 0) {
      return c.variant()
          + " cannot be compared with "
          + control.variant()
          + " yet: "
          + (arm.n() == 0 ? c.variant() : control.variant())
          + " has no deliveries";
    }
    double points = c.absoluteLift() * 100;
    String direction;
    if (format("%.2f", Math.abs(points)).equals("0.00")) {
      direction = "converts as well as " + control.variant();
    } else {
      direction =
          "converts "
              + format("%.2f", Math.abs(points))
              + " pts "
              + (points > 0 ? "higher" : "lower")
              + " than "
              + control.variant();
    }
    return c.variant()
        + " "
        + direction
        + " ("
        + percent(arm.rate(), 2)
        + " vs "
        + percent(control.rate(), 2)
        + "); the difference is "
        + (c.significant() ? "beyond" : "within")
        + " noise ("
        + percent(confidenceLevel, -1)
        + " interval "
        + signedPoints(c.absoluteLiftInterval().low())
        + " to "
        + signedPoints(c.absoluteLiftInterval().high())
        + " pts"
        + (c.significant() ? ", " + pValue(c.pValue()) : "")
        + ")";
  }

  /** A difference of rates in percentage points with its sign, a true minus for negatives. */
  private static String signedPoints(double difference) {
    return format("%+.2f", difference * 100).replace('-', '\u2212');
  }

  private static String pValue(double p) {
    if (p == 0 || p >= 0.0001) {
      return "p = " + (p == 0 ? "0" : format("%.4f", p));
    }
    return "p = " + format("%.1e", p);
  }

  /** {@code x} as a percentage with {@code decimals} places, or as few as needed when -1. */
  private static String percent(double x, int decimals) {
    if (decimals < 0) {
      return plain(x * 100) + "%";
    }
    return format("%." + decimals + "f%%", x * 100);
  }

  private static String plain(double x) {
    return new BigDecimal(Double.toString(x))
        .round(new MathContext(10))
        .stripTrailingZeros()
        .toPlainString();
  }

  private static String format(String pattern, double x) {
    return String.format(Locale.ROOT, pattern, x);
  }

  /** Builds an {@link ExperimentAnalysis}. Not thread-safe. */
  public static final class Builder {
    private double confidenceLevel = DEFAULT_CONFIDENCE_LEVEL;
    private double srmThreshold = DEFAULT_SRM_THRESHOLD;

    private Builder() {}

    /**
     * The confidence level of the intervals, and 1 − the significance level of the tests. Default
     * 0.95. Raise it (0.99) when a false winner is costly or many experiments run at once.
     *
     * @throws IllegalArgumentException unless strictly between 0 and 1
     */
    public Builder confidenceLevel(double level) {
      if (!(level > 0 && level < 1)) {
        throw new IllegalArgumentException(
            "confidenceLevel must be between 0 and 1 (exclusive)" + " but was " + level);
      }
      this.confidenceLevel = level;
      return this;
    }

    /**
     * The p-value of the sample-ratio check below which the split is declared broken. Default
     * 0.001: strict, because with large samples tiny imbalances are detectable and a false alarm
     * stops a good experiment.
     *
     * @throws IllegalArgumentException unless strictly between 0 and 1
     */
    public Builder srmThreshold(double threshold) {
      if (!(threshold > 0 && threshold < 1)) {
        throw new IllegalArgumentException(
            "srmThreshold must be between 0 and 1 (exclusive)" + " but was " + threshold);
      }
      this.srmThreshold = threshold;
      return this;
    }

    /** The analysis. */
    public ExperimentAnalysis build() {
      return new ExperimentAnalysis(this);
    }
  }
}
