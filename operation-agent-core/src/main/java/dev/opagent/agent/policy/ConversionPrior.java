package dev.opagent.agent.policy;

/**
 * A Beta(α, β) prior on a strategy's conversion probability, used until the feedback loop has
 * observations: with {@code s} conversions in {@code n} trials the engine uses the posterior mean
 * {@code (α + s) / (α + β + n)}. α + β is how many trials the prior is worth, so a weak prior
 * (small α + β) gives way to data quickly. Immutable and thread-safe.
 *
 * @param alpha prior conversions, positive
 * @param beta prior non-conversions, positive
 */
public record ConversionPrior(double alpha, double beta) {
  public ConversionPrior {
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be positive but was " + alpha);
    }
    if (!(beta > 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be positive but was " + beta);
    }
  }

  /** A prior with mean {@code rate}, worth {@code weight} trials. */
  public static ConversionPrior ofMean(double rate, double weight) {
    if (!(rate > 0 && rate < 1)) {
      throw new IllegalArgumentException(
          "rate must be between 0 and 1 (exclusive) but was " + rate);
    }
    if (!(weight > 0)) {
      throw new IllegalArgumentException("weight must be positive but was " + weight);
    }
    return new ConversionPrior(rate * weight, (1 - rate) * weight);
  }

  /** The prior mean α / (α + β). */
  public double mean() {
    return alpha / (alpha + beta);
  }

  /** The posterior mean after {@code successes} in {@code trials}. */
  public double posteriorMean(long successes, long trials) {
    return (alpha + successes) / (alpha + beta + trials);
  }
}
