package dev.opagent.agent.experiment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SamplingTest {
  private static final KolmogorovSmirnovTest KS = new KolmogorovSmirnovTest();

  @ParameterizedTest
  @CsvSource({"0.3", "1", "3.7", "250"})
  void gamma_followsTheGammaDistribution(double shape) {
    SplittableRandom random = new SplittableRandom(7);
    double[] sample = new double[20_000];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = Sampling.gamma(random, shape);
    }

    double p = KS.kolmogorovSmirnovTest(new GammaDistribution(shape, 1), sample);

    assertThat(p).as("Kolmogorov-Smirnov p-value").isGreaterThan(0.001);
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "6, 96", "41, 461", "30.5, 2.2"})
  void beta_followsTheBetaDistribution(double a, double b) {
    SplittableRandom random = new SplittableRandom(11);
    double[] sample = new double[20_000];
    double sum = 0;
    for (int i = 0; i < sample.length; i++) {
      sample[i] = Sampling.beta(random, a, b);
      sum += sample[i];
    }
    BetaDistribution reference = new BetaDistribution(a, b);

    assertThat(KS.kolmogorovSmirnovTest(reference, sample)).isGreaterThan(0.001);
    double sd = Math.sqrt(reference.getNumericalVariance() / sample.length);
    assertThat(sum / sample.length).isCloseTo(reference.getNumericalMean(), within(5 * sd));
  }

  @Test
  void beta_isAWrongDistributionDetector() {
    SplittableRandom random = new SplittableRandom(11);
    double[] sample = new double[20_000];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = Sampling.beta(random, 6, 96);
    }

    assertThat(KS.kolmogorovSmirnovTest(new BetaDistribution(6, 90), sample)).isLessThan(1e-6);
  }

  @Test
  void gamma_nonPositiveShape_isRejected() {
    assertThatThrownBy(() -> Sampling.gamma(new SplittableRandom(1), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shape must be positive but was 0.0");
  }

  /** P(X₁ > X₀) = ∫ f₁(x) F₀(x) dx, by Simpson's rule on Commons Math's density and CDF. */
  private static double exactProbabilityBetter(BetaDistribution x1, BetaDistribution x0) {
    int n = 20_000;
    double h = 1.0 / n;
    double sum = 0;
    for (int i = 0; i <= n; i++) {
      double x = i * h;
      double f = x1.density(x) * x0.cumulativeProbability(x);
      if (!Double.isFinite(f)) {
        f = 0;
      }
      sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * f;
    }
    return sum * h / 3;
  }

  @ParameterizedTest
  @CsvSource({"25, 475, 40, 460", "50, 950, 50, 950", "3, 17, 5, 15", "120, 880, 100, 900"})
  void probabilityBest_twoArms_matchesTheExactIntegral(long s0, long f0, long s1, long f1) {
    int draws = 20_000;
    double[] best =
        Sampling.probabilityBest(
            new long[] {s0, s1}, new long[] {f0, f1}, draws, new SplittableRandom(3));
    double exact =
        exactProbabilityBetter(
            new BetaDistribution(1 + s1, 1 + f1), new BetaDistribution(1 + s0, 1 + f0));

    double sd = Math.sqrt(exact * (1 - exact) / draws);
    assertThat(best[1]).isCloseTo(exact, within(4 * sd + 1e-9));
    assertThat(best[0] + best[1]).isEqualTo(1.0);
  }
}
