package dev.opagent.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

class SpecialFunctionsTest {

  /** |actual − expected| ≤ tolerance × |expected|. */
  private static void assertRelative(double actual, double expected, double tolerance) {
    assertThat(Math.abs(actual - expected))
        .as("actual %s, expected %s", actual, expected)
        .isLessThanOrEqualTo(tolerance * Math.abs(expected));
  }

  /** Reference values to 25 digits from mpmath's {@code loggamma} at 40 digits. */
  @Test
  void logGamma_referenceValues_matchToTenDigits() {
    assertRelative(SpecialFunctions.logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-15);
    assertRelative(SpecialFunctions.logGamma(10), Math.log(362_880), 1e-15);
    assertRelative(SpecialFunctions.logGamma(1e-3), 6.907178885383853682512345, 1e-10);
    assertRelative(SpecialFunctions.logGamma(171), 706.5730622457874, 1e-15);
    assertRelative(SpecialFunctions.logGamma(171.5), 709.1431630309282422723639, 1e-10);
    assertRelative(SpecialFunctions.logGamma(1.5), -0.1207822376352452223455184, 1e-10);
    assertRelative(SpecialFunctions.logGamma(0.999), 0.0005780385328913797240363425, 1e-10);
    assertRelative(SpecialFunctions.logGamma(2.001), 0.0004231067348001636251797029, 1e-10);
    assertThat(SpecialFunctions.logGamma(1)).isCloseTo(0, within(1e-14));
    assertThat(SpecialFunctions.logGamma(2)).isCloseTo(0, within(1e-14));
  }

  @Test
  void logGamma_outsideTheDomain_isNaN() {
    assertThat(SpecialFunctions.logGamma(0)).isNaN();
    assertThat(SpecialFunctions.logGamma(-1.5)).isNaN();
    assertThat(SpecialFunctions.logGamma(Double.NaN)).isNaN();
    assertThat(SpecialFunctions.logGamma(Double.POSITIVE_INFINITY)).isInfinite();
  }

  @Property
  void logGamma_agreesWithCommonsMath(
      @ForAll @DoubleRange(min = 1e-6, max = 1e6) @Scale(12) double x) {
    double expected = Gamma.logGamma(x);
    // The shift to x ≥ 15 costs absolute accuracy below 15: measured at most 1.4e-14.
    assertThat(SpecialFunctions.logGamma(x))
        .isCloseTo(expected, within(Math.max(2e-14, 1e-14 * Math.abs(expected))));
  }
}
