package dev.opagent.rules.assignment;

/**
 * A slice {@code [start, end)} of a named namespace, so that mutually exclusive experiments can
 * share one population. Immutable and thread-safe.
 *
 * @param id namespace id; experiments with the same id and disjoint ranges never share a unit
 * @param start inclusive lower bound in {@code [0, 1]}
 * @param end exclusive upper bound in {@code [0, 1]}
 */
public record Namespace(String id, double start, double end) {

  public Namespace {
    if (id.isEmpty()) {
      throw new IllegalArgumentException("namespace id must not be empty");
    }
    if (!(start >= 0 && start <= end && end <= 1)) {
      throw new IllegalArgumentException(
          "namespace range must satisfy 0 <= start <= end <= 1 but was ["
              + start
              + ", "
              + end
              + ")");
    }
  }

  /** Whether {@code unitId} falls in this slice, as GrowthBook's {@code inNamespace}. */
  public boolean contains(String unitId) {
    return Buckets.inNamespace(unitId, id, start, end);
  }
}
