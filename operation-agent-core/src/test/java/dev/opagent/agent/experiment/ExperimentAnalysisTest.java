package dev.opagent.agent.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.feedback.FeedbackLoop;
import dev.opagent.agent.feedback.Interaction;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentAnalysisTest {
  private static Experiment ab(long minSample) {
    return Experiment.builder("subject")
        .campaign("winback")
        .variant("control", 0.5)
        .variant("treatment", 0.5)
        .minSamplePerArm(minSample)
        .build();
  }

  private static Map<String, VariantCounts> counts(Object... nameNConversions) {
    Map<String, VariantCounts> out = new LinkedHashMap<>();
    for (int i = 0; i < nameNConversions.length; i += 3) {
      out.put(
          (String) nameNConversions[i],
          new VariantCounts(
              ((Number) nameNConversions[i + 1]).longValue(),
              ((Number) nameNConversions[i + 2]).longValue()));
    }
    return out;
  }

  // Published values

  /** Newcombe (1998), Statistics in Medicine 17:857–872, table I, method 3 (Wilson score). */
  @Test
  void wilson_newcombesExamples_matchThePublishedIntervals() {
    double z = 1.959963984540054;
    assertInterval(ExperimentAnalysis.wilson(81, 263, z), 0.2553, 0.3662);
    assertInterval(ExperimentAnalysis.wilson(15, 148, z), 0.0624, 0.1605);
    assertInterval(ExperimentAnalysis.wilson(0, 20, z), 0.0000, 0.1611);
    assertInterval(ExperimentAnalysis.wilson(1, 29, z), 0.0061, 0.1718);
  }

  /** Newcombe (1998), Statistics in Medicine 17:873–890, example (a), method 1 (Wald). */
  @Test
  void analyze_newcombesDifferenceExample_matchesThePublishedWaldInterval() {
    Experiment e = ab(1);

    Comparison c =
        ExperimentAnalysis.of(e, counts("control", 80, 48, "treatment", 70, 56))
            .comparison("treatment")
            .orElseThrow();

    assertThat(c.absoluteLift()).isCloseTo(0.2, within(1e-15));
    assertInterval(c.absoluteLiftInterval(), 0.0575, 0.3425);
  }

  /**
   * Agresti, An Introduction to Categorical Data Analysis (2nd ed.), section 2.2: the Physicians'
   * Health Study, myocardial infarction with placebo 189 of 11,034 and with aspirin 104 of 11,037:
   * difference 0.0077, 95% CI (0.005, 0.011); Pearson X² = 25.0 (= z²).
   */
  @Test
  void analyze_aspirinStudy_matchesThePublishedDifferenceAndStatistic() {
    Experiment e =
        Experiment.builder("aspirin")
            .campaign("study")
            .variant("aspirin", 0.5)
            .variant("placebo", 0.5)
            .build();

    ExperimentResult r =
        ExperimentAnalysis.of(e, counts("aspirin", 11_037, 104, "placebo", 11_034, 189));
    Comparison c = r.comparison("placebo").orElseThrow();

    assertThat(c.absoluteLift()).isCloseTo(0.0077, within(0.00005));
    assertInterval(c.absoluteLiftInterval(), 0.005, 0.011, 0.0005);
    assertThat(c.z() * c.z()).isCloseTo(25.0, within(0.05));
    assertThat(c.pValue()).isLessThan(1e-6);
    assertThat(r.verdict().kind()).isEqualTo(ExperimentVerdict.Kind.WINNER);
    assertThat(r.verdict().winner()).isEqualTo("placebo");
  }

  /**
   * Kohavi, Tang and Xu, Trustworthy Online Controlled Experiments (2020), chapter 3: 821,588
   * control and 815,482 treatment users in a 50/50 split give a p-value of 1.8e-6.
   */
  @Test
  void sampleRatio_kohavisExample_isAMismatchWithThePublishedPValue() {
    ExperimentResult r =
        ExperimentAnalysis.of(
            ab(1), counts("control", 821_588, 41_000, "treatment", 815_482, 41_000));

    assertThat(r.sampleRatio().pValue()).isBetween(1.75e-6, 1.85e-6);
    assertThat(r.sampleRatio().mismatch()).isTrue();
    assertThat(r.verdict().kind()).isEqualTo(ExperimentVerdict.Kind.SAMPLE_RATIO_MISMATCH);
    assertThat(r.verdict().summary())
        .isEqualTo(
            "Sample ratio mismatch: deliveries control 821588,"
                + " treatment 815482 do not fit the weights 50%/50% (chi-square 22.8, p = 1.8e-06 <"
                + " 0.001). Assignment or logging is broken; don't trust these results.");
  }

  /** Mendel's peas, 315/108/101/32 against 9:3:3:1: X² = 0.470 on 3 df, p = 0.925. */
  @Test
  void sampleRatio_mendelsPeas_fitTheirRatio() {
    Experiment peas =
        Experiment.builder("peas")
            .campaign("garden")
            .variant("round-yellow", 9 / 16.0)
            .variant("round-green", 3 / 16.0)
            .variant("wrinkled-yellow", 3 / 16.0)
            .variant("wrinkled-green", 1 / 16.0)
            .build();

    SampleRatioCheck srm =
        ExperimentAnalysis.of(
                peas,
                counts(
                    "round-yellow",
                    315,
                    0,
                    "round-green",
                    108,
                    0,
                    "wrinkled-yellow",
                    101,
                    0,
                    "wrinkled-green",
                    32,
                    0))
            .sampleRatio();

    assertThat(srm.chiSquare()).isCloseTo(0.470, within(0.0005));
    assertThat(srm.degreesOfFreedom()).isEqualTo(3);
    assertThat(srm.pValue()).isCloseTo(0.925, within(0.0005));
    assertThat(srm.mismatch()).isFalse();
    assertThat(srm.expected()).containsEntry("round-yellow", 556 * 9 / 16.0);
  }

  // Verdicts

  @Test
  void analyze_javadocExample_isWhatTheJavadocSays() {
    ExperimentResult r =
        ExperimentAnalysis.of(ab(1000), counts("control", 1000, 50, "treatment", 1000, 80));

    assertThat(r.verdict())
        .isEqualTo(
            new ExperimentVerdict(
                ExperimentVerdict.Kind.WINNER,
                "treatment",
                "treatment converts 3.00 pts higher than control (8.00% vs 5.00%); the"
                    + " difference is beyond noise (95% interval +0.84 to +5.16 pts, p = 0.0065);"
                    + " treatment is the best variant."));
    assertThat(r.arm("treatment").orElseThrow().rate()).isEqualTo(0.08);
    assertThat(r.comparison("treatment").orElseThrow().relativeLift())
        .isCloseTo(0.6, within(1e-12));
    assertThat(r.confidenceLevel()).isEqualTo(0.95);
  }

  @Test
  void analyze_armBelowMinimumSample_isNotEnoughData() {
    ExperimentResult r =
        ExperimentAnalysis.of(ab(2000), counts("control", 2050, 50, "treatment", 1950, 80));

    assertThat(r.verdict())
        .isEqualTo(
            new ExperimentVerdict(
                ExperimentVerdict.Kind.NOT_ENOUGH_DATA,
                null,
                "Not enough data: each variant needs 2000 deliveries; treatment has 1950. So far"
                    + " treatment converts 1.66 pts higher than control (4.10% vs 2.44%); the"
                    + " difference is beyond noise (95% interval +0.56 to +2.77 pts, p = 0.0030);"
                    + " keep testing."));
  }

  @Test
  void analyze_mismatchOutranksAWinner() {
    ExperimentResult r =
        ExperimentAnalysis.of(ab(100), counts("control", 5200, 260, "treatment", 4800, 480));

    assertThat(r.comparison("treatment").orElseThrow().significant()).isTrue();
    assertThat(r.sampleRatio().chiSquare()).isCloseTo(16.0, within(1e-9));
    assertThat(r.verdict().kind()).isEqualTo(ExperimentVerdict.Kind.SAMPLE_RATIO_MISMATCH);
    assertThat(r.verdict().winner()).isNull();
  }

  @Test
  void analyze_smallDifference_isNoSignificantDifference() {
    ExperimentResult r =
        ExperimentAnalysis.of(ab(1000), counts("control", 1000, 50, "treatment", 1000, 55));

    assertThat(r.verdict().kind()).isEqualTo(ExperimentVerdict.Kind.NO_SIGNIFICANT_DIFFERENCE);
    assertThat(r.verdict().summary())
        .startsWith(
            "treatment converts 0.50 pts higher than control (5.50% vs 5.00%); the difference is"
                + " within noise (95% interval");
    assertThat(r.comparison("treatment").orElseThrow().absoluteLiftInterval().contains(0)).isTrue();
  }

  @Test
  void analyze_everyVariantWorse_controlWins() {
    Experiment three =
        Experiment.builder("three")
            .campaign("winback")
            .variant("control", 0.4)
            .variant("a", 0.3)
            .variant("b", 0.3)
            .minSamplePerArm(100)
            .build();

    ExperimentResult r =
        ExperimentAnalysis.of(three, counts("control", 4000, 400, "a", 3000, 150, "b", 3000, 200));

    assertThat(r.verdict().kind()).isEqualTo(ExperimentVerdict.Kind.WINNER);
    assertThat(r.verdict().winner()).isEqualTo("control");
    assertThat(r.verdict().summary())
        .startsWith("b converts 3.33 pts lower than control (6.67% vs 10.00%)")
        .contains(". a converts 5.00 pts lower than control (5.00% vs 10.00%)")
        .endsWith("; keep control.");
  }

  @Test
  void analyze_oneVariantWorseOneEven_saysWhichIsWorse() {
    Experiment three =
        Experiment.builder("three")
            .campaign("winback")
            .variant("control", 0.4)
            .variant("a", 0.3)
            .variant("b", 0.3)
            .minSamplePerArm(100)
            .build();

    ExperimentResult r =
        ExperimentAnalysis.of(three, counts("control", 4000, 400, "a", 3000, 150, "b", 3000, 305));

    assertThat(r.verdict().kind()).isEqualTo(ExperimentVerdict.Kind.NO_SIGNIFICANT_DIFFERENCE);
    assertThat(r.verdict().summary())
        .startsWith(
            "b converts 0.17 pts higher than control (10.17% vs 10.00%); the difference is"
                + " within noise")
        .contains(
            ". a converts 5.00 pts lower than control (5.00% vs 10.00%); the difference is"
                + " beyond noise")
        .endsWith("; keep testing.");
  }

  @Test
  void analyze_twoSignificantWinners_theLargerLiftWins() {
    Experiment three =
        Experiment.builder("three")
            .campaign("winback")
            .variants("control", "a", "b")
            .minSamplePerArm(100)
            .build();

    ExperimentResult r =
        ExperimentAnalysis.of(three, counts("control", 3000, 150, "a", 3000, 300, "b", 3000, 240));

    assertThat(r.verdict().winner()).isEqualTo("a");
    assertThat(r.comparisons()).extracting(Comparison::variant).containsExactly("a", "b");
  }

  @Test
  void analyze_missingArmAndUnknownVariant_areReported() {
    ExperimentResult r =
        ExperimentAnalysis.of(ab(10), counts("control", 100, 5, "old-variant", 50, 1));

    assertThat(r.unknownVariants()).containsExactly("old-variant");
    ArmResult treatment = r.arm("treatment").orElseThrow();
    assertThat(treatment.n()).isZero();
    assertThat(treatment.rate()).isNaN();
    assertThat(treatment.interval()).isEqualTo(new Interval(0, 1));
    Comparison c = r.comparison("treatment").orElseThrow();
    assertThat(c.pValue()).isNaN();
    assertThat(c.absoluteLiftInterval().isDefined()).isFalse();
    assertThat(c.significant()).isFalse();
    assertThat(r.verdict().kind()).isEqualTo(ExperimentVerdict.Kind.SAMPLE_RATIO_MISMATCH);
  }

  @Test
  void analyze_noConversionsAnywhere_zIsZeroAndPIsOne() {
    Comparison c =
        ExperimentAnalysis.of(ab(10), counts("control", 100, 0, "treatment", 100, 0))
            .comparison("treatment")
            .orElseThrow();

    assertThat(c.z()).isZero();
    assertThat(c.pValue()).isEqualTo(1.0);
    assertThat(c.relativeLift()).isNaN();
  }

  @Test
  void sampleRatio_deliveriesToAZeroWeightVariant_areAMismatch() {
    Experiment e =
        Experiment.builder("e")
            .campaign("c")
            .variant("control", 0.5)
            .variant("treatment", 0.5)
            .variant("paused", 0)
            .minSamplePerArm(1)
            .build();

    SampleRatioCheck srm =
        ExperimentAnalysis.of(e, counts("control", 100, 1, "treatment", 100, 1, "paused", 1, 0))
            .sampleRatio();

    assertThat(srm.chiSquare()).isInfinite();
    assertThat(srm.pValue()).isZero();
    assertThat(srm.mismatch()).isTrue();
    assertThat(srm.degreesOfFreedom()).isEqualTo(1);
  }

  @Test
  void sampleRatio_noData_isNoMismatch() {
    SampleRatioCheck srm = ExperimentAnalysis.of(ab(1), Map.of()).sampleRatio();

    assertThat(srm.pValue()).isEqualTo(1);
    assertThat(srm.mismatch()).isFalse();
  }

  @Test
  void analyze_higherConfidence_widensIntervalsAndRaisesTheBar() {
    Map<String, VariantCounts> data = counts("control", 1000, 50, "treatment", 1000, 80);
    ExperimentAnalysis strict = ExperimentAnalysis.builder().confidenceLevel(0.999).build();

    ExperimentResult r95 = ExperimentAnalysis.of(ab(1000), data);
    ExperimentResult r999 = strict.analyze(ab(1000), data);

    assertThat(r999.confidenceLevel()).isEqualTo(0.999);
    assertThat(r999.arm("control").orElseThrow().interval().low())
        .isLessThan(r95.arm("control").orElseThrow().interval().low());
    assertThat(r999.comparison("treatment").orElseThrow().pValue())
        .isEqualTo(r95.comparison("treatment").orElseThrow().pValue());
    assertThat(r999.verdict().kind()).isEqualTo(ExperimentVerdict.Kind.NO_SIGNIFICANT_DIFFERENCE);
    assertThat(r999.verdict().summary()).contains("within noise (99.9% interval");
  }

  @Test
  void analyze_fromTheFeedbackLoop_usesTheCampaignsVariants() {
    FeedbackLoop loop = FeedbackLoop.ofDefaults();
    Instant t0 = Instant.parse("2026-03-15T09:00:00Z");
    for (int i = 0; i < 40; i++) {
      String variant = i % 2 == 0 ? "control" : "treatment";
      ActionRequest r =
          new ActionRequest(
              "k" + i,
              "run",
              "C-" + i,
              "winback",
              "send_email",
              "email",
              Map.of(),
              List.of(),
              variant,
              "Riskli",
              BigDecimal.ONE,
              t0);
      loop.recordDelivery(r, DeliveryReceipt.delivered(r, "email", "m", t0));
      if (i % 4 == 1) {
        loop.record(Interaction.conversion("C-" + i, "winback", t0.plusSeconds(60), null));
      }
    }

    ExperimentResult r = ExperimentAnalysis.of(ab(10), loop.metrics());

    assertThat(r.arm("control").orElseThrow().n()).isEqualTo(20);
    assertThat(r.arm("control").orElseThrow().conversions()).isZero();
    assertThat(r.arm("treatment").orElseThrow().conversions()).isEqualTo(10);
    assertThat(r.verdict().winner()).isEqualTo("treatment");
  }

  @Test
  void builder_outOfRangeSettings_areRejected() {
    assertThatThrownBy(() -> ExperimentAnalysis.builder().confidenceLevel(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("confidenceLevel must be between 0 and 1 (exclusive) but was 1.0");
    assertThatThrownBy(() -> ExperimentAnalysis.builder().srmThreshold(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("srmThreshold must be between 0 and 1 (exclusive) but was 0.0");
    assertThat(ExperimentAnalysis.ofDefaults().confidenceLevel()).isEqualTo(0.95);
    assertThat(ExperimentAnalysis.ofDefaults().srmThreshold()).isEqualTo(0.001);
  }

  private static void assertInterval(Interval actual, double low, double high) {
    assertInterval(actual, low, high, 0.00005);
  }

  private static void assertInterval(Interval actual, double low, double high, double tolerance) {
    assertThat(actual.low()).isCloseTo(low, within(tolerance));
    assertThat(actual.high()).isCloseTo(high, within(tolerance));
  }
}
