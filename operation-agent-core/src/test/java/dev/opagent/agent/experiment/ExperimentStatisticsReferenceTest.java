package dev.opagent.agent.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.ChiSquareTest;

/**
 * Every statistic of {@link ExperimentAnalysis} against Apache Commons Math computing the same
 * quantity: the normal quantile and CDF ({@link NormalDistribution}), Pearson's chi-square
 * statistic and p-value of a 2×2 table (equal to z² and the two-sided z p-value) and of a
 * goodness-of-fit test ({@link ChiSquareTest}).
 */
class ExperimentStatisticsReferenceTest {
  private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);
  private static final ChiSquareTest CHI_SQUARE = new ChiSquareTest();

  /**
   * Commons Math computes upper tails as 1 − CDF, so below ~1e-15 only absolute agreement holds.
   */
  private static void assertPValue(double actual, double reference) {
    assertThat(actual).isCloseTo(reference, within(Math.max(1e-9 * reference, 1e-14)));
  }

  private static void assertRelative(double actual, double reference) {
    assertThat(actual).isCloseTo(reference, within(1e-9 * Math.abs(reference) + 1e-15));
  }

  @Property(tries = 400)
  void comparison_agreesWithCommonsMath(
      @ForAll @IntRange(min = 20, max = 200_000) int n0,
      @ForAll @DoubleRange(min = 0.001, max = 0.999) @Scale(6) double rate0,
      @ForAll @IntRange(min = 20, max = 200_000) int n1,
      @ForAll @DoubleRange(min = 0.001, max = 0.999) @Scale(6) double rate1,
      @ForAll("levels") double level) {
    long x0 = Math.max(1, Math.min(n0 - 1, Math.round(rate0 * n0)));
    long x1 = Math.max(1, Math.min(n1 - 1, Math.round(rate1 * n1)));
    Experiment e =
        Experiment.builder("e")
            .campaign("c")
            .variants("control", "treatment")
            .minSamplePerArm(1)
            .build();
    ExperimentResult r =
        ExperimentAnalysis.builder()
            .confidenceLevel(level)
            .build()
            .analyze(
                e,
                Map.of(
                    "control", new VariantCounts(n0, x0), "treatment", new VariantCounts(n1, x1)));
    Comparison c = r.comparison("treatment").orElseThrow();

    double zCritical = NORMAL.inverseCumulativeProbability(1 - (1 - level) / 2);
    double p0 = (double) x0 / n0;
    double p1 = (double) x1 / n1;
    double se = Math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0);
    assertRelative(c.absoluteLift(), p1 - p0);
    assertRelative(c.absoluteLiftInterval().low(), p1 - p0 - zCritical * se);
    assertRelative(c.absoluteLiftInterval().high(), p1 - p0 + zCritical * se);
    assertRelative(c.relativeLift(), (p1 - p0) / p0);

    long[][] table = {{x1, n1 - x1}, {x0, n0 - x0}};
    assertRelative(c.z() * c.z(), CHI_SQUARE.chiSquare(table));
    assertThat(Math.signum(c.z())).isEqualTo(Math.signum(p1 - p0));
    assertPValue(c.pValue(), 2 * NORMAL.cumulativeProbability(-Math.abs(c.z())));
    assertPValue(c.pValue(), CHI_SQUARE.chiSquareTest(table));
    assertThat(c.significant()).isEqualTo(c.pValue() < 1 - level);

    for (ArmResult arm : r.arms()) {
      double p = (double) arm.conversions() / arm.n();
      double z2 = zCritical * zCritical;
      double center = (p + z2 / (2.0 * arm.n())) / (1 + z2 / arm.n());
      double half =
          zCritical
              / (1 + z2 / arm.n())
              * Math.sqrt(p * (1 - p) / arm.n() + z2 / (4.0 * arm.n() * arm.n()));
      assertRelative(arm.interval().low(), center - half);
      assertRelative(arm.interval().high(), center + half);
      assertThat(arm.interval().contains(p)).isTrue();
    }
  }

  @Property(tries = 300)
  void sampleRatio_agreesWithCommonsMath(
      @ForAll @IntRange(min = 2, max = 5) int k,
      @ForAll @IntRange(min = 1, max = 1_000_000) int scale,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int noise) {
    double[] weights = new double[k];
    double sum = 0;
    java.util.SplittableRandom random = new java.util.SplittableRandom(noise);
    for (int i = 0; i < k; i++) {
      weights[i] = 0.05 + random.nextDouble();
      sum += weights[i];
    }
    Experiment.Builder b = Experiment.builder("e").campaign("c").minSamplePerArm(1);
    Map<String, VariantCounts> counts = new java.util.LinkedHashMap<>();
    long[] observed = new long[k];
    double[] expectedShares = new double[k];
    double assigned = 0;
    for (int i = 0; i < k; i++) {
      double w = i < k - 1 ? weights[i] / sum : 1 - assigned;
      assigned += w;
      expectedShares[i] = w;
      b.variant("v" + i, w);
      double drift = 1 + (random.nextDouble() - 0.5) * 0.1;
      observed[i] = Math.max(1, Math.round(scale * w * drift));
      counts.put("v" + i, new VariantCounts(observed[i], 0));
    }

    SampleRatioCheck srm = ExperimentAnalysis.of(b.build(), counts).sampleRatio();

    assertRelative(srm.chiSquare(), CHI_SQUARE.chiSquare(expectedShares, observed));
    assertPValue(srm.pValue(), CHI_SQUARE.chiSquareTest(expectedShares, observed));
    assertThat(srm.degreesOfFreedom()).isEqualTo(k - 1);
    assertThat(srm.mismatch()).isEqualTo(srm.pValue() < 0.001);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Double> levels() {
    return net.jqwik.api.Arbitraries.of(0.8, 0.9, 0.95, 0.975, 0.99, 0.999);
  }
}
