package dev.opagent.agent.feedback;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Counters of a group of delivered actions (one action, a campaign, a strategy, a segment or an
 * experiment variant) and the rates derived from them. Immutable and thread-safe.
 *
 * <p>Rates are per delivered action. A rate without deliveries, and the ROI without cost, is {@link
 * Double#NaN} ("not known"), never 0, so an empty group cannot pass for a failing one; test with
 * {@link Double#isNaN}.
 *
 * @param delivered actions delivered
 * @param opened actions opened (each action counted once)
 * @param clicked actions clicked (each action counted once)
 * @param couponsUsed actions whose coupon was redeemed (each action counted once)
 * @param conversions conversions attributed (at most one per action)
 * @param revenue revenue of those conversions
 * @param cost what the deliveries cost, in the budget currency
 */
public record Metrics(
    long delivered,
    long opened,
    long clicked,
    long couponsUsed,
    long conversions,
    BigDecimal revenue,
    BigDecimal cost) {

  /** Nothing delivered, nothing spent. */
  public static final Metrics EMPTY = new Metrics(0, 0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO);

  /** Checks the values. */
  public Metrics {
    Objects.requireNonNull(revenue, "revenue");
    Objects.requireNonNull(cost, "cost");
    if (delivered < 0 || opened < 0 || clicked < 0 || couponsUsed < 0 || conversions < 0) {
      throw new IllegalArgumentException("counters must not be negative");
    }
  }

  /** The sum of both. */
  public Metrics plus(Metrics other) {
    return new Metrics(
        delivered + other.delivered,
        opened + other.opened,
        clicked + other.clicked,
        couponsUsed + other.couponsUsed,
        conversions + other.conversions,
        revenue.add(other.revenue),
        cost.add(other.cost));
  }

  /** Opened / delivered; NaN when nothing was delivered. */
  public double openRate() {
    return ratio(opened);
  }

  /** Clicked / delivered; NaN when nothing was delivered. */
  public double clickRate() {
    return ratio(clicked);
  }

  /** Coupons used / delivered; NaN when nothing was delivered. */
  public double couponRate() {
    return ratio(couponsUsed);
  }

  /** Conversions / delivered; NaN when nothing was delivered. */
  public double conversionRate() {
    return ratio(conversions);
  }

  /**
   * Return on investment {@code (revenue − cost) / cost}: 2.5 means every unit spent brought 3.5
   * back. NaN when nothing was spent (the ratio is undefined, not infinite).
   */
  public double roi() {
    if (cost.signum() == 0) {
      return Double.NaN;
    }
    return revenue.subtract(cost).doubleValue() / cost.doubleValue();
  }

  private double ratio(long count) {
    return delivered == 0 ? Double.NaN : (double) count / delivered;
  }
}
