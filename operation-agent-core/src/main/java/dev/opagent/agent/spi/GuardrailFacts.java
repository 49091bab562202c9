package dev.opagent.agent.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The facts the guardrails of a live decision check, as a shared store holds them for the batch of
 * customers being decided: contacts, money in use and executions per day. The engine asks through
 * {@code DecisionRun#against(GuardrailFacts)}; every answer must already include what other
 * processes reserved or spent, so that a cap, budget or limit holds across them. Used from the
 * deciding thread only.
 */
public interface GuardrailFacts {

  /**
   * The customer's contacts at or after {@code since} that are reserved (journalled, not yet
   * delivered) or delivered; failed and cancelled actions are not contacts. Older ones may be
   * included (the engine filters by time).
   */
  List<Contact> contactsSince(String customerId, Instant since);

  /**
   * Money of {@code campaign} (or of every campaign when null) that is reserved by journalled
   * actions or spent by delivered ones, in the budget currency. Asked only for budgets with a
   * limit.
   */
  BigDecimal budgetInUse(@Nullable String campaign);

  /**
   * How many actions counting against the daily limit of {@code actionType} (as the action's type
   * or an attachment's) were decided in {@code [from, until)} and are reserved or delivered.
   */
  long executions(String actionType, Instant from, Instant until);
}
