package dev.opagent.segment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.opagent.segment.internal.wire.LabelRegistry;
import java.util.List;
import java.util.Objects;

/**
 * How many product categories the customer buys (the agent's {@code diversityProfile}).
 *
 * <p>An open enumeration (see {@link SegmentLabel}): unknown wire values are kept, never rejected.
 * Immutable and thread-safe.
 *
 * @param wireValue the exact value on the wire
 */
public record DiversityProfile(String wireValue) implements SegmentLabel {
  private static final LabelRegistry<DiversityProfile> KNOWN =
      LabelRegistry.of(DiversityProfile::new);

  /** Three or more categories (wire value {@code Kaşif}). */
  public static final DiversityProfile EXPLORER = KNOWN.add("EXPLORER", "Kaşif");

  /** Two categories (wire value {@code Dengeli}). */
  public static final DiversityProfile BALANCED = KNOWN.add("BALANCED", "Dengeli");

  /** One category (wire value {@code Sadık}). */
  public static final DiversityProfile FOCUSED = KNOWN.add("FOCUSED", "Sadık");

  /** No purchases yet (wire value {@code Yeni}). */
  public static final DiversityProfile NEW = KNOWN.add("NEW", "Yeni");

  /** Creates a label; prefer {@link #of(String)}, which returns the shared constant when known. */
  public DiversityProfile {
    Objects.requireNonNull(wireValue, "wireValue");
  }

  /** The constant for {@code wireValue} when known, else a label that keeps it untouched. */
  @JsonCreator
  public static DiversityProfile of(String wireValue) {
    return KNOWN.of(wireValue);
  }

  /** The constants the SDK knows, in declaration order. */
  public static List<DiversityProfile> knownValues() {
    return KNOWN.values();
  }

  @Override
  @JsonValue
  public String wireValue() {
    return wireValue;
  }

  @Override
  public String name() {
    return KNOWN.nameOf(this, wireValue);
  }

  @Override
  public boolean isKnown() {
    return KNOWN.isKnown(this);
  }

  @Override
  public String toString() {
    return wireValue;
  }
}
