package dev.opagent.agent.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The verdict says "best" only for a variant ahead of the control, and names the direction and the
 * uncertainty of the difference in words.
 */
class VerdictWordingTest {
  private static Experiment ab() {
    return Experiment.builder("winback-message")
        .campaign("winback")
        .variant("control", 0.5)
        .variant("B", 0.5)
        .minSamplePerArm(100)
        .build();
  }

  @Test
  void analyze_variantBehindControlWithinNoise_isNotCalledBestAndSaysLower() {
    // control: 200 / 2100 = 9.5238 %; B: 186 / 2000 = 9.30 %.
    // difference = 0.0930 − 0.095238 = −0.002238 → "0.22 pts lower".
    // se = √(0.093·0.907/2000 + 0.095238·0.904762/2100) = √(4.2176e-5 + 4.1033e-5) = 0.0091219;
    // 1.959964 · se = 0.017879 → interval −0.002238 ± 0.017879 = −2.01 to +1.56 pts.
    ExperimentResult r =
        ExperimentAnalysis.of(
            ab(),
            Map.of("control", new VariantCounts(2100, 200), "B", new VariantCounts(2000, 186)));

    assertThat(r.verdict().kind()).isEqualTo(ExperimentVerdict.Kind.NO_SIGNIFICANT_DIFFERENCE);
    assertThat(r.verdict().summary())
        .doesNotContain("best")
        .contains("B converts 0.22 pts lower than control (9.30% vs 9.52%)")
        .contains("the difference is within noise (95% interval −2.01 to +1.56 pts)")
        .contains("keep testing");
  }

  @Test
  void analyze_variantAheadWithinNoise_saysHigherAndWithinNoise() {
    // control: 50 / 1000 = 5.00 %; B: 55 / 1000 = 5.50 %; difference +0.50 pts.
    // se = √(0.055·0.945/1000 + 0.05·0.95/1000) = √(5.1975e-5 + 4.75e-5) = 0.0099737;
    // 1.959964 · se = 0.019548 → −1.45 to +2.45 pts.
    ExperimentResult r =
        ExperimentAnalysis.of(
            ab(), Map.of("control", new VariantCounts(1000, 50), "B", new VariantCounts(1000, 55)));

    assertThat(r.verdict().summary())
        .startsWith(
            "B converts 0.50 pts higher than control (5.50% vs 5.00%); the difference is within"
                + " noise (95% interval −1.45 to +2.45 pts); keep testing.");
  }

  @Test
  void analyze_variantSignificantlyAhead_isTheWinnerAndSaysBeyondNoise() {
    // control 50 / 1000 = 5 %, B 80 / 1000 = 8 %: +3.00 pts, interval +0.84 to +5.16 pts.
    ExperimentResult r =
        ExperimentAnalysis.of(
            ab(), Map.of("control", new VariantCounts(1000, 50), "B", new VariantCounts(1000, 80)));

    assertThat(r.verdict().winner()).isEqualTo("B");
    assertThat(r.verdict().summary())
        .startsWith(
            "B converts 3.00 pts higher than control (8.00% vs 5.00%); the difference is beyond"
                + " noise (95% interval +0.84 to +5.16 pts, p = 0.0065); B is the best variant.");
  }

  @Test
  void analyze_variantSignificantlyBehind_keepsControlAndNeverCallsTheVariantBest() {
    // control 100 / 1000 = 10 %, B 60 / 1000 = 6 %: −4.00 pts.
    // se = √(0.06·0.94/1000 + 0.1·0.9/1000) = √(5.64e-5 + 9e-5) = 0.0121;
    // 1.959964 · 0.0121 = 0.023716 → −6.37 to −1.63 pts.
    ExperimentResult r =
        ExperimentAnalysis.of(
            ab(),
            Map.of("control", new VariantCounts(1000, 100), "B", new VariantCounts(1000, 60)));

    assertThat(r.verdict().winner()).isEqualTo("control");
    assertThat(r.verdict().summary())
        .contains("B converts 4.00 pts lower than control (6.00% vs 10.00%)")
        .contains("beyond noise (95% interval −6.37 to −1.63 pts")
        .contains("keep control")
        .doesNotContain("B is the best");
  }
}
