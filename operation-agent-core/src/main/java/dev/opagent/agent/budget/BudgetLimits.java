package dev.opagent.agent.budget;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Spending limits in one currency: a global limit over all campaigns and limits per campaign.
 * Immutable and thread-safe. A campaign without a limit is bounded only by the global limit; no
 * global limit means none.
 *
 * <pre>{@code
 * BudgetLimits limits = BudgetLimits.builder(Currency.getInstance("TRY"))
 *     .global(new BigDecimal("5000"))
 *     .putCampaign("winback", new BigDecimal("1500"))
 *     .build();
 * }</pre>
 *
 * @param currency the currency of every amount
 * @param global the global limit, or null for none
 * @param perCampaign limits by campaign (rule id)
 */
public record BudgetLimits(
    Currency currency, @Nullable BigDecimal global, Map<String, BigDecimal> perCampaign) {

  public BudgetLimits {
    Objects.requireNonNull(currency, "currency");
    if (global != null) {
      nonNegative(global, "global budget");
    }
    perCampaign.forEach((k, v) -> nonNegative(v, "budget of campaign '" + k + "'"));
    perCampaign = Map.copyOf(perCampaign);
  }

  /** No limits at all, in {@code currency}. */
  public static BudgetLimits unlimited(Currency currency) {
    return new BudgetLimits(currency, null, Map.of());
  }

  public static Builder builder(Currency currency) {
    return new Builder(currency);
  }

  private static void nonNegative(BigDecimal v, String what) {
    if (v.signum() < 0) {
      throw new IllegalArgumentException(what + " must not be negative but was " + v);
    }
  }

  /** Builds {@link BudgetLimits}. Not thread-safe. */
  public static final class Builder {
    private final Currency currency;
    private @Nullable BigDecimal global;
    private final Map<String, BigDecimal> perCampaign = new LinkedHashMap<>();

    private Builder(Currency currency) {
      this.currency = Objects.requireNonNull(currency, "currency");
    }

    /** The limit over all campaigns. Default: none. */
    public Builder global(BigDecimal limit) {
      this.global = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /** The limit of one campaign. Default: none. */
    public Builder putCampaign(String campaign, BigDecimal limit) {
      perCampaign.put(
          Objects.requireNonNull(campaign, "campaign"), Objects.requireNonNull(limit, "limit"));
      return this;
    }

    public BudgetLimits build() {
      return new BudgetLimits(currency, global, perCampaign);
    }
  }
}
