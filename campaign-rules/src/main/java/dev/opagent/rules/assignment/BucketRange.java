package dev.opagent.rules.assignment;

/**
 * A half-open range {@code [start, end)} of hash values assigned to one variation. Immutable and
 * thread-safe.
 */
public record BucketRange(double start, double end) {

  /** Whether {@code n} falls in the range: {@code start <= n < end}. */
  public boolean contains(double n) {
    return n >= start && n < end;
  }
}
