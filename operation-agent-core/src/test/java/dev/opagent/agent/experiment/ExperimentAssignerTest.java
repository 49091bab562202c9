package dev.opagent.agent.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.opagent.rules.assignment.Assignment;
import dev.opagent.rules.assignment.InMemoryStickyAssignmentStore;
import dev.opagent.rules.assignment.VariantAssigner;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentAssignerTest {
  private static final Experiment SUBJECT =
      Experiment.builder("winback-subject")
          .campaign("winback")
          .variant("control", 0.5)
          .variant("discount-20", 0.5)
          .build();

  @Test
  void assign_sameCustomer_sameVariantEveryTimeAndOnEveryInstance() {
    ExperimentAssigner one = ExperimentAssigner.create(SUBJECT);
    ExperimentAssigner other = ExperimentAssigner.create(SUBJECT);

    for (int i = 0; i < 200; i++) {
      String customer = "C-" + i;
      String first = one.assign(customer);
      assertThat(one.assign(customer)).isEqualTo(first);
      assertThat(other.assign(customer)).isEqualTo(first);
    }
  }

  @Test
  void assign_isCampaignRulesHashing() {
    ExperimentAssigner assigner = ExperimentAssigner.create(SUBJECT);
    VariantAssigner plain = VariantAssigner.ofDefaults();

    for (int i = 0; i < 200; i++) {
      Assignment a = plain.assign(SUBJECT.toAssignment(), "C-" + i);
      assertThat(assigner.assign("C-" + i)).isEqualTo(((Assignment.InVariant) a).variant());
    }
  }

  @Test
  void assign_manyCustomers_followTheWeights() {
    Experiment skewed =
        Experiment.builder("skewed").campaign("c").variant("a", 0.2).variant("b", 0.8).build();
    ExperimentAssigner assigner = ExperimentAssigner.create(skewed);
    Map<String, Integer> counts = new HashMap<>();

    for (int i = 0; i < 20_000; i++) {
      counts.merge(assigner.assign("C-" + i), 1, Integer::sum);
    }

    assertThat(counts.get("a") / 20_000.0).isCloseTo(0.2, within(0.015));
  }

  @Test
  void reweight_keepsAssignedCustomers_movesOnlyNewOnes() {
    InMemoryStickyAssignmentStore store = new InMemoryStickyAssignmentStore();
    ExperimentAssigner assigner = ExperimentAssigner.create(SUBJECT, store);
    Map<String, String> before = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      before.put("C-" + i, assigner.assign("C-" + i));
    }

    assigner.reweight(Map.of("control", 0.1, "discount-20", 0.9));

    before.forEach((customer, variant) -> assertThat(assigner.assign(customer)).isEqualTo(variant));
    long moved =
        before.entrySet().stream()
            .filter(
                e ->
                    !ExperimentAssigner.create(assigner.experiment())
                        .assign(e.getKey())
                        .equals(e.getValue()))
            .count();
    assertThat(moved).as("without the sticky store these customers would switch").isPositive();
    long newInTreatment = 0;
    for (int i = 0; i < 2000; i++) {
      if (assigner.assign("N-" + i).equals("discount-20")) {
        newInTreatment++;
      }
    }
    assertThat(newInTreatment / 2000.0).isCloseTo(0.9, within(0.03));
    assertThat(store.size("winback-subject")).isEqualTo(4000);
    assertThat(assigner.experiment().weights()).containsEntry("discount-20", 0.9);
  }

  @Test
  void apply_allocationOfAnotherExperiment_isRejected() {
    ExperimentAssigner assigner = ExperimentAssigner.create(SUBJECT);
    Allocation other =
        new Allocation(
            "other",
            1,
            Allocation.Phase.EXPLOITING,
            Map.of("control", 0.5, "discount-20", 0.5),
            Map.of(),
            Map.of(),
            Instant.EPOCH);

    assertThatThrownBy(() -> assigner.apply(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allocation of experiment other does not apply to experiment winback-subject");
  }
}
