package dev.opagent.agent.strategy;

import dev.opagent.agent.spi.Observation;

/**
 * A Beta(α, β) belief about a conversion rate: the prior of a template, or its posterior after
 * observed history. Immutable and thread-safe.
 *
 * <p>α − 1 and β − 1 read as pseudo-conversions and pseudo-non-conversions: Beta(3, 57) says "about
 * 5%, with the weight of some 60 contacts".
 *
 * @param alpha α, positive
 * @param beta β, positive
 */
public record BetaPrior(double alpha, double beta) {

  /** Checks the parameters. */
  public BetaPrior {
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be positive but was " + alpha);
    }
    if (!(beta > 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be positive but was " + beta);
    }
  }

  /** The expected conversion rate α / (α + β). */
  public double mean() {
    return alpha / (alpha + beta);
  }

  /** The {@code p}-quantile of the rate, {@code 0 ≤ p ≤ 1}. */
  public double quantile(double p) {
    if (p < 0 || p > 1) {
      throw new IllegalArgumentException("p must be between 0 and 1 but was " + p);
    }
    return BetaMath.quantile(p, alpha, beta);
  }

  /**
   * The central credible interval holding {@code level} of the probability mass, as {@code [low,
   * high]}.
   */
  public double[] credibleInterval(double level) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException(
          "level must be between 0 and 1 (exclusive) but was " + level);
    }
    double tail = (1 - level) / 2;
    return new double[] {quantile(tail), quantile(1 - tail)};
  }

  /** The posterior after {@code observed}: Beta(α + successes, β + trials − successes). */
  public BetaPrior update(Observation observed) {
    return new BetaPrior(
        alpha + observed.successes(), beta + observed.trials() - observed.successes());
  }
}
