package dev.opagent.rules.condition;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An immutable map from texts to condition indexes: open addressing over interned keys, compared by
 * identity first, so that a lookup costs one probe and no node indirection. Immutable and
 * thread-safe.
 */
final class TextIndex {
  private final String[] keys;
  private final int[][] values;
  private final int mask;

  TextIndex(Map<String, int[]> entries) {
    int capacity = Integer.highestOneBit(Math.max(2, entries.size() * 2) - 1) << 1;
    keys = new String[capacity];
    values = new int[capacity][];
    mask = capacity - 1;
    entries.forEach(
        (k, v) -> {
          int i = spread(k.hashCode()) & mask;
          while (keys[i] != null) {
            i = (i + 1) & mask;
          }
          keys[i] = k.intern();
          values[i] = v;
        });
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  /** The indexes stored for {@code text}, or null. */
  int @Nullable [] get(String text) {
    int i = spread(text.hashCode()) & mask;
    String k;
    while ((k = keys[i]) != null) {
      if (k == text || k.equals(text)) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    return null;
  }
}
