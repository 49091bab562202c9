package dev.opagent.agent.budget;

import java.math.BigDecimal;

/** The outcome of {@link BudgetLedger#reserve}. Immutable and thread-safe. */
public sealed interface ReserveResult {

  /** Whether the money was set aside. */
  default boolean isReserved() {
    return this instanceof Reserved;
  }

  /** The money is set aside. */
  record Reserved(Reservation reservation) implements ReserveResult {}

  /**
   * The amount does not fit; nothing was reserved.
   *
   * @param scope the limit that binds
   * @param available what was left in that scope
   * @param requested what was asked for
   */
  record Insufficient(BudgetScope scope, BigDecimal available, BigDecimal requested)
      implements ReserveResult {}
}
