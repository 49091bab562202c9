package dev.opagent.agent.strategy;

import java.math.BigDecimal;

/**
 * Money assumptions of a template, in the host's currency. Immutable and thread-safe. A campaign
 * costs something: {@code costPerContact} and {@code fixedCost} are not both zero, so ROI is always
 * defined.
 *
 * @param averageOrderValue revenue of one converted order before any discount, positive
 * @param costPerContact cost of reaching one customer over all the plan's channels, not negative
 * @param fixedCost one-off cost of running the campaign (creative, set-up), not negative
 */
public record Economics(
    BigDecimal averageOrderValue, BigDecimal costPerContact, BigDecimal fixedCost) {

  /** Checks the values. */
  public Economics {
    if (averageOrderValue.signum() <= 0) {
      throw new IllegalArgumentException(
          "averageOrderValue must be positive but was " + averageOrderValue.toPlainString());
    }
    if (costPerContact.signum() < 0) {
      throw new IllegalArgumentException(
          "costPerContact must not be negative but was " + costPerContact.toPlainString());
    }
    if (fixedCost.signum() < 0) {
      throw new IllegalArgumentException(
          "fixedCost must not be negative but was " + fixedCost.toPlainString());
    }
    if (costPerContact.signum() == 0 && fixedCost.signum() == 0) {
      throw new IllegalArgumentException(
          "costPerContact and fixedCost must not both be zero (ROI needs a cost)");
    }
  }
}
