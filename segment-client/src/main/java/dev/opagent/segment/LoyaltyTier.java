package dev.opagent.segment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.opagent.segment.internal.wire.LabelRegistry;
import java.util.List;
import java.util.Objects;

/**
 * Loyalty tier by order count and tenure (the agent's {@code loyaltyTier}).
 *
 * <p>An open enumeration (see {@link SegmentLabel}): unknown wire values are kept, never rejected.
 * Immutable and thread-safe.
 *
 * @param wireValue the exact value on the wire
 */
public record LoyaltyTier(String wireValue) implements SegmentLabel {
  private static final LabelRegistry<LoyaltyTier> KNOWN = LabelRegistry.of(LoyaltyTier::new);

  /** At least 24 orders and 12 months of tenure (wire value {@code Platin}). */
  public static final LoyaltyTier PLATINUM = KNOWN.add("PLATINUM", "Platin");

  /** At least 12 orders (wire value {@code Altın}). */
  public static final LoyaltyTier GOLD = KNOWN.add("GOLD", "Altın");

  /** At least 4 orders (wire value {@code Gümüş}). */
  public static final LoyaltyTier SILVER = KNOWN.add("SILVER", "Gümüş");

  /** Fewer than 4 orders (wire value {@code Bronz}). */
  public static final LoyaltyTier BRONZE = KNOWN.add("BRONZE", "Bronz");

  /** Creates a label; prefer {@link #of(String)}, which returns the shared constant when known. */
  public LoyaltyTier {
    Objects.requireNonNull(wireValue, "wireValue");
  }

  /** The constant for {@code wireValue} when known, else a label that keeps it untouched. */
  @JsonCreator
  public static LoyaltyTier of(String wireValue) {
    return KNOWN.of(wireValue);
  }

  /** The constants the SDK knows, in declaration order. */
  public static List<LoyaltyTier> knownValues() {
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
