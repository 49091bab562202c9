package dev.opagent.agent.tools.spi;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Counters of one campaign: seed 001's monitoring figures. Immutable and thread-safe.
 *
 * @param campaign the campaign (rule id)
 * @param sent actions executed
 * @param opened messages opened
 * @param clicked messages clicked
 * @param converted conversions attributed to the campaign
 * @param revenue revenue of those conversions
 * @param cost what the campaign cost
 */
public record CampaignMetrics(String campaign, long sent, long opened, long clicked,
    long converted, BigDecimal revenue, BigDecimal cost) {

  /** Checks the values. */
  public CampaignMetrics {
    Objects.requireNonNull(campaign, "campaign");
    Objects.requireNonNull(revenue, "revenue");
    Objects.requireNonNull(cost, "cost");
    if (sent < 0 || opened < 0 || clicked < 0 || converted < 0) {
      throw new IllegalArgumentException("counters must not be negative");
    }
  }

  /** No activity yet. */
  public static CampaignMetrics empty(String campaign) {
    return new CampaignMetrics(campaign, 0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO);
  }

  /** The sum of two metrics of the same campaign. */
  public CampaignMetrics plus(CampaignMetrics other) {
    if (!campaign.equals(other.campaign)) {
      throw new IllegalArgumentException("cannot add metrics of different campaigns");
    }
    return new CampaignMetrics(campaign, sent + other.sent, opened + other.opened,
        clicked + other.clicked, converted + other.converted, revenue.add(other.revenue),
        cost.add(other.cost));
  }

  /** Opened / sent; 0 when nothing was sent. */
  public double openRate() {
    return ratio(opened, sent);
  }

  /** Clicked / sent; 0 when nothing was sent. */
  public double clickRate() {
    return ratio(clicked, sent);
  }

  /** Converted / sent; 0 when nothing was sent. */
  public double conversionRate() {
    return ratio(converted, sent);
  }

  /** (revenue − cost) / cost; 0 when nothing was spent. */
  public double roi() {
    return cost.signum() == 0 ? 0 : revenue.subtract(cost).doubleValue() / cost.doubleValue();
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : (double) a / b;
  }
}
