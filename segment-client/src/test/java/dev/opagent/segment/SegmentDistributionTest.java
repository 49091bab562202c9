package dev.opagent.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentDistributionTest {

  private static SegmentAnalysis analysis(
      ChurnSegment churn, ValueSegment value, LoyaltyTier tier, boolean missing) {
    return new SegmentAnalysis(
        AgeSegment.AGE_25_34,
        churn,
        value,
        tier,
        AffinityType.MIXED,
        DiversityProfile.BALANCED,
        missing ? List.of(new MissingRegular("P-1", "X", null, null, null, null)) : List.of());
  }

  @Test
  void of_mixedOutcomes_countsPercentagesOfAnalysedAndFailuresApart() {
    List<SegmentOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      outcomes.add(
          new SegmentOutcome.Success(
              i,
              "C-" + i,
              analysis(ChurnSegment.AT_RISK, ValueSegment.HIGH_VALUE, LoyaltyTier.PLATINUM, i == 0),
              Source.AGENT,
              1));
    }
    for (int i = 4; i < 7; i++) {
      outcomes.add(
          new SegmentOutcome.Success(
              i,
              "C-" + i,
              analysis(ChurnSegment.ACTIVE, ValueSegment.LOW_VALUE, LoyaltyTier.GOLD, false),
              Source.CACHE,
              0));
    }
    outcomes.add(
        new SegmentOutcome.Success(
            7,
            "C-7",
            new SegmentAnalysis(
                null, ChurnSegment.of("Uykuda"), null, LoyaltyTier.BRONZE, null, null, List.of()),
            Source.AGENT,
            1));
    outcomes.add(new SegmentOutcome.Failure(8, "C-8", ErrorCode.THROTTLED, "x", true, 4, null));

    SegmentDistribution d = SegmentDistribution.of(outcomes);

    assertThat(d.totalCustomers()).isEqualTo(9);
    assertThat(d.analysed()).isEqualTo(8);
    assertThat(d.failed()).isEqualTo(1);
    assertThat(d.withMissingRegulars()).isEqualTo(1);
    assertThat(d.share(SegmentDimension.CHURN, ChurnSegment.AT_RISK))
        .isEqualTo(new SegmentDistribution.Share(4, new BigDecimal("50.00")));
    assertThat(d.shares(SegmentDimension.CHURN)).containsKey("Uykuda");
    assertThat(d.shares(SegmentDimension.VALUE).get(SegmentDistribution.MISSING).count())
        .isEqualTo(1);
    assertThat(d.shares(SegmentDimension.CHURN).keySet()).first().isEqualTo("Riskli");
    assertThat(d.insights())
        .extracting(SegmentDistribution.Insight::code)
        .containsExactly(
            SegmentDistribution.Insight.Code.AT_RISK_SHARE_HIGH,
            SegmentDistribution.Insight.Code.HIGH_VALUE_SHARE,
            SegmentDistribution.Insight.Code.PREMIUM_TIER_SHARE);
    assertThat(d.insights().get(2).figures().get("percentage")).isEqualByComparingTo("87.50");
  }

  @Test
  void build_atRiskShareAtThreshold_raisesNoAtRiskInsight() {
    SegmentDistribution.Accumulator acc = SegmentDistribution.accumulator();
    for (int i = 0; i < 10; i++) {
      acc.add(
          analysis(
              i < 3 ? ChurnSegment.AT_RISK : ChurnSegment.ACTIVE,
              ValueSegment.LOW_VALUE,
              LoyaltyTier.BRONZE,
              false));
    }
    assertThat(acc.build().insights())
        .extracting(SegmentDistribution.Insight::code)
        .doesNotContain(SegmentDistribution.Insight.Code.AT_RISK_SHARE_HIGH);
    assertThat(acc.build(new BigDecimal("29.99")).insights().get(0).code())
        .isEqualTo(SegmentDistribution.Insight.Code.AT_RISK_SHARE_HIGH);
  }

  @Test
  void of_noAnalyses_hasZeroSharesAndNoInsights() {
    SegmentDistribution d =
        SegmentDistribution.of(
            List.of(
                new SegmentOutcome.Failure(0, null, ErrorCode.INVALID_INPUT, "x", false, 0, null)));
    assertThat(d.analysed()).isZero();
    assertThat(d.insights()).isEmpty();
    assertThat(d.share(SegmentDimension.CHURN, ChurnSegment.AT_RISK).percentage())
        .isEqualByComparingTo("0");
  }
}
