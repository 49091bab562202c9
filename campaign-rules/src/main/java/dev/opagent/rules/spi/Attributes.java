package dev.opagent.rules.spi;

import org.jspecify.annotations.Nullable;

/**
 * A read-only view of one customer's attributes, looked up by pre-compiled {@link AttributePath}s.
 * Implementations must be safe to read from the thread that evaluates a condition; the library never
 * writes to them and never retains them after an evaluation returns. Implementations shipped with the
 * library ({@code MapAttributes}, {@code JsonNodeAttributes}, {@code CustomerView}) are immutable and
 * thread-safe.
 *
 * <p>Values are JSON-like Java objects: {@link String} (any {@link CharSequence} or {@link Enum} is
 * read as its text), {@link Number} ({@code Integer}, {@code Long}, {@code Double},
 * {@code BigDecimal}, …), {@link Boolean}, {@link java.util.List} (JSON array), {@link java.util.Map}
 * with {@code String} keys (JSON object), a Jackson {@code JsonNode} of any of these kinds, or
 * {@code null} for JSON null. A path that leads nowhere must return {@link #ABSENT}, so that
 * explanations can tell "present but null" from "missing". Conditions themselves treat both alike,
 * as GrowthBook's targeting does.
 *
 * <p>Lookups sit on the evaluation hot path: an implementation should not allocate. Resolve the path
 * with {@link AttributePath#segment(int)} rather than by re-splitting {@link AttributePath#text()}.
 *
 * <pre>{@code
 * Attributes attrs = path -> switch (path.text()) {
 *   case "segments.churnSegment" -> analysis.churnSegment();
 *   case "customer.age" -> customer.age();
 *   default -> Attributes.ABSENT;
 * };
 * }</pre>
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
   * Returns the value at {@code path}: a JSON-like value, {@code null} for JSON null, or
   * {@link #ABSENT} when the path leads nowhere.
   */
  @Nullable Object get(AttributePath path);
}
