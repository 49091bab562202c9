package dev.opagent.agent.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.opagent.agent.spi.Observation;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class BetaPriorTest {

  @Test
  void quantile_uniformPrior_isTheIdentity() {
    BetaPrior uniform = new BetaPrior(1, 1);
    assertThat(uniform.quantile(0.05)).isCloseTo(0.05, within(1e-9));
    assertThat(uniform.quantile(0.5)).isCloseTo(0.5, within(1e-9));
    assertThat(uniform.quantile(0.95)).isCloseTo(0.95, within(1e-9));
  }

  @Test
  void quantile_betaTwoOne_isSquareRoot() {
    // CDF of Beta(2, 1) is x², so its p-quantile is √p.
    BetaPrior b = new BetaPrior(2, 1);
    assertThat(b.quantile(0.25)).isCloseTo(0.5, within(1e-9));
    assertThat(b.quantile(0.81)).isCloseTo(0.9, within(1e-9));
  }

  @Test
  void credibleInterval_knownBeta_matchesReferenceValues() {
    // Beta(10, 90): 5% and 95% quantiles from scipy.stats.beta.ppf([0.05, 0.95], 10, 90).
    double[] ci = new BetaPrior(10, 90).credibleInterval(0.9);
    assertThat(ci[0]).isCloseTo(0.0558322, within(1e-6));
    assertThat(ci[1]).isCloseTo(0.1532751, within(1e-6));
  }

  @Test
  void update_observations_addSuccessesAndFailures() {
    BetaPrior posterior = new BetaPrior(4, 46).update(new Observation(41, 800));
    assertThat(posterior.alpha()).isEqualTo(45);
    assertThat(posterior.beta()).isEqualTo(805);
    assertThat(posterior.mean()).isCloseTo(45.0 / 850, within(1e-12));
  }

  @Test
  void constructor_nonPositiveParameter_failsWithMessage() {
    assertThatThrownBy(() -> new BetaPrior(0, 1)).hasMessage("alpha must be positive but was 0.0");
    assertThatThrownBy(() -> new BetaPrior(1, Double.NaN))
        .hasMessage("beta must be positive but was NaN");
  }

  @Property(tries = 200)
  void quantile_anyPrior_invertsTheCdfAndBracketsTheMean(
      @ForAll @DoubleRange(min = 0.5, max = 5000) double alpha,
      @ForAll @DoubleRange(min = 0.5, max = 5000) double beta,
      @ForAll @DoubleRange(min = 0.01, max = 0.99) double p) {
    BetaPrior prior = new BetaPrior(alpha, beta);
    double q = prior.quantile(p);
    assertThat(dev.opagent.agent.strategy.BetaMath.cdf(q, alpha, beta)).isCloseTo(p, within(1e-6));
    double[] ci = prior.credibleInterval(0.9);
    assertThat(ci[0]).isLessThanOrEqualTo(prior.mean());
    assertThat(ci[1]).isGreaterThanOrEqualTo(prior.mean());
  }
}
