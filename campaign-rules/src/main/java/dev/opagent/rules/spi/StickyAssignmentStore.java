package dev.opagent.rules.spi;

import java.util.Optional;

/**
 * Remembers which variant of an experiment a unit (customer) was assigned, so that later changes to
 * weights or coverage do not move customers who were already exposed. Implementations must be
 * thread-safe; {@code InMemoryStickyAssignmentStore} is the shipped one.
 *
 * <p>A store shared by several processes overrides {@link #putIfAbsent} so that two processes
 * assigning the same unit for the first time at once agree on one variant.
 */
public interface StickyAssignmentStore {

  /** The variant key remembered for {@code unitId} in {@code experimentKey}, if any. */
  Optional<String> get(String experimentKey, String unitId);

  /** Remembers {@code variantKey} for {@code unitId} in {@code experimentKey}. */
  void put(String experimentKey, String unitId, String variantKey);

  /**
   * Remembers {@code variantKey} for {@code unitId} in {@code experimentKey} unless a variant is
   * remembered already, and returns the variant remembered after the call: {@code variantKey}, or
   * the one that was there first. Unlike {@code Map.putIfAbsent}, it never returns null.
   *
   * <p>The default calls {@link #get} then {@link #put}, which is atomic only within one process
   * and only if the implementation serialises them; a store shared by processes overrides it with
   * an insert-if-absent (a unique key) followed by a read of the row that won.
   */
  default String putIfAbsent(String experimentKey, String unitId, String variantKey) {
    Optional<String> remembered = get(experimentKey, unitId);
    if (remembered.isPresent()) {
      return remembered.get();
    }
    put(experimentKey, unitId, variantKey);
    return variantKey;
  }
}
