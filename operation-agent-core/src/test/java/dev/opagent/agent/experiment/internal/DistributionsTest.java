package dev.opagent.agent.experiment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

class DistributionsTest {
  private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

  /** |actual − expected| ≤ tolerance × |expected|. */
  private static void assertRelative(double actual, double expected, double tolerance) {
    assertThat(Math.abs(actual - expected))
        .as("actual %s, expected %s", actual, expected)
        .isLessThanOrEqualTo(tolerance * Math.abs(expected));
  }

  @Property
  void regularizedGamma_agreesWithCommonsMath(
      @ForAll @DoubleRange(min = 0.05, max = 500) double a,
      @ForAll @DoubleRange(min = 0, max = 5) double xOverA) {
    double x = a * xOverA;
    double p = Gamma.regularizedGammaP(a, x, 1e-17, 100_000);
    double q = Gamma.regularizedGammaQ(a, x, 1e-17, 100_000);
    assertThat(Distributions.regularizedGammaP(a, x))
        .isCloseTo(p, within(Math.max(1e-300, 1e-11 * p)));
    assertThat(Distributions.regularizedGammaQ(a, x))
        .isCloseTo(q, within(Math.max(1e-300, 1e-11 * q)));
  }

  @Test
  void normalCdf_textbookValues_match() {
    assertRelative(Distributions.normalCdf(1.96), 0.9750021048517795, 1e-15);
    assertRelative(Distributions.normalCdf(-1.96), 0.024997895148220435, 1e-14);
    assertRelative(Distributions.normalCdf(0), 0.5, 0);
    // Φ(−10) from Abramowitz & Stegun's tables: 7.6198530241605e-24
    assertRelative(Distributions.normalCdf(-10), 7.619853024160527e-24, 1e-13);
  }

  @Property
  void normalCdf_agreesWithCommonsMath(@ForAll @DoubleRange(min = -37, max = 8) double x) {
    assertRelative(Distributions.normalCdf(x), NORMAL.cumulativeProbability(x), 1e-12);
  }

  @Property
  void normalTwoSided_isTwiceTheLowerTail(@ForAll @DoubleRange(min = -37, max = 37) double z) {
    assertRelative(
        Distributions.normalTwoSided(z), 2 * NORMAL.cumulativeProbability(-Math.abs(z)), 1e-12);
  }

  @Test
  void normalQuantile_textbookValues_match() {
    assertRelative(Distributions.normalQuantile(0.975), 1.959963984540054, 1e-15);
    assertRelative(Distributions.normalQuantile(0.995), 2.5758293035489004, 1e-15);
    assertRelative(Distributions.normalQuantile(0.95), 1.6448536269514722, 1e-15);
    assertThat(Distributions.normalQuantile(0.5)).isZero();
    assertThat(Distributions.normalQuantile(0)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(Distributions.normalQuantile(1)).isEqualTo(Double.POSITIVE_INFINITY);
  }

  /**
   * Commons Math inverts through {@code erfInv(2p − 1)}, which loses the low digits of small {@code
   * p} (at p = 1e-6 its quantile's Φ is off by 3e-11 relative, ours by 3e-15), so it is the
   * reference only away from the tails; the tails are checked by inverting the CDF.
   */
  @Property
  void normalQuantile_agreesWithCommonsMath(
      @ForAll @DoubleRange(min = 1e-3, max = 1 - 1e-3) @Scale(12) double p) {
    double expected = NORMAL.inverseCumulativeProbability(p);
    assertThat(Distributions.normalQuantile(p))
        .isCloseTo(expected, within(Math.max(1e-13, 1e-12 * Math.abs(expected))));
  }

  @Property
  void normalQuantile_invertsTheCdfDeepInTheTail(
      @ForAll @DoubleRange(min = -300, max = -3) double log10p) {
    double p = Math.pow(10, log10p);
    // Includes Commons Math's own error of the CDF there (measured up to 3e-13).
    assertRelative(NORMAL.cumulativeProbability(Distributions.normalQuantile(p)), p, 2e-12);
  }

  @Test
  void chiSquareSurvival_textbookCriticalValues_giveTheirLevels() {
    assertRelative(Distributions.chiSquareSurvival(3.841458820694124, 1), 0.05, 1e-14);
    assertRelative(Distributions.chiSquareSurvival(5.991464547107979, 2), 0.05, 1e-14);
    assertRelative(Distributions.chiSquareSurvival(10.827566170662733, 1), 0.001, 1e-13);
    assertRelative(Distributions.chiSquareSurvival(16.266236196238130, 3), 0.001, 1e-13);
    assertThat(Distributions.chiSquareSurvival(0, 3)).isEqualTo(1);
  }

  @Property
  void chiSquareSurvival_agreesWithCommonsMath(
      @ForAll @IntRange(min = 1, max = 30) int df,
      @ForAll @DoubleRange(min = 0.001, max = 400) @Scale(6) double x) {
    double expected = Gamma.regularizedGammaQ(df / 2.0, x / 2, 1e-17, 100_000);
    assertThat(Distributions.chiSquareSurvival(x, df)).isCloseTo(expected, withinPercentage(1e-9));
  }
}
