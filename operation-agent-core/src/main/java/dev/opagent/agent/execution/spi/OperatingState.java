package dev.opagent.agent.execution.spi;

import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.spi.GuardrailFacts;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Operating state shared by every process that decides and executes with it: the journal is the
 * ledger, so the contacts, money and daily executions the guardrails check are the journalled
 * actions themselves. {@code OperationAgent} decides customers in batches through {@link #inBatch};
 * implementations make each batch atomic with respect to every other batch of every process:
 * nothing another process decides can slip between reading the facts and journalling the actions
 * chosen from them. Implementations must be thread-safe.
 *
 * <p>The operating store ({@code dev.opagent.store.OperatingStore}) implements it on H2 and
 * PostgreSQL.
 */
public interface OperatingState {

  /**
   * Runs {@code work} for the customers of {@code customerIds} decided at {@code now} under {@code
   * policy}, and journals what it enlists, atomically. {@code work} may run more than once (when
   * the database gives up a transaction on a deadlock or a lock timeout): it must keep its effects
   * in what it returns.
   *
   * @return what {@code work} returned
   */
  <T> T inBatch(
      Collection<String> customerIds, DecisionPolicy policy, Instant now, Function<Batch, T> work);

  /** One batch's facts and its way into the journal, valid only inside {@link #inBatch}. */
  interface Batch extends GuardrailFacts {

    /**
     * Journals the chosen actions as {@code PENDING} in the batch's transaction, with what they
     * reserve (money, a contact slot, execution slots).
     *
     * @param requests the requests, one per chosen action
     * @param chosen the chosen action of each request, in the same order
     * @return for each request, in order, the record now in the journal under its key
     */
    List<ExecutionRecord> enlist(List<ActionRequest> requests, List<PlannedAction> chosen);
  }
}
