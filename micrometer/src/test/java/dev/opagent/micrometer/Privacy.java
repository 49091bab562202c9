package dev.opagent.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Checks that no meter carries customer data. */
final class Privacy {
  private Privacy() {}

  /** Every tag value of every meter in {@code registry}. */
  static Set<String> tagValues(MeterRegistry registry) {
    Set<String> values = new HashSet<>();
    for (Meter m : registry.getMeters()) {
      for (Tag t : m.getId().getTags()) {
        values.add(t.getValue());
      }
    }
    return values;
  }

  /** Fails if a tag value of any meter equals, or contains, one of {@code secrets}. */
  static void assertNoTagHolds(MeterRegistry registry, Collection<String> secrets) {
    assertThat(secrets).isNotEmpty();
    Set<String> values = tagValues(registry);
    assertThat(values).isNotEmpty().doesNotContainAnyElementsOf(secrets);
    for (String v : values) {
      for (String s : secrets) {
        assertThat(v).as("a tag value").doesNotContain(s);
      }
    }
    for (Meter m : registry.getMeters()) {
      for (String s : secrets) {
        assertThat(m.getId().getName()).doesNotContain(s);
      }
    }
  }
}
