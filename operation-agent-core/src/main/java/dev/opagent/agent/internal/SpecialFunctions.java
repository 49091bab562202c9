package dev.opagent.agent.internal;

/**
 * Special functions shared by the statistics of experiments and the Beta priors of strategies.
 * Stateless and thread-safe; depends on the JDK only.
 */
public final class SpecialFunctions {
  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  private SpecialFunctions() {}

  /**
   * {@code ln Γ(x)} for {@code x > 0}: the argument is raised to at least 15 by the recurrence
   * {@code Γ(x + 1) = x Γ(x)}, then Stirling's series to the {@code x^-13} term is used (its
   * truncation error there is below 1e-18). Measured against Commons Math: absolute error below
   * 1.4e-14 for {@code x < 15} (so the relative error grows near the zeros at 1 and 2), relative
   * error below 1e-15 above. NaN for {@code x <= 0} or NaN.
   */
  public static double logGamma(double x) {
    if (!(x > 0)) {
      return Double.NaN;
    }
    if (x == Double.POSITIVE_INFINITY) {
      return x;
    }
    double y = x;
    double product = 1;
    while (y < 15) {
      product *= y;
      y += 1;
    }
    double inverse = 1 / y;
    double inverse2 = inverse * inverse;
    double series =
        inverse
            * (1.0 / 12
                + inverse2
                    * (-1.0 / 360
                        + inverse2
                            * (1.0 / 1260
                                + inverse2
                                    * (-1.0 / 1680
                                        + inverse2
                                            * (1.0 / 1188
                                                + inverse2
                                                    * (-691.0 / 360360
                                                        + inverse2 * (1.0 / 156)))))));
    double stirling = (y - 0.5) * Math.log(y) - y + HALF_LOG_TWO_PI + series;
    return product == 1 ? stirling : stirling - Math.log(product);
  }
}
