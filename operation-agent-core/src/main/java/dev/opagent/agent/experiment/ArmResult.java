package dev.opagent.agent.experiment;

import java.util.Objects;

/**
 * One variant's conversion rate with its Wilson score interval. Immutable and thread-safe.
 *
 * @param variant the variant name
 * @param control whether it is the control
 * @param weight its configured share of traffic
 * @param n deliveries
 * @param conversions conversions
 * @param rate conversions / n; NaN when n is 0
 * @param interval the Wilson score interval of the rate at the analysis' confidence level; {@code
 *     [0, 1]} when n is 0
 */
public record ArmResult(
    String variant,
    boolean control,
    double weight,
    long n,
    long conversions,
    double rate,
    Interval interval) {
  /** Checks the values. */
  public ArmResult {
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(interval, "interval");
  }
}
