package dev.opagent.agent.strategy;

/**
 * A discount offered with a strategy. Immutable and thread-safe. In campaign rules it becomes a
 * {@code create_discount} action with {@code discount} and {@code expiry_days}.
 *
 * @param discount the share off the order, {@code 0 < discount < 1} (0.15 is 15% off)
 * @param expiryDays days the discount is valid, positive
 */
public record Offer(double discount, int expiryDays) {

  /** Checks the values. */
  public Offer {
    if (!(discount > 0 && discount < 1)) {
      throw new IllegalArgumentException(
          "discount must be between 0 and 1 (exclusive) but was " + discount);
    }
    if (expiryDays <= 0) {
      throw new IllegalArgumentException("expiryDays must be positive but was " + expiryDays);
    }
  }
}
