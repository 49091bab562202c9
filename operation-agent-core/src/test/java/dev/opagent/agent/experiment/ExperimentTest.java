package dev.opagent.agent.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.rules.assignment.BucketRange;
import dev.opagent.rules.assignment.HashVersion;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentTest {

  @Test
  void builder_defaults_controlIsFirstAndMinimumSampleIs1000() {
    Experiment e =
        Experiment.builder("subject")
            .campaign("winback")
            .variant("control", 0.5)
            .variant("discount-20", 0.5)
            .build();

    assertThat(e.control()).isEqualTo("control");
    assertThat(e.minSamplePerArm()).isEqualTo(1000);
    assertThat(e.variantNames()).containsExactly("control", "discount-20");
    assertThat(e.weights())
        .containsExactly(Map.entry("control", 0.5), Map.entry("discount-20", 0.5));
  }

  @Test
  void builder_equalVariants_splitEvenly() {
    Experiment e =
        Experiment.builder("e").campaign("c").variants("a", "b", "c", "d").control("c").build();

    assertThat(e.weights().values()).containsOnly(0.25);
    assertThat(e.control()).isEqualTo("c");
  }

  @Test
  void builder_invalidDefinitions_areRejectedWithTheReason() {
    assertThatThrownBy(
            () -> Experiment.builder("e").campaign("c").variant("a", 0.5).variant("b", 0.3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weights of experiment e must sum to 1 but summed to 0.8");
    assertThatThrownBy(() -> Experiment.builder("e").campaign("c").variant("a", 1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("experiment e needs at least 2 variants but had 1");
    assertThatThrownBy(
            () -> Experiment.builder("e").campaign("c").variant("a", 0.5).variant("a", 0.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("experiment e has variant a twice");
    assertThatThrownBy(
            () -> Experiment.builder("e").campaign("c").variants("a", "b").control("z").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("control z is not a variant of experiment e");
    assertThatThrownBy(() -> Experiment.builder("e").variants("a", "b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("campaign of experiment e is required");
    assertThatThrownBy(
            () ->
                Experiment.builder("e").campaign("c").variants("a", "b").minSamplePerArm(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minSamplePerArm must be positive but was 0");
    assertThatThrownBy(() -> new Variant("a", 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight of variant a must be between 0 and 1 but was 1.5");
  }

  @Test
  void withWeights_replacesTheWeightsOnly() {
    Experiment e =
        Experiment.builder("e").campaign("c").variants("a", "b").minSamplePerArm(7).build();

    Experiment moved = e.withWeights(Map.of("a", 0.9, "b", 0.1));

    assertThat(moved.weights()).containsExactly(Map.entry("a", 0.9), Map.entry("b", 0.1));
    assertThat(moved.id()).isEqualTo("e");
    assertThat(moved.minSamplePerArm()).isEqualTo(7);
    assertThatThrownBy(() -> e.withWeights(Map.of("a", 1.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no weight for variant b of experiment e");
    assertThatThrownBy(() -> e.withWeights(Map.of("a", 0.5, "b", 0.25, "z", 0.25)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("experiment e has no variant z");
  }

  @Test
  void toAssignment_seedsWithTheIdAndCoversEveryone() {
    Experiment e =
        Experiment.builder("subject")
            .campaign("c")
            .variant("a", 0.1)
            .variant("b", 0.2)
            .variant("c", 0.7)
            .build();

    dev.opagent.rules.assignment.Experiment hashing = e.toAssignment();

    assertThat(hashing.key()).isEqualTo("subject");
    assertThat(hashing.seed()).isEqualTo("subject");
    assertThat(hashing.hashVersion()).isEqualTo(HashVersion.V2);
    assertThat(hashing.coverage()).isEqualTo(1.0);
    assertThat(hashing.ranges()).extracting(BucketRange::end).last().isEqualTo(1.0);
  }
}
