package dev.opagent.segment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.opagent.segment.internal.wire.LabelRegistry;
import java.util.List;
import java.util.Objects;

/**
 * Age band (the agent's {@code ageSegment}).
 *
 * <p>An open enumeration (see {@link SegmentLabel}): unknown wire values are kept, never rejected.
 * Immutable and thread-safe.
 *
 * @param wireValue the exact value on the wire
 */
public record AgeSegment(String wireValue) implements SegmentLabel {
  private static final LabelRegistry<AgeSegment> KNOWN = LabelRegistry.of(AgeSegment::new);

  /** 18 to 24 years (wire value {@code 18-24}). */
  public static final AgeSegment AGE_18_24 = KNOWN.add("AGE_18_24", "18-24");

  /** 25 to 34 years (wire value {@code 25-34}). */
  public static final AgeSegment AGE_25_34 = KNOWN.add("AGE_25_34", "25-34");

  /** 35 to 44 years (wire value {@code 35-44}). */
  public static final AgeSegment AGE_35_44 = KNOWN.add("AGE_35_44", "35-44");

  /** 45 to 54 years (wire value {@code 45-54}). */
  public static final AgeSegment AGE_45_54 = KNOWN.add("AGE_45_54", "45-54");

  /** 55 years and older (wire value {@code 55+}). */
  public static final AgeSegment AGE_55_PLUS = KNOWN.add("AGE_55_PLUS", "55+");

  /** Age unknown or under 18 (wire value {@code Unknown}). */
  public static final AgeSegment UNKNOWN = KNOWN.add("UNKNOWN", "Unknown");

  /** Creates a label; prefer {@link #of(String)}, which returns the shared constant when known. */
  public AgeSegment {
    Objects.requireNonNull(wireValue, "wireValue");
  }

  /** The constant for {@code wireValue} when known, else a label that keeps it untouched. */
  @JsonCreator
  public static AgeSegment of(String wireValue) {
    return KNOWN.of(wireValue);
  }

  /** The constants the SDK knows, in declaration order. */
  public static List<AgeSegment> knownValues() {
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
