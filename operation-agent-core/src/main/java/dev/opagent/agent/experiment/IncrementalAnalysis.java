package dev.opagent.agent.experiment;

import dev.opagent.agent.experiment.internal.Distributions;
import java.util.List;
import java.util.Objects;

/**
 * Estimates what a campaign added over a comparison group — the global holdout (customers who
 * matched the campaign and received nothing) or the campaign's control variant — from per-customer
 * outcomes over the same window. Immutable and thread-safe.
 *
 * <p>Method, at the {@linkplain Builder#confidenceLevel confidence level} (95% by default), with
 * {@code z} its two-sided normal quantile (1.96):
 *
 * <ul>
 *   <li>Conversion: the difference of the shares of customers who converted, {@code d = p₁ − p₀},
 *       with the unpooled Wald interval {@code d ± z·√(p₁(1−p₁)/n₁ + p₀(1−p₀)/n₀)}.
 *   <li>Revenue: the difference of the mean revenue per customer, {@code m₁ − m₀}, with a normal
 *       interval on Welch's unpooled standard error {@code √(s₁²/n₁ + s₀²/n₀)} ({@code s²} the
 *       sample variances of revenue per customer). Incremental revenue is that difference times the
 *       treated customers, {@code (m₁ − m₀)·n₁}, and so is its interval.
 *   <li>Incremental ROI: {@code (incremental revenue − cost) / cost}; its interval maps the revenue
 *       interval through the same formula (the cost is known, not estimated).
 *   <li>A group with fewer than {@value #MIN_CUSTOMERS_PER_GROUP} customers has no variance: the
 *       result is {@link IncrementalResult.NotEnoughData}, never NaN or infinity.
 * </ul>
 *
 * <p>The normal approximation needs groups of some size (dozens of customers) and revenue that is
 * not dominated by a few orders; with a handful of customers the interval is too narrow. The
 * comparison is only as fair as the groups: a holdout drawn at random from the customers who
 * matched measures the campaign; treated customers selected by guardrails (consent, caps) may
 * differ from the holdout in ways the interval does not cover.
 *
 * <pre>{@code
 * IncrementalResult r = IncrementalAnalysis.ofDefaults().estimate(treated, holdout, 20.0);
 * if (r instanceof IncrementalResult.Estimate e) {
 *   e.incrementalRevenue();           // 118.0
 *   e.incrementalRevenueInterval();   // [-79.9, 315.9]
 *   e.incrementalRoi();               // Optional[4.9]
 * }
 * }</pre>
 */
public final class IncrementalAnalysis {
  /** Customers each group needs before anything is estimated: 2, the least with a variance. */
  public static final long MIN_CUSTOMERS_PER_GROUP = 2;

  private static final IncrementalAnalysis DEFAULTS = builder().build();

  private final double confidenceLevel;
  private final double z;

  private IncrementalAnalysis(Builder b) {
    this.confidenceLevel = b.confidenceLevel;
    this.z = Distributions.normalQuantile(1 - (1 - confidenceLevel) / 2);
  }

  /** A builder with a 95% confidence level. */
  public static Builder builder() {
    return new Builder();
  }

  /** The analysis at a 95% confidence level. */
  public static IncrementalAnalysis ofDefaults() {
    return DEFAULTS;
  }

  /** The confidence level of the intervals. */
  public double confidenceLevel() {
    return confidenceLevel;
  }

  /**
   * What the treated customers added over the comparison customers.
   *
   * @param treated the customers the campaign reached
   * @param comparison the holdout or control customers, over the same window
   * @param cost what the treated customers cost, finite and not negative
   * @throws IllegalArgumentException if {@code cost} is negative or not finite
   */
  public IncrementalResult estimate(GroupOutcome treated, GroupOutcome comparison, double cost) {
    Objects.requireNonNull(treated, "treated");
    Objects.requireNonNull(comparison, "comparison");
    if (!(cost >= 0 && Double.isFinite(cost))) {
      throw new IllegalArgumentException(
          "cost must be a finite amount, not negative, but was " + cost);
    }
    if (treated.customers() < MIN_CUSTOMERS_PER_GROUP
        || comparison.customers() < MIN_CUSTOMERS_PER_GROUP) {
      return new IncrementalResult.NotEnoughData(
          treated,
          comparison,
          cost,
          "not enough data: each group needs "
              + MIN_CUSTOMERS_PER_GROUP
              + " customers; treated has "
              + treated.customers()
              + ", comparison has "
              + comparison.customers());
    }
    long n1 = treated.customers();
    long n0 = comparison.customers();
    double p1 = treated.conversionRate();
    double p0 = comparison.conversionRate();
    double d = p1 - p0;
    double seRate = Math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0);
    double m1 = treated.revenuePerCustomer();
    double m0 = comparison.revenuePerCustomer();
    double seMean = Math.sqrt(treated.revenueVariance() / n1 + comparison.revenueVariance() / n0);
    return new IncrementalResult.Estimate(
        treated,
        comparison,
        cost,
        confidenceLevel,
        p1,
        p0,
        d,
        new Interval(d - z * seRate, d + z * seRate),
        m1,
        m0,
        (m1 - m0) * n1,
        new Interval((m1 - m0 - z * seMean) * n1, (m1 - m0 + z * seMean) * n1));
  }

  /**
   * Several campaigns' results as one, each campaign a stratum: the incremental revenue and
   * conversions are the sums of the campaigns' (their variances add, the campaigns being
   * independent samples), the rates are weighted by each campaign's treated customers, and the
   * groups and costs are summed. Campaigns without an estimate are left out; when none has one the
   * result is {@link IncrementalResult.NotEnoughData}.
   */
  public IncrementalResult combine(List<? extends IncrementalResult> results) {
    Objects.requireNonNull(results, "results");
    GroupOutcome treated = GroupOutcome.EMPTY;
    GroupOutcome comparison = GroupOutcome.EMPTY;
    GroupOutcome estimatedTreated = GroupOutcome.EMPTY;
    GroupOutcome estimatedComparison = GroupOutcome.EMPTY;
    double cost = 0;
    double estimatedCost = 0;
    double conversions = 0;
    double conversionsVariance = 0;
    double revenue = 0;
    double revenueVariance = 0;
    int estimates = 0;
    for (IncrementalResult r : results) {
      treated = treated.plus(r.treated());
      comparison = comparison.plus(r.comparison());
      cost += r.cost();
      if (r instanceof IncrementalResult.Estimate e) {
        estimates++;
        estimatedTreated = estimatedTreated.plus(e.treated());
        estimatedComparison = estimatedComparison.plus(e.comparison());
        estimatedCost += e.cost();
        conversions += e.incrementalConversions();
        double seConversions = halfWidth(e.incrementalConversionsInterval()) / z;
        conversionsVariance += seConversions * seConversions;
        revenue += e.incrementalRevenue();
        double seRevenue = halfWidth(e.incrementalRevenueInterval()) / z;
        revenueVariance += seRevenue * seRevenue;
      }
    }
    if (estimates == 0) {
      return new IncrementalResult.NotEnoughData(
          treated,
          comparison,
          cost,
          results.isEmpty()
              ? "not enough data: no campaign to combine"
              : "not enough data: no campaign has "
                  + MIN_CUSTOMERS_PER_GROUP
                  + " customers in both groups");
    }
    long n = estimatedTreated.customers();
    double p1 = estimatedTreated.conversionRate();
    double d = conversions / n;
    double seD = Math.sqrt(conversionsVariance) / n;
    double m1 = estimatedTreated.revenuePerCustomer();
    double seRevenue = Math.sqrt(revenueVariance);
    return new IncrementalResult.Estimate(
        estimatedTreated,
        estimatedComparison,
        estimatedCost,
        confidenceLevel,
        p1,
        p1 - d,
        d,
        new Interval(d - z * seD, d + z * seD),
        m1,
        m1 - revenue / n,
        revenue,
        new Interval(revenue - z * seRevenue, revenue + z * seRevenue));
  }

  private static double halfWidth(Interval i) {
    return (i.high() - i.low()) / 2;
  }

  /** Builds an {@link IncrementalAnalysis}. Not thread-safe. */
  public static final class Builder {
    private double confidenceLevel = ExperimentAnalysis.DEFAULT_CONFIDENCE_LEVEL;

    private Builder() {}

    /**
     * The confidence level of the intervals. Default 0.95; raise it (0.99) before acting on a
     * revenue figure where a wrong call is costly.
     *
     * @throws IllegalArgumentException unless strictly between 0 and 1
     */
    public Builder confidenceLevel(double level) {
      if (!(level > 0 && level < 1)) {
        throw new IllegalArgumentException(
            "confidenceLevel must be between 0 and 1 (exclusive) but was " + level);
      }
      this.confidenceLevel = level;
      return this;
    }

    /** The analysis. */
    public IncrementalAnalysis build() {
      return new IncrementalAnalysis(this);
    }
  }
}
