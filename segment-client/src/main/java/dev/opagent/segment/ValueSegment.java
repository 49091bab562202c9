package dev.opagent.segment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.opagent.segment.internal.wire.LabelRegistry;
import java.util.List;
import java.util.Objects;

/**
 * Monthly spend relative to the region's median basket (the agent's {@code valueSegment}).
 *
 * <p>An open enumeration (see {@link SegmentLabel}): unknown wire values are kept, never rejected.
 * Immutable and thread-safe.
 *
 * @param wireValue the exact value on the wire
 */
public record ValueSegment(String wireValue) implements SegmentLabel {
  private static final LabelRegistry<ValueSegment> KNOWN = LabelRegistry.of(ValueSegment::new);

  /** At least twice the region's median basket a month (wire value {@code HighValue}). */
  public static final ValueSegment HIGH_VALUE = KNOWN.add("HIGH_VALUE", "HighValue");

  /** At least 0.75 of the median basket a month (wire value {@code MediumValue}). */
  public static final ValueSegment MEDIUM_VALUE = KNOWN.add("MEDIUM_VALUE", "MediumValue");

  /** Some spend, below 0.75 of the median basket (wire value {@code LowValue}). */
  public static final ValueSegment LOW_VALUE = KNOWN.add("LOW_VALUE", "LowValue");

  /** No purchases yet (wire value {@code New}). */
  public static final ValueSegment NEW = KNOWN.add("NEW", "New");

  /** Creates a label; prefer {@link #of(String)}, which returns the shared constant when known. */
  public ValueSegment {
    Objects.requireNonNull(wireValue, "wireValue");
  }

  /** The constant for {@code wireValue} when known, else a label that keeps it untouched. */
  @JsonCreator
  public static ValueSegment of(String wireValue) {
    return KNOWN.of(wireValue);
  }

  /** The constants the SDK knows, in declaration order. */
  public static List<ValueSegment> knownValues() {
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
