package dev.opagent.agent.experiment.internal;

import java.util.random.RandomGenerator;

/**
 * Gamma and Beta variates and the Monte-Carlo probability that each arm of a Bernoulli bandit is
 * the best. Stateless and thread-safe; the caller owns the (seeded) generator, so results are
 * reproducible.
 */
public final class Sampling {
  private Sampling() {}

  /**
   * A Gamma(shape, 1) variate by Marsaglia and Tsang's squeeze method (ACM TOMS 26(3), 2000);
   * shapes below 1 use {@code Gamma(shape + 1) · U^(1/shape)}.
   *
   * @throws IllegalArgumentException if the shape is not positive and finite
   */
  public static double gamma(RandomGenerator random, double shape) {
    if (!(shape > 0) || Double.isInfinite(shape)) {
      throw new IllegalArgumentException("shape must be positive but was " + shape);
    }
    if (shape < 1) {
      double u = openUniform(random);
      return gamma(random, shape + 1) * Math.pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = random.nextGaussian();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = random.nextDouble();
      double x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) {
        return d * v;
      }
      if (u > 0 && Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }

  /**
   * A Beta(a, b) variate as {@code X / (X + Y)} with {@code X ~ Gamma(a)}, {@code Y ~ Gamma(b)}.
   */
  public static double beta(RandomGenerator random, double a, double b) {
    double x = gamma(random, a);
    double y = gamma(random, b);
    double sum = x + y;
    if (sum == 0) {
      // Both underflowed (only possible for tiny shapes): the variate is at 0 or 1.
      return random.nextDouble() < a / (a + b) ? 1 : 0;
    }
    return x / sum;
  }

  /**
   * The share of {@code draws} joint draws from Beta(1 + successes[i], 1 + failures[i]) in which
   * arm {@code i} has the highest value; ties (which have probability zero) go to the lower index.
   */
  public static double[] probabilityBest(
      long[] successes, long[] failures, int draws, RandomGenerator random) {
    int k = successes.length;
    if (failures.length != k) {
      throw new IllegalArgumentException("successes and failures must have the same length");
    }
    long[] wins = new long[k];
    for (int draw = 0; draw < draws; draw++) {
      int best = 0;
      double bestValue = -1;
      for (int i = 0; i < k; i++) {
        double value = beta(random, 1.0 + successes[i], 1.0 + failures[i]);
        if (value > bestValue) {
          bestValue = value;
          best = i;
        }
      }
      wins[best]++;
    }
    double[] shares = new double[k];
    for (int i = 0; i < k; i++) {
      shares[i] = (double) wins[i] / draws;
    }
    return shares;
  }

  private static double openUniform(RandomGenerator random) {
    double u;
    do {
      u = random.nextDouble();
    } while (u == 0);
    return u;
  }
}
