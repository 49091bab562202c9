package dev.opagent.rules.condition;

import dev.opagent.rules.spi.AttributePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assigns one slot to each distinct attribute path while conditions are bound. Not thread-safe:
 * used only while a {@link BoundSet} is built.
 */
final class Slots {
  private final Map<AttributePath, Integer> slots = new LinkedHashMap<>();
  private final List<Integer> uses = new ArrayList<>();
  private boolean shared;

  int slotOf(AttributePath path) {
    Integer slot = slots.get(path);
    if (slot != null) {
      shared = true;
      uses.set(slot, uses.get(slot) + 1);
      return slot;
    }
    slots.put(path, slots.size());
    uses.add(1);
    return slots.size() - 1;
  }

  /** How many attribute tests read {@code slot}. */
  int uses(int slot) {
    return uses.get(slot);
  }

  /** Whether some path was bound more than once. */
  boolean shared() {
    return shared;
  }

  AttributePath[] paths() {
    return slots.keySet().toArray(new AttributePath[0]);
  }
}
