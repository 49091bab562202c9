package dev.opagent.segment;

/**
 * A segment label as the agent sends it: an open enumeration.
 *
 * <p>Each label type ({@link ChurnSegment}, {@link ValueSegment}, {@link LoyaltyTier}, {@link
 * DiversityProfile}, {@link AffinityType}, {@link AgeSegment}) declares English constants for the
 * values the SDK knows and keeps the agent's wire value (often Turkish, such as {@code Riskli}). A
 * value the SDK does not know is kept as-is: {@link #isKnown()} is then {@code false} and {@link
 * #name()} returns the wire value. Implementations are immutable and thread-safe; two labels are
 * equal when their wire values are equal.
 */
public interface SegmentLabel {

  /** The exact value on the wire, for example {@code Ilık}. */
  String wireValue();

  /** The English constant name (for example {@code WARM}), or the wire value when unknown. */
  String name();

  /** Whether this value is one of the constants the SDK knows. */
  boolean isKnown();
}
