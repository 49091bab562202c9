package dev.opagent.rules.spi;

import java.util.Optional;

/**
 * Remembers which variant of an experiment a unit (customer) was assigned, so that later changes to
 * weights or coverage do not move customers who were already exposed. Implementations must be
 * thread-safe; {@code InMemoryStickyAssignmentStore} is the shipped one.
 */
public interface StickyAssignmentStore {

  /** The variant key remembered for {@code unitId} in {@code experimentKey}, if any. */
  Optional<String> get(String experimentKey, String unitId);

  /** Remembers {@code variantKey} for {@code unitId} in {@code experimentKey}. */
  void put(String experimentKey, String unitId, String variantKey);
}
