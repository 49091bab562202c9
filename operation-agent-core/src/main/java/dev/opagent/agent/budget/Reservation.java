package dev.opagent.agent.budget;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Money set aside for one planned action until it is committed (spent) or released. Immutable and
 * thread-safe.
 *
 * @param id the id to commit or release with
 * @param campaign the campaign it is charged to
 * @param units the amount in ten-thousandths of the currency unit ({@link BudgetLedger#SCALE})
 * @param at when it was made
 */
public record Reservation(long id, String campaign, long units, Instant at) {

  /** The amount reserved. */
  public BigDecimal amount() {
    return BigDecimal.valueOf(units, BudgetLedger.SCALE);
  }
}
