package dev.opagent.agent.approval;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * When an action waits for a human's approval. Immutable and thread-safe. Any one threshold reached
 * is enough.
 *
 * @param discountRateAtLeast a discount of this rate or more (0.20 = 20%); {@code > 1} disables
 * @param spendAtLeast an expected cost of this much or more per action; null disables
 * @param audienceAbove a campaign's actions chosen in one run beyond this many; from the {@code
 *     audienceAbove + 1}-th customer on, the campaign needs an approval (grant a campaign approval
 *     before the run to avoid a partial run); {@link Long#MAX_VALUE} disables
 * @param scope what the engine requests approval for
 */
public record ApprovalThresholds(
    double discountRateAtLeast,
    @Nullable BigDecimal spendAtLeast,
    long audienceAbove,
    ApprovalScope scope) {

  public ApprovalThresholds {
    if (!(discountRateAtLeast > 0)) {
      throw new IllegalArgumentException(
          "discountRateAtLeast must be positive but was " + discountRateAtLeast);
    }
    if (spendAtLeast != null && spendAtLeast.signum() <= 0) {
      throw new IllegalArgumentException("spendAtLeast must be positive but was " + spendAtLeast);
    }
    if (audienceAbove < 0) {
      throw new IllegalArgumentException(
          "audienceAbove must not be negative but was " + audienceAbove);
    }
    Objects.requireNonNull(scope, "scope");
  }

  /** Discounts of 20% or more, spend of 50 or more, audiences above 10,000; campaign scope. */
  public static ApprovalThresholds ofDefaults() {
    return new ApprovalThresholds(0.20, new BigDecimal("50"), 10_000, ApprovalScope.CAMPAIGN);
  }

  /** Nothing needs approval. */
  public static ApprovalThresholds none() {
    return new ApprovalThresholds(
        Double.POSITIVE_INFINITY, null, Long.MAX_VALUE, ApprovalScope.CAMPAIGN);
  }
}
