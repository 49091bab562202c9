package dev.opagent.agent.experiment;

import java.util.Objects;

/**
 * A non-control variant against the control. Immutable and thread-safe. Every number is NaN when
 * either arm has no deliveries.
 *
 * @param variant the variant
 * @param control the control it is compared with
 * @param absoluteLift the variant's rate minus the control's (0.03 = three percentage points)
 * @param absoluteLiftInterval the confidence interval of the absolute lift (unpooled Wald: {@code d
 *     ± z·√(p₁q₁/n₁ + p₀q₀/n₀)})
 * @param relativeLift the absolute lift over the control's rate (0.6 = 60% better); NaN when the
 *     control's rate is 0
 * @param z the two-proportion z statistic with pooled variance: {@code d / √(p̂q̂ (1/n₁ + 1/n₀))};
 *     0 when both arms have the same all-or-nothing outcome
 * @param pValue the two-sided p-value of {@code z}
 * @param significant whether {@code pValue} is below 1 − the confidence level
 */
public record Comparison(
    String variant,
    String control,
    double absoluteLift,
    Interval absoluteLiftInterval,
    double relativeLift,
    double z,
    double pValue,
    boolean significant) {
  /** Checks the values. */
  public Comparison {
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(control, "control");
    Objects.requireNonNull(absoluteLiftInterval, "absoluteLiftInterval");
  }
}
