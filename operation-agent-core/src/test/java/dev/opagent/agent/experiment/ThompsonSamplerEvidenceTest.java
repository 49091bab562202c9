package dev.opagent.agent.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sampler keeps the configured split until every arm has its minimum sample, and reports the
 * posterior probability of being best all along, so a reader sees the evidence before it acts.
 */
class ThompsonSamplerEvidenceTest {
  private static Experiment ab(long minSample) {
    return Experiment.builder("retention-message")
        .campaign("retention")
        .variant("control", 0.5)
        .variant("B", 0.5)
        .minSamplePerArm(minSample)
        .build();
  }

  @Test
  void allocate_tinySamplesWithALuckyArm_keepsTheEqualSplitAndReportsTheProbability() {
    // 45 deliveries each, 1 vs 6 conversions: B looks far better, on almost no evidence.
    ThompsonSampler sampler = ThompsonSampler.builder(ab(100)).seed(7).build();

    Allocation a =
        sampler.allocate(
            Map.of("control", new VariantCounts(45, 1), "B", new VariantCounts(45, 6)));

    assertThat(a.weights()).containsExactly(Map.entry("control", 0.5), Map.entry("B", 0.5));
    assertThat(a.isExploring()).isTrue();
    assertThat(a.probabilityBest()).containsOnlyKeys("control", "B");
    assertThat(a.probabilityBest().get("B")).isGreaterThan(0.9);
  }

  @Test
  void allocate_samplerMinimumAboveTheExperiments_waitsForTheSamplers() {
    ThompsonSampler sampler = ThompsonSampler.builder(ab(40)).minSamplePerArm(200).seed(7).build();

    Allocation early =
        sampler.allocate(
            Map.of("control", new VariantCounts(120, 4), "B", new VariantCounts(130, 12)));
    Allocation later =
        sampler.allocate(
            Map.of("control", new VariantCounts(200, 6), "B", new VariantCounts(210, 20)));

    assertThat(sampler.minSamplePerArm()).isEqualTo(200);
    assertThat(early.weights()).containsEntry("B", 0.5);
    assertThat(later.isExploring()).isFalse();
    assertThat(later.weights().get("B")).isGreaterThan(0.5);
  }

  @Test
  void builder_minSamplePerArm_defaultsToTheExperimentsAndMustBePositive() {
    assertThat(ThompsonSampler.builder(ab(300)).build().minSamplePerArm()).isEqualTo(300);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ThompsonSampler.builder(ab(300)).minSamplePerArm(0))
        .hasMessageContaining("minSamplePerArm must be positive but was 0");
  }
}
