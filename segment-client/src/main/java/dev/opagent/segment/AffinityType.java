package dev.opagent.segment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.opagent.segment.internal.wire.LabelRegistry;
import java.util.List;
import java.util.Objects;

/**
 * How the customer's top category relates to regional trends (the agent's {@code affinityType}).
 *
 * <p>An open enumeration (see {@link SegmentLabel}): unknown wire values are kept, never rejected.
 * Immutable and thread-safe.
 *
 * @param wireValue the exact value on the wire
 */
public record AffinityType(String wireValue) implements SegmentLabel {
  private static final LabelRegistry<AffinityType> KNOWN = LabelRegistry.of(AffinityType::new);

  /** The top category is the region's trend (wire value {@code TrendFollower}). */
  public static final AffinityType TREND_FOLLOWER = KNOWN.add("TREND_FOLLOWER", "TrendFollower");

  /** The top category holds at least 60% of spend (wire value {@code CategoryFocused}). */
  public static final AffinityType CATEGORY_FOCUSED =
      KNOWN.add("CATEGORY_FOCUSED", "CategoryFocused");

  /** Spend spread over categories (wire value {@code Mixed}). */
  public static final AffinityType MIXED = KNOWN.add("MIXED", "Mixed");

  /** No purchases yet (wire value {@code None}). */
  public static final AffinityType NONE = KNOWN.add("NONE", "None");

  /** Creates a label; prefer {@link #of(String)}, which returns the shared constant when known. */
  public AffinityType {
    Objects.requireNonNull(wireValue, "wireValue");
  }

  /** The constant for {@code wireValue} when known, else a label that keeps it untouched. */
  @JsonCreator
  public static AffinityType of(String wireValue) {
    return KNOWN.of(wireValue);
  }

  /** The constants the SDK knows, in declaration order. */
  public static List<AffinityType> knownValues() {
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
