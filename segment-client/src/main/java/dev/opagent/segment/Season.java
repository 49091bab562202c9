package dev.opagent.segment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.opagent.segment.internal.wire.LabelRegistry;
import java.util.List;
import java.util.Objects;

/**
 * The season the request is made in (the payload's {@code currentSeason}).
 *
 * <p>An open enumeration (see {@link SegmentLabel}): unknown wire values are kept, never rejected.
 * Immutable and thread-safe.
 *
 * @param wireValue the exact value on the wire
 */
public record Season(String wireValue) implements SegmentLabel {
  private static final LabelRegistry<Season> KNOWN = LabelRegistry.of(Season::new);

  /** Winter (wire value {@code Winter}). */
  public static final Season WINTER = KNOWN.add("WINTER", "Winter");

  /** Spring (wire value {@code Spring}). */
  public static final Season SPRING = KNOWN.add("SPRING", "Spring");

  /** Summer (wire value {@code Summer}). */
  public static final Season SUMMER = KNOWN.add("SUMMER", "Summer");

  /** Autumn (wire value {@code Autumn}). */
  public static final Season AUTUMN = KNOWN.add("AUTUMN", "Autumn");

  /** Creates a label; prefer {@link #of(String)}, which returns the shared constant when known. */
  public Season {
    Objects.requireNonNull(wireValue, "wireValue");
  }

  /** The constant for {@code wireValue} when known, else a label that keeps it untouched. */
  @JsonCreator
  public static Season of(String wireValue) {
    return KNOWN.of(wireValue);
  }

  /** The constants the SDK knows, in declaration order. */
  public static List<Season> knownValues() {
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
