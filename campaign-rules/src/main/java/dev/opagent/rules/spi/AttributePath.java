package dev.opagent.rules.spi;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A dot-separated attribute path ({@code segments.churnSegment}, {@code customer.age}), split into
 * its segments once when a condition is compiled. Immutable and thread-safe.
 *
 * <p>Segments are separated by {@code .}; a numeric segment also indexes into an array ({@code
 * segments.missingRegulars.0.productId}), as in GrowthBook. Paths cannot contain empty segments.
 *
 * <p>Paths are canonical: {@link #of(String)} returns the same instance for the same text, so an
 * {@link Attributes} implementation can recognise the paths it serves by identity, comparing with
 * {@code ==} against its own constants (see {@link Attributes}). Like interned strings, canonical
 * paths are kept for the life of the class loader; they come from conditions and host code, not
 * from customer data.
 */
public final class AttributePath {
  private static final ConcurrentHashMap<String, AttributePath> CANONICAL =
      new ConcurrentHashMap<>();

  private final String text;
  private final String[] segments;
  private final List<String> segmentList;

  private AttributePath(String text, String[] segments) {
    this.text = text;
    this.segments = segments;
    this.segmentList = List.of(segments);
  }

  /**
   * The path of a dot text: the same instance for equal texts.
   *
   * @throws IllegalArgumentException if the path is empty or has an empty segment
   */
  public static AttributePath of(String text) {
    AttributePath known = CANONICAL.get(text);
    if (known != null) {
      return known;
    }
    AttributePath parsed = parse(text);
    AttributePath raced = CANONICAL.putIfAbsent(parsed.text, parsed);
    return raced != null ? raced : parsed;
  }

  private static AttributePath parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("attribute path must not be empty");
    }
    String[] parts = text.split("\\.", -1);
    for (String part : parts) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException(
            "attribute path must not have empty segments but was '" + text + "'");
      }
    }
    // Interned, so that lookups in maps keyed by string constants (Map.of("segments", …), Jackson's
    // interned field names) and hosts' switches on text() compare by identity first.
    for (int i = 0; i < parts.length; i++) {
      parts[i] = parts[i].intern();
    }
    return new AttributePath(text.intern(), parts);
  }

  /** The path as written, for example {@code segments.churnSegment}. */
  public String text() {
    return text;
  }

  /** Number of segments (at least one). */
  public int size() {
    return segments.length;
  }

  /** The segment at {@code index}, without allocating. */
  public String segment(int index) {
    return segments[index];
  }

  /** The segments as an unmodifiable list. */
  public List<String> segments() {
    return segmentList;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof AttributePath other && text.equals(other.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
