package dev.opagent.agent.experiment;

import java.util.Objects;
import java.util.Optional;

/**
 * What a campaign added over a comparison group: an {@link Estimate} with confidence intervals, or
 * {@link NotEnoughData} when a group is too small to estimate from. Immutable and thread-safe.
 * Produced by {@link IncrementalAnalysis}; every number is finite.
 */
public sealed interface IncrementalResult
    permits IncrementalResult.Estimate, IncrementalResult.NotEnoughData {

  /** The treated customers. */
  GroupOutcome treated();

  /** The customers they are compared with (a holdout, or the control variant's customers). */
  GroupOutcome comparison();

  /** What the treated customers cost, in the budget currency. */
  double cost();

  /**
   * An estimate of the campaign's effect. Rates and revenue are per customer over the same window
   * for both groups; for a {@linkplain IncrementalAnalysis#combine combined} estimate the
   * comparison's rate and revenue per customer are those expected for the treated customers without
   * the campaign (each campaign's comparison weighted by its treated customers).
   *
   * @param treated the treated customers
   * @param comparison the comparison customers
   * @param cost what the treated customers cost
   * @param confidenceLevel the level of the intervals (0.95)
   * @param treatedConversionRate the share of treated customers who converted
   * @param comparisonConversionRate the share of comparison customers who converted
   * @param conversionRateDifference treated minus comparison rate (0.02 = two percentage points)
   * @param conversionRateDifferenceInterval its interval (unpooled Wald)
   * @param revenuePerTreated revenue per treated customer
   * @param revenuePerComparison revenue per comparison customer
   * @param incrementalRevenue {@code (revenuePerTreated − revenuePerComparison) × treated
   *     customers}
   * @param incrementalRevenueInterval its interval (normal approximation, Welch's unpooled standard
   *     error)
   */
  record Estimate(
      GroupOutcome treated,
      GroupOutcome comparison,
      double cost,
      double confidenceLevel,
      double treatedConversionRate,
      double comparisonConversionRate,
      double conversionRateDifference,
      Interval conversionRateDifferenceInterval,
      double revenuePerTreated,
      double revenuePerComparison,
      double incrementalRevenue,
      Interval incrementalRevenueInterval)
      implements IncrementalResult {
    /** Checks the values. */
    public Estimate {
      Objects.requireNonNull(treated, "treated");
      Objects.requireNonNull(comparison, "comparison");
      Objects.requireNonNull(conversionRateDifferenceInterval, "conversionRateDifferenceInterval");
      Objects.requireNonNull(incrementalRevenueInterval, "incrementalRevenueInterval");
      requireFinite(cost, "cost");
      requireFinite(treatedConversionRate, "treatedConversionRate");
      requireFinite(comparisonConversionRate, "comparisonConversionRate");
      requireFinite(conversionRateDifference, "conversionRateDifference");
      requireFinite(revenuePerTreated, "revenuePerTreated");
      requireFinite(revenuePerComparison, "revenuePerComparison");
      requireFinite(incrementalRevenue, "incrementalRevenue");
      if (!conversionRateDifferenceInterval.isDefined()
          || !incrementalRevenueInterval.isDefined()) {
        throw new IllegalArgumentException("an estimate's intervals must be defined");
      }
    }

    /** The extra conversions: the rate difference times the treated customers. */
    public double incrementalConversions() {
      return conversionRateDifference * treated.customers();
    }

    /** The extra conversions' interval: the rate difference's interval times the treated. */
    public Interval incrementalConversionsInterval() {
      long n = treated.customers();
      return new Interval(
          conversionRateDifferenceInterval.low() * n, conversionRateDifferenceInterval.high() * n);
    }

    /**
     * {@code (incremental revenue − cost) / cost}; empty when nothing was spent (the ratio is then
     * not defined).
     */
    public Optional<Double> incrementalRoi() {
      return cost > 0 ? Optional.of((incrementalRevenue - cost) / cost) : Optional.empty();
    }

    /**
     * The interval of {@link #incrementalRoi()}: the incremental revenue's interval mapped through
     * {@code (x − cost) / cost}, the cost taken as known; empty when nothing was spent.
     */
    public Optional<Interval> incrementalRoiInterval() {
      if (!(cost > 0)) {
        return Optional.empty();
      }
      return Optional.of(
          new Interval(
              (incrementalRevenueInterval.low() - cost) / cost,
              (incrementalRevenueInterval.high() - cost) / cost));
    }

    /** Whether the revenue interval excludes zero: the effect on revenue is beyond noise. */
    public boolean revenueBeyondNoise() {
      return !incrementalRevenueInterval.contains(0);
    }
  }

  /**
   * A group is too small to estimate from: each needs at least {@value
   * IncrementalAnalysis#MIN_CUSTOMERS_PER_GROUP} customers.
   *
   * @param treated the treated customers
   * @param comparison the comparison customers
   * @param cost what the treated customers cost
   * @param reason which group is short, for a person
   */
  record NotEnoughData(GroupOutcome treated, GroupOutcome comparison, double cost, String reason)
      implements IncrementalResult {
    /** Checks the values. */
    public NotEnoughData {
      Objects.requireNonNull(treated, "treated");
      Objects.requireNonNull(comparison, "comparison");
      Objects.requireNonNull(reason, "reason");
      requireFinite(cost, "cost");
    }
  }

  private static void requireFinite(double x, String field) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException(field + " must be a finite number");
    }
  }
}
