package dev.opagent.agent.loop;

import java.time.Instant;

/**
 * Keeps the report of each round an {@link OperationAgent} planned, where the people running the
 * loop can read it later: how many customers came in, how many each campaign found eligible, what
 * the guardrails chose, deferred and blocked, and why. An {@link
 * OperationAgent.Builder#operatingState operating state} that also implements this interface (the
 * operating store's does) is told of every round it took part in; nothing else is needed to wire
 * it.
 *
 * <p>Called on the thread that ran the round, after delivery, once per round that segmented and
 * decided customers (not for a resumed round that only delivered what was already planned). An
 * exception it throws is logged (its class only) and does not fail the round.
 */
public interface RoundRecorder {

  /**
   * Records {@code report}, of a round that finished at {@code finishedAt} by the agent's clock; a
   * later report of the same run (a resumed round) replaces it.
   */
  void recordRound(RoundReport report, Instant finishedAt);
}
