package dev.opagent.agent.strategy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A group of similar customers, as a clustering produces it: its size and an attribute summary
 * (each attribute's representative value for the cluster). Immutable and thread-safe.
 *
 * <p>Attributes are keyed by the attribute paths campaign rules read, for example {@code
 * attributes.purchase_stage → "决策阶段"}, {@code attributes.price_sensitivity → "high"}, {@code
 * segments.churnSegment → "Riskli"}, {@code derived.daysSinceLastPurchase → 95}. A template applies
 * to a cluster when its target condition holds for the summary; a path the summary lacks reads as
 * absent.
 *
 * @param id the cluster's identifier, non-empty
 * @param size customers in the cluster, not negative
 * @param attributes representative values by dotted attribute path (JSON-like values)
 */
public record Cluster(String id, long size, Map<String, @Nullable Object> attributes) {

  /** Checks and copies the values. */
  public Cluster {
    if (id.isEmpty()) {
      throw new IllegalArgumentException("cluster id must not be empty");
    }
    if (size < 0) {
      throw new IllegalArgumentException("cluster size must not be negative but was " + size);
    }
    for (String path : attributes.keySet()) {
      if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
        throw new IllegalArgumentException(
            "cluster attribute path must be dot-separated names but was '" + path + "'");
      }
    }
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /**
   * The attribute summary as the nested document conditions read ({@code {"attributes":
   * {"purchase_stage": …}}}).
   *
   * @throws IllegalArgumentException when one path is a prefix of another ({@code segments} and
   *     {@code segments.churnSegment})
   */
  public Map<String, Object> asDocument() {
    Map<String, Object> root = new LinkedHashMap<>();
    for (Map.Entry<String, @Nullable Object> e : attributes.entrySet()) {
      String[] parts = e.getKey().split("\\.");
      Map<String, Object> node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        Object child = node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        if (!(child instanceof Map)) {
          throw new IllegalArgumentException(
              "cluster " + id + ": attribute path '" + e.getKey() + "' runs through a value");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> next = (Map<String, Object>) child;
        node = next;
      }
      String leaf = parts[parts.length - 1];
      if (node.get(leaf) instanceof Map) {
        throw new IllegalArgumentException(
            "cluster "
                + id
                + ": attribute path '"
                + e.getKey()
                + "' is also the prefix of another path");
      }
      node.put(leaf, e.getValue());
    }
    return root;
  }
}
