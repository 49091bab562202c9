package dev.opagent.rules.assignment;

import dev.opagent.rules.spi.StickyAssignmentStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link StickyAssignmentStore} in memory, for tests and single-process hosts. Thread-safe. Its
 * contents are lost on restart; production hosts persist assignments (CRM field, database).
 */
public final class InMemoryStickyAssignmentStore implements StickyAssignmentStore {
  private final ConcurrentMap<String, ConcurrentMap<String, String>> byExperiment =
      new ConcurrentHashMap<>();

  @Override
  public Optional<String> get(String experimentKey, String unitId) {
    ConcurrentMap<String, String> units = byExperiment.get(experimentKey);
    return units == null ? Optional.empty() : Optional.ofNullable(units.get(unitId));
  }

  @Override
  public void put(String experimentKey, String unitId, String variantKey) {
    byExperiment
        .computeIfAbsent(experimentKey, k -> new ConcurrentHashMap<>())
        .put(unitId, variantKey);
  }

  /** Atomic: two threads assigning the same unit at once both get the variant stored first. */
  @Override
  public String putIfAbsent(String experimentKey, String unitId, String variantKey) {
    String before =
        byExperiment
            .computeIfAbsent(experimentKey, k -> new ConcurrentHashMap<>())
            .putIfAbsent(unitId, variantKey);
    return before == null ? variantKey : before;
  }

  /** Number of remembered assignments in {@code experimentKey}. */
  public int size(String experimentKey) {
    ConcurrentMap<String, String> units = byExperiment.get(experimentKey);
    return units == null ? 0 : units.size();
  }
}
