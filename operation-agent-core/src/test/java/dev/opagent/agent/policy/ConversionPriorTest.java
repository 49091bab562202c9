package dev.opagent.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ConversionPriorTest {

  @Test
  void posteriorMean_withoutData_isThePriorMean() {
    ConversionPrior p = new ConversionPrior(2, 98);

    assertThat(p.posteriorMean(0, 0)).isEqualTo(0.02).isEqualTo(p.mean());
  }

  @Test
  void posteriorMean_isAlphaPlusSuccessesOverAlphaBetaTrials() {
    assertThat(new ConversionPrior(2, 98).posteriorMean(30, 100)).isEqualTo(32.0 / 200);
  }

  @Test
  void ofMean_splitsTheWeight() {
    assertThat(ConversionPrior.ofMean(0.05, 100)).isEqualTo(new ConversionPrior(5, 95));
  }

  @Test
  void constructor_nonPositiveAlpha_isRejected() {
    assertThatThrownBy(() -> new ConversionPrior(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("alpha must be positive but was 0.0");
  }

  @Property
  void posteriorMean_liesBetweenPriorMeanAndObservedRate(
      @ForAll @DoubleRange(min = 0.01, max = 50) double alpha,
      @ForAll @DoubleRange(min = 0.01, max = 50) double beta,
      @ForAll @LongRange(min = 1, max = 1_000_000) long trials,
      @ForAll @DoubleRange(min = 0, max = 1) double rate) {
    long successes = Math.round(rate * trials);
    ConversionPrior p = new ConversionPrior(alpha, beta);
    double observed = (double) successes / trials;
    double posterior = p.posteriorMean(successes, trials);

    assertThat(posterior)
        .isBetween(Math.min(p.mean(), observed) - 1e-12, Math.max(p.mean(), observed) + 1e-12);
  }

  @Property
  void posteriorMean_approachesTheObservedRateAsTrialsGrow(
      @ForAll @DoubleRange(min = 0.05, max = 0.95) double rate) {
    ConversionPrior p = new ConversionPrior(1, 99);
    long n = 10_000_000;

    assertThat(p.posteriorMean(Math.round(rate * n), n))
        .isCloseTo(rate, org.assertj.core.data.Offset.offset(1e-4));
  }
}
