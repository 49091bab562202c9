package dev.opagent.rules.spi;

import org.jspecify.annotations.Nullable;

/**
 * A read-only view of one customer's attributes, looked up by pre-compiled {@link AttributePath}s.
 * Implementations must be safe to read from the thread that evaluates a condition; the library
 * never writes to them and never retains them after an evaluation returns. Implementations shipped
 * with the library ({@code MapAttributes}, {@code JsonNodeAttributes}, {@code CustomerView}) are
 * immutable and thread-safe.
 *
 * <p>Values are JSON-like Java objects: {@link String} (any {@link CharSequence} or {@link Enum} is
 * read as its text), {@link Number} ({@code Integer}, {@code Long}, {@code Double}, {@code
 * BigDecimal}, …), {@link Boolean}, {@link java.util.List} (JSON array), {@link java.util.Map} with
 * {@code String} keys (JSON object), a Jackson {@code JsonNode} of any of these kinds, or {@code
 * null} for JSON null. A path that leads nowhere must return {@link #ABSENT}, so that explanations
 * can tell "present but null" from "missing". Conditions themselves treat both alike, as
 * GrowthBook's targeting does.
 *
 * <p>Lookups sit on the evaluation hot path: an implementation should not allocate. Paths are
 * canonical ({@link AttributePath#of(String)} returns one instance per text), so a host serving a
 * fixed set of attributes recognises them by identity, with {@code ==} against its own constants; a
 * generic implementation resolves the path with {@link AttributePath#segment(int)} rather than by
 * re-splitting {@link AttributePath#text()}. A host whose numeric attributes are primitives also
 * overrides {@link #getDouble(AttributePath)}, so that numeric comparisons read them unboxed.
 *
 * <pre>{@code
 * final class CustomerAttributes implements Attributes {
 *   static final AttributePath CHURN_SEGMENT = AttributePath.of("segments.churnSegment");
 *   static final AttributePath AGE = AttributePath.of("customer.age");
 *   private final Analysis analysis;
 *   private final Customer customer;
 *   …
 *   public Object get(AttributePath path) {
 *     if (path == CHURN_SEGMENT) return analysis.churnSegment();
 *     if (path == AGE) return customer.age();
 *     return Attributes.ABSENT;
 *   }
 *
 *   public double getDouble(AttributePath path) {
 *     return path == AGE ? customer.age() : Attributes.super.getDouble(path);
 *   }
 * }
 * }</pre>
 *
 * <p>A lambda over {@code path.text()} ({@code path -> switch (path.text()) { case "customer.age"
 * -> customer.age(); default -> Attributes.ABSENT; }}) works as well, a little slower.
 */
@FunctionalInterface
public interface Attributes {

  /** Returned by {@link #get(AttributePath)} when nothing is found at a path. */
  Object ABSENT = AbsentMarker.INSTANCE;

  /** An attribute view in which every path is {@link #ABSENT}. */
  static Attributes empty() {
    return path -> ABSENT;
  }

  /**
   * Returns the value at {@code path}: a JSON-like value, {@code null} for JSON null, or {@link
   * #ABSENT} when the path leads nowhere.
   */
  @Nullable Object get(AttributePath path);

  /**
   * The value at {@code path} as a number, for numeric comparisons ({@code $gt}, {@code $lt}, …):
   * its {@code double} value when it is a {@link Number}, else {@link Double#NaN}, in which case
   * the library reads {@link #get(AttributePath)} instead. Must agree with {@code get}. The default
   * reads {@code get}; override it to return primitive attributes without boxing them.
   */
  default double getDouble(AttributePath path) {
    return get(path) instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
