package dev.opagent.rules.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.rules.spi.StickyAssignmentStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AssignmentTest {

  @Test
  void hash_knownInputs_stableAcrossRunsAndMachines() {
    // FNV-1a is fully specified; these values pin the implementation.
    assertThat(Hashing.fnv1a32("")).isEqualTo(0x811c9dc5L);
    assertThat(Hashing.fnv1a32("a")).isEqualTo(0xe40c292cL);
    assertThat(Hashing.fnv1a32("foobar")).isEqualTo(0xbf9cf968L);
    assertThat(Hashing.hash("seed", "a", HashVersion.V2)).isEqualTo(0.0505);
  }

  @Test
  void hash_nonAsciiText_hashesUtf16CodeUnitsLikeJavaScript() {
    // charCodeAt('ı') = 0x131 is xor-ed whole, not as UTF-8 bytes
    long expected = 0x811c9dc5L;
    expected = ((expected ^ 0x131) * 0x01000193L) & 0xffffffffL;
    assertThat(Hashing.fnv1a32("ı")).isEqualTo(expected);
  }

  @Test
  void holdout_percentage_selectsAboutThatShareDeterministically() {
    Holdout h = Holdout.of("global-2026", 5);
    int held = 0;
    for (int i = 0; i < 20_000; i++) {
      boolean in = h.contains("C-" + i);
      assertThat(Holdout.of("global-2026", 5).contains("C-" + i)).isEqualTo(in);
      held += in ? 1 : 0;
    }
    assertThat(held).isBetween(850, 1150);
    assertThat(Holdout.of("x", 0).contains("C-1")).isFalse();
    assertThat(Holdout.of("x", 100).contains("C-1")).isTrue();
  }

  @Test
  void holdout_differentKeys_independentSelections() {
    int both = 0;
    for (int i = 0; i < 20_000; i++) {
      if (Holdout.of("a", 50).contains("C-" + i) && Holdout.of("b", 50).contains("C-" + i)) {
        both++;
      }
    }
    assertThat(both).isBetween(4500, 5500);
  }

  @Test
  void assign_withoutStore_deterministicAndRoughlyWeighted() {
    Experiment e =
        Experiment.builder("subject").variants("control", "discount").weights(0.8, 0.2).build();
    VariantAssigner assigner = VariantAssigner.ofDefaults();
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      Assignment a = assigner.assign(e, "C-" + i);
      assertThat(a).isEqualTo(assigner.assign(e, "C-" + i));
      counts.merge(((Assignment.InVariant) a).variant(), 1, Integer::sum);
    }
    assertThat(counts.get("control")).isBetween(7700, 8300);
  }

  @Test
  void assign_withStore_keepsVariantWhenWeightsChange() {
    InMemoryStickyAssignmentStore store = new InMemoryStickyAssignmentStore();
    VariantAssigner sticky = VariantAssigner.builder().store(store).build();
    Experiment before = Experiment.builder("subject").variants("a", "b").weights(0.5, 0.5).build();
    Experiment after = Experiment.builder("subject").variants("a", "b").weights(0.1, 0.9).build();
    Map<String, String> first = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      first.put("C-" + i, ((Assignment.InVariant) sticky.assign(before, "C-" + i)).variant());
    }
    assertThat(store.size("subject")).isEqualTo(1000);
    int movedWithoutStore = 0;
    for (int i = 0; i < 1000; i++) {
      Assignment.InVariant again = (Assignment.InVariant) sticky.assign(after, "C-" + i);
      assertThat(again.variant()).isEqualTo(first.get("C-" + i));
      assertThat(again.sticky()).isTrue();
      Assignment.InVariant fresh =
          (Assignment.InVariant) VariantAssigner.ofDefaults().assign(after, "C-" + i);
      movedWithoutStore += fresh.variant().equals(first.get("C-" + i)) ? 0 : 1;
    }
    assertThat(movedWithoutStore).isPositive();
  }

  @Test
  void assign_unitStoredByAnotherProcessMeanwhile_returnsTheStoredVariant() {
    InMemoryStickyAssignmentStore shared = new InMemoryStickyAssignmentStore();
    Experiment e = Experiment.builder("subject").variants("a", "b").weights(0.5, 0.5).build();
    String hashed =
        ((Assignment.InVariant) VariantAssigner.ofDefaults().assign(e, "C-1")).variant();
    String other = hashed.equals("a") ? "b" : "a";
    // A store whose first read misses the row another process is inserting at that moment.
    StickyAssignmentStore racing =
        new StickyAssignmentStore() {
          @Override
          public Optional<String> get(String experimentKey, String unitId) {
            shared.put(experimentKey, unitId, other);
            return Optional.empty();
          }

          @Override
          public void put(String experimentKey, String unitId, String variantKey) {
            shared.put(experimentKey, unitId, variantKey);
          }

          @Override
          public String putIfAbsent(String experimentKey, String unitId, String variantKey) {
            return shared.putIfAbsent(experimentKey, unitId, variantKey);
          }
        };

    Assignment.InVariant a =
        (Assignment.InVariant) VariantAssigner.builder().store(racing).build().assign(e, "C-1");

    assertThat(a.variant()).isEqualTo(other);
    assertThat(a.sticky()).isTrue();
    assertThat(shared.get("subject", "C-1")).contains(other);
  }

  @Test
  void assign_rememberedVariantNoLongerDefined_isReplaced() {
    InMemoryStickyAssignmentStore store = new InMemoryStickyAssignmentStore();
    store.put("subject", "C-1", "retired");
    Experiment e = Experiment.builder("subject").variants("a", "b").weights(0.5, 0.5).build();

    Assignment.InVariant a =
        (Assignment.InVariant) VariantAssigner.builder().store(store).build().assign(e, "C-1");

    assertThat(a.sticky()).isFalse();
    assertThat(store.get("subject", "C-1")).contains(a.variant());
  }

  @Test
  void assign_coverageAndNamespace_excludeUnits() {
    Experiment half = Experiment.builder("cov").variants("a", "b").coverage(0.5).build();
    int excluded = 0;
    for (int i = 0; i < 4000; i++) {
      Assignment a = VariantAssigner.ofDefaults().assign(half, "C-" + i);
      if (a instanceof Assignment.Excluded x) {
        assertThat(x.cause()).isEqualTo(Assignment.Cause.COVERAGE);
        excluded++;
      }
    }
    assertThat(excluded).isBetween(1800, 2200);
    Experiment ns =
        Experiment.builder("ns")
            .variants("a", "b")
            .namespace(new Namespace("namespace1", 0, 0.4))
            .build();
    // conformance vector: user "1" is outside namespace1 [0, 0.4)
    assertThat(VariantAssigner.ofDefaults().assign(ns, "1"))
        .isEqualTo(new Assignment.Excluded("ns", Assignment.Cause.NAMESPACE, -1));
  }

  @Test
  void experiment_invalidConfiguration_failsFastWithSpecificMessages() {
    assertThatThrownBy(() -> Experiment.builder("e").variants("a").build())
        .hasMessage("experiment needs at least 2 variants but had 1");
    assertThatThrownBy(() -> Experiment.builder("e").variants("a", "b").weights(0.5).build())
        .hasMessage("experiment needs one weight per variant (2) but had 1");
    assertThatThrownBy(() -> Experiment.builder("e").variants("a", "b").weights(0.5, 0.6).build())
        .hasMessageStartingWith("experiment weights must sum to 1 but summed to 1.1");
    assertThatThrownBy(() -> Experiment.builder("e").variants("a", "a").build())
        .hasMessage("experiment variants must be unique but were [a, a]");
    assertThatThrownBy(() -> new Namespace("n", 0.5, 0.2))
        .hasMessage("namespace range must satisfy 0 <= start <= end <= 1 but was [0.5, 0.2)");
    assertThatThrownBy(() -> Holdout.of("h", -1))
        .hasMessage("holdout percentage must be between 0 and 100 but was -1.0");
  }
}
