package dev.opagent.rules.attributes;

import dev.opagent.rules.internal.Values;
import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Attributes over a tree of JSON-like Java values ({@code Map<String, ?>}, {@code List}, {@code
 * String}, {@code Number}, {@code Boolean}, {@code null}, or Jackson nodes anywhere inside). The
 * map is not copied: thread-safe as long as nobody modifies it during evaluations. Lookups do not
 * allocate.
 *
 * <pre>{@code
 * Attributes a = MapAttributes.of(Map.of("segments", Map.of("churnSegment", "Riskli")));
 * }</pre>
 */
public final class MapAttributes implements Attributes {
  private final Map<String, ?> root;

  private MapAttributes(Map<String, ?> root) {
    this.root = root;
  }

  public static MapAttributes of(Map<String, ?> root) {
    return new MapAttributes(root);
  }

  @Override
  public @Nullable Object get(AttributePath path) {
    return Values.getPath(root, path);
  }

  /** The underlying map. */
  public Map<String, ?> asMap() {
    return root;
  }

  @Override
  public String toString() {
    return "MapAttributes" + root;
  }
}
