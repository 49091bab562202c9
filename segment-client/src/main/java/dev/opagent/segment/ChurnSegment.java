package dev.opagent.segment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.opagent.segment.internal.wire.LabelRegistry;
import java.util.List;
import java.util.Objects;

/**
 * How recently the customer bought relative to their own cadence (the agent's {@code
 * churnSegment}).
 *
 * <p>An open enumeration (see {@link SegmentLabel}): unknown wire values are kept, never rejected.
 * Immutable and thread-safe.
 *
 * @param wireValue the exact value on the wire
 */
public record ChurnSegment(String wireValue) implements SegmentLabel {
  private static final LabelRegistry<ChurnSegment> KNOWN = LabelRegistry.of(ChurnSegment::new);

  /** No purchases yet (wire value {@code Yeni}). */
  public static final ChurnSegment NEW = KNOWN.add("NEW", "Yeni");

  /** Bought within 1.5 cadences (wire value {@code Aktif}). */
  public static final ChurnSegment ACTIVE = KNOWN.add("ACTIVE", "Aktif");

  /** Cooling down: within 3 cadences (wire value {@code Ilık}). */
  public static final ChurnSegment WARM = KNOWN.add("WARM", "Ilık");

  /** At risk of churning: within 6 cadences (wire value {@code Riskli}). */
  public static final ChurnSegment AT_RISK = KNOWN.add("AT_RISK", "Riskli");

  /** Lost: more than 6 cadences (wire value {@code Kayıp}). */
  public static final ChurnSegment LOST = KNOWN.add("LOST", "Kayıp");

  /** Creates a label; prefer {@link #of(String)}, which returns the shared constant when known. */
  public ChurnSegment {
    Objects.requireNonNull(wireValue, "wireValue");
  }

  /** The constant for {@code wireValue} when known, else a label that keeps it untouched. */
  @JsonCreator
  public static ChurnSegment of(String wireValue) {
    return KNOWN.of(wireValue);
  }

  /** The constants the SDK knows, in declaration order. */
  public static List<ChurnSegment> knownValues() {
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
