package dev.opagent.agent.strategy;

import dev.opagent.agent.spi.Observation;
import java.math.BigDecimal;

/**
 * What a proposal is expected to achieve. Immutable and thread-safe.
 *
 * <p>The conversion rate is the template's Beta prior updated with the observed history; the
 * interval is the central credible interval of the rate at {@code credibleLevel}, scaled to the
 * treated customers (the spread of the rate, not the binomial noise of one campaign, which is small
 * for audiences of hundreds or more). Treated customers are the audience minus the template's
 * holdout. Revenue counts every conversion at the average order value less the offer's discount;
 * cost is treated × cost per contact + fixed cost; ROI = (revenue − cost) / cost. Every conversion
 * is attributed to the campaign here — the holdout measures the real lift afterwards.
 *
 * @param posterior the rate's distribution after history
 * @param observed the history that was applied (zero trials when none)
 * @param credibleLevel the interval's probability mass (0.9 for a 90% interval)
 * @param treated customers expected to receive the actions (audience less holdout)
 * @param conversionRate expected rate, the posterior mean
 * @param conversionRateLow lower end of the rate's interval
 * @param conversionRateHigh upper end of the rate's interval
 * @param expectedConversions treated × conversionRate
 * @param conversionsLow treated × conversionRateLow
 * @param conversionsHigh treated × conversionRateHigh
 * @param expectedRevenue expected revenue, two decimals
 * @param cost expected cost, two decimals
 * @param roi expected return on investment, (revenue − cost) / cost
 * @param roiLow ROI at the interval's lower end
 * @param roiHigh ROI at the interval's upper end
 */
public record EffectPrediction(
    BetaPrior posterior,
    Observation observed,
    double credibleLevel,
    double treated,
    double conversionRate,
    double conversionRateLow,
    double conversionRateHigh,
    double expectedConversions,
    double conversionsLow,
    double conversionsHigh,
    BigDecimal expectedRevenue,
    BigDecimal cost,
    double roi,
    double roiLow,
    double roiHigh) {

  /** Expected revenue minus cost, two decimals. */
  public BigDecimal expectedProfit() {
    return expectedRevenue.subtract(cost);
  }

  /** Whether the prediction rests on observed history rather than the prior alone. */
  public boolean usesHistory() {
    return observed.trials() > 0;
  }
}
