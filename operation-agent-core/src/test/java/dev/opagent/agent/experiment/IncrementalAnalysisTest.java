package dev.opagent.agent.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Incremental results against hand-computed examples. */
class IncrementalAnalysisTest {
  private static GroupOutcome customers(double... revenues) {
    GroupOutcome.Tally t = GroupOutcome.tally();
    for (double r : revenues) {
      t.add(r > 0, r);
    }
    return t.toOutcome();
  }

  /** Treated: 4 customers with 0, 0, 100, 50; holdout: 5 customers with 0, 0, 0, 0, 40. */
  private static IncrementalResult.Estimate example() {
    return (IncrementalResult.Estimate)
        IncrementalAnalysis.ofDefaults()
            .estimate(customers(0, 0, 100, 50), customers(0, 0, 0, 0, 40), 20.0);
  }

  @Test
  void tally_sumsCustomersConversionsRevenueAndSquares() {
    // 0² + 0² + 100² + 50² = 12,500
    assertThat(customers(0, 0, 100, 50)).isEqualTo(new GroupOutcome(4, 2, 150, 12_500));
  }

  @Test
  void estimate_conversion_isTheDifferenceOfSharesWithAWaldInterval() {
    IncrementalResult.Estimate e = example();

    // rates: 2/4 = 0.5 treated, 1/5 = 0.2 holdout; difference 0.3.
    // se = √(0.5·0.5/4 + 0.2·0.8/5) = √(0.0625 + 0.032) = √0.0945 = 0.307409
    // interval 0.3 ± 1.959964·0.307409 = 0.3 ± 0.602511 → [−0.302511, 0.902511]
    assertThat(e.treatedConversionRate()).isEqualTo(0.5);
    assertThat(e.comparisonConversionRate()).isEqualTo(0.2);
    assertThat(e.conversionRateDifference()).isCloseTo(0.3, within(1e-12));
    assertThat(e.conversionRateDifferenceInterval().low()).isCloseTo(-0.302511, within(1e-5));
    assertThat(e.conversionRateDifferenceInterval().high()).isCloseTo(0.902511, within(1e-5));
    // 0.3 × 4 treated = 1.2 extra conversions
    assertThat(e.incrementalConversions()).isCloseTo(1.2, within(1e-12));
  }

  @Test
  void estimate_revenue_isTheDifferenceOfMeansTimesTreatedWithAWelchInterval() {
    IncrementalResult.Estimate e = example();

    // means: 150/4 = 37.5 treated, 40/5 = 8 holdout; difference 29.5; × 4 treated = 118.
    // variances: (12,500 − 150²/4)/3 = 6,875/3 = 2,291.667; (1,600 − 40²/5)/4 = 1,280/4 = 320.
    // se = √(2,291.667/4 + 320/5) = √(572.9167 + 64) = √636.9167 = 25.237208
    // difference interval 29.5 ± 1.959964·25.237208 = 29.5 ± 49.464020 → [−19.964020, 78.964020]
    // × 4 → [−79.856080, 315.856080]
    assertThat(e.revenuePerTreated()).isEqualTo(37.5);
    assertThat(e.revenuePerComparison()).isEqualTo(8.0);
    assertThat(e.incrementalRevenue()).isCloseTo(118.0, within(1e-9));
    assertThat(e.incrementalRevenueInterval().low()).isCloseTo(-79.856, within(1e-3));
    assertThat(e.incrementalRevenueInterval().high()).isCloseTo(315.856, within(1e-3));
    assertThat(e.revenueBeyondNoise()).isFalse();
  }

  @Test
  void estimate_roi_isIncrementalRevenueLessCostOverCostWithTheMappedInterval() {
    IncrementalResult.Estimate e = example();

    // (118 − 20) / 20 = 4.9; interval ((−79.856 − 20)/20, (315.856 − 20)/20) = (−4.9928, 14.7928)
    assertThat(e.incrementalRoi())
        .hasValueSatisfying(r -> assertThat(r).isCloseTo(4.9, within(1e-9)));
    assertThat(e.incrementalRoiInterval().orElseThrow().low()).isCloseTo(-4.9928, within(1e-4));
    assertThat(e.incrementalRoiInterval().orElseThrow().high()).isCloseTo(14.7928, within(1e-4));
  }

  @Test
  void estimate_noCost_hasNoRoi() {
    IncrementalResult.Estimate e =
        (IncrementalResult.Estimate)
            IncrementalAnalysis.ofDefaults().estimate(customers(0, 10), customers(0, 0), 0);

    assertThat(e.incrementalRoi()).isEmpty();
    assertThat(e.incrementalRoiInterval()).isEmpty();
  }

  @Test
  void estimate_emptyOrSingleCustomerGroup_isNotEnoughDataNeverNaN() {
    IncrementalAnalysis a = IncrementalAnalysis.ofDefaults();

    IncrementalResult emptyHoldout = a.estimate(customers(0, 0, 100), GroupOutcome.EMPTY, 5);
    IncrementalResult oneTreated = a.estimate(customers(100), customers(0, 0), 5);

    assertThat(emptyHoldout)
        .isEqualTo(
            new IncrementalResult.NotEnoughData(
                customers(0, 0, 100),
                GroupOutcome.EMPTY,
                5,
                "not enough data: each group needs 2 customers; treated has 3, comparison has 0"));
    assertThat(oneTreated).isInstanceOf(IncrementalResult.NotEnoughData.class);
  }

  @Test
  void estimate_identicalGroupsWithoutRevenue_isZeroWithAZeroWidthInterval() {
    IncrementalResult.Estimate e =
        (IncrementalResult.Estimate)
            IncrementalAnalysis.ofDefaults().estimate(customers(0, 0), customers(0, 0, 0), 1);

    assertThat(e.incrementalRevenue()).isZero();
    assertThat(e.incrementalRevenueInterval()).isEqualTo(new Interval(0, 0));
    assertThat(e.incrementalRoi()).contains(-1.0);
  }

  @Test
  void combine_addsCampaignsAsStrata() {
    IncrementalAnalysis a = IncrementalAnalysis.ofDefaults();
    IncrementalResult first = example();
    // Second campaign: treated 10, 0 (mean 5, s² = (100 − 10²/2)/1 = 50); holdout 0, 0 (mean 0,
    // s² = 0); cost 2. Revenue: (5 − 0)·2 = 10, se of the sum = 2·√(50/2 + 0) = 10.
    // Conversions: rates 0.5 vs 0, difference 0.5; se of the extra conversions 2·√(0.25/2) =
    // 0.7071.
    IncrementalResult second = a.estimate(customers(10, 0), customers(0, 0), 2);
    IncrementalResult empty = a.estimate(GroupOutcome.EMPTY, customers(0, 0), 0);

    IncrementalResult.Estimate e =
        (IncrementalResult.Estimate) a.combine(List.of(first, second, empty));

    // revenue 118 + 10 = 128; variance (4·25.237208)² + 10² = 10,190.667 + 100 = 10,290.667,
    // se 101.4429; 128 ± 1.959964·101.4429 = 128 ± 198.8244 → [−70.82, 326.82]
    assertThat(e.incrementalRevenue()).isCloseTo(128, within(1e-9));
    assertThat(e.incrementalRevenueInterval().low()).isCloseTo(-70.824, within(1e-2));
    assertThat(e.incrementalRevenueInterval().high()).isCloseTo(326.824, within(1e-2));
    // cost 20 + 2 = 22 (the empty campaign is left out); ROI (128 − 22)/22 = 4.818182
    assertThat(e.cost()).isEqualTo(22.0);
    assertThat(e.incrementalRoi().orElseThrow()).isCloseTo(4.818182, within(1e-6));
    // treated 4 + 2 = 6 customers, 3 converted: rate 0.5; extra conversions 1.2 + 1.0 = 2.2,
    // difference 2.2/6 = 0.366667; variance 16·0.0945 + 0.5 = 2.012, se of the difference
    // √2.012 / 6 = 0.236408; 0.366667 ± 1.959964·0.236408 = 0.366667 ± 0.463351
    assertThat(e.treated().customers()).isEqualTo(6);
    assertThat(e.treatedConversionRate()).isEqualTo(0.5);
    assertThat(e.conversionRateDifference()).isCloseTo(0.366667, within(1e-6));
    assertThat(e.comparisonConversionRate()).isCloseTo(0.133333, within(1e-6));
    assertThat(e.conversionRateDifferenceInterval().low()).isCloseTo(-0.096684, within(1e-5));
    assertThat(e.conversionRateDifferenceInterval().high()).isCloseTo(0.830018, within(1e-5));
    // revenue per treated 160/6 = 26.6667; expected without the campaign 26.6667 − 128/6 = 5.3333
    assertThat(e.revenuePerTreated()).isCloseTo(26.666667, within(1e-6));
    assertThat(e.revenuePerComparison()).isCloseTo(5.333333, within(1e-6));
  }

  @Test
  void combine_nothingEstimable_isNotEnoughData() {
    IncrementalAnalysis a = IncrementalAnalysis.ofDefaults();

    assertThat(a.combine(List.of(a.estimate(GroupOutcome.EMPTY, GroupOutcome.EMPTY, 0))))
        .isInstanceOf(IncrementalResult.NotEnoughData.class);
    assertThat(a.combine(List.of())).isInstanceOf(IncrementalResult.NotEnoughData.class);
  }

  @Test
  void builder_and_inputs_areChecked() {
    assertThatThrownBy(() -> IncrementalAnalysis.builder().confidenceLevel(1))
        .hasMessageContaining("confidenceLevel");
    assertThatThrownBy(
            () -> IncrementalAnalysis.ofDefaults().estimate(customers(1, 2), customers(1, 2), -1))
        .hasMessageContaining("cost");
    assertThatThrownBy(() -> GroupOutcome.tally().add(true, Double.NaN))
        .hasMessageContaining("revenue");
    assertThatThrownBy(() -> new GroupOutcome(2, 3, 0, 0)).hasMessageContaining("conversions");
  }

  @Test
  void higherConfidence_widensTheRevenueInterval() {
    IncrementalResult.Estimate e99 =
        (IncrementalResult.Estimate)
            IncrementalAnalysis.builder()
                .confidenceLevel(0.99)
                .build()
                .estimate(customers(0, 0, 100, 50), customers(0, 0, 0, 0, 40), 20.0);

    // z(0.995) = 2.575829: 29.5 ± 2.575829·25.237208 → × 4 = 118 ± 260.026
    assertThat(e99.incrementalRevenueInterval().high()).isCloseTo(118 + 260.026, within(1e-2));
  }
}
