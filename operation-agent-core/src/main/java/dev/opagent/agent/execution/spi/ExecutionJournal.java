package dev.opagent.agent.execution.spi;

import dev.opagent.agent.execution.ActionRequest;
import dev.opagent.agent.execution.DeliveryReceipt;
import dev.opagent.agent.execution.ExecutionRecord;
import dev.opagent.agent.execution.ExecutionState;
import dev.opagent.agent.execution.RunState;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The durable record of every action's lifecycle (the outbox). Implementations must be
 * thread-safe and every method atomic; several executors, in one process or many, may share one
 * journal, and {@link #claim} guarantees that only one of them executes an action at a time.
 * {@code InMemoryExecutionJournal} is for tests and single-process hosts that need no durability;
 * {@code JdbcExecutionJournal} keeps the journal in PostgreSQL or H2.
 *
 * <p>Transitions: {@link #enlist} creates {@code PENDING}; {@link #claim} moves {@code PENDING}
 * (or {@code EXECUTING} whose lease expired) to {@code EXECUTING}; {@link #complete} and
 * {@link #fail} end an owner's claim; {@link #cancel} withdraws a pending action;
 * {@link #recover} hands a dead process's {@code EXECUTING} work back as {@code PENDING}. A
 * transition that does not apply (wrong state, another owner) changes nothing and returns false
 * or empty.
 */
public interface ExecutionJournal extends AutoCloseable {

  /**
   * Journals each request as {@code PENDING} unless its idempotency key is already journalled.
   *
   * @return for each request, in order, the record now in the journal under its key: the new
   *     pending one, or the existing one (which may belong to another run)
   */
  List<ExecutionRecord> enlist(List<ActionRequest> requests, Instant now);

  /**
   * Claims an action for execution by {@code owner} until {@code leaseUntil}: succeeds when it is
   * {@code PENDING}, or {@code EXECUTING} with a lease that ended before {@code now}.
   *
   * @return the claimed record ({@code EXECUTING}, owned by {@code owner}); empty when another
   *     executor holds it, it is terminal, or the key is unknown
   */
  Optional<ExecutionRecord> claim(String key, String owner, Instant now, Instant leaseUntil);

  /**
   * Claims each of {@code keys} for {@code owner} as {@link #claim} does, in as few round trips
   * as the journal can (the JDBC journal: one transaction per call). The default claims them one
   * by one.
   *
   * @return the keys {@code owner} holds afterwards, a subset of {@code keys}
   */
  default Set<String> claimAll(List<String> keys, String owner, Instant now,
      Instant leaseUntil) {
    Set<String> claimed = new HashSet<>();
    for (String key : keys) {
      if (claim(key, owner, now, leaseUntil).isPresent()) {
        claimed.add(key);
      }
    }
    return claimed;
  }

  /**
   * Completes each claimed action as {@link #complete} does, in as few round trips as the
   * journal can (the JDBC journal: one transaction per call, so one commit and, in a syncing
   * store, one flush to the disk for the whole group). The default completes them one by one.
   *
   * @return for each completion, in order, false when {@code owner} no longer held the claim
   */
  default boolean[] completeAll(List<Completion> completions, String owner, Instant now) {
    boolean[] done = new boolean[completions.size()];
    for (int i = 0; i < done.length; i++) {
      Completion c = completions.get(i);
      done[i] = complete(c.key(), owner, c.receipt(), now);
    }
    return done;
  }

  /**
   * One delivered action to complete: its key and its receipt.
   *
   * @param key the idempotency key
   * @param receipt the channel's receipt
   */
  record Completion(String key, DeliveryReceipt receipt) {
    public Completion {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(receipt, "receipt");
    }
  }

  /**
   * Records a delivery attempt of a claimed action that failed and will be retried.
   *
   * @return false when {@code owner} no longer holds the claim
   */
  boolean attemptFailed(String key, String owner, String error, Instant now);

  /**
   * Marks a claimed action {@code COMPLETED} with its receipt, counting the successful attempt.
   *
   * @return false when {@code owner} no longer holds the claim
   */
  boolean complete(String key, String owner, DeliveryReceipt receipt, Instant now);

  /**
   * Marks a claimed action {@code FAILED} after its last attempt.
   *
   * @return false when {@code owner} no longer holds the claim
   */
  boolean fail(String key, String owner, String error, Instant now);

  /**
   * Withdraws a {@code PENDING} action.
   *
   * @return false when it is not pending
   */
  boolean cancel(String key, String reason, Instant now);

  /**
   * Hands every {@code EXECUTING} action of {@code runId} back as {@code PENDING}, whoever holds
   * it. Call only when the process that claimed them is known to be gone (a restart of the same
   * round); otherwise wait for their leases to end.
   *
   * @return how many were handed back
   */
  int recover(String runId, Instant now);

  /** The record under {@code key}, if any. */
  Optional<ExecutionRecord> find(String key);

  /** Every record of {@code runId}, oldest first. */
  List<ExecutionRecord> records(String runId);

  /** The records of {@code runId} that are not terminal, oldest first. */
  List<ExecutionRecord> unfinished(String runId);

  /** How many records of {@code runId} are in each state (states with none are absent). */
  Map<ExecutionState, Long> counts(String runId);

  /** Records where round {@code runId} is. */
  void runState(String runId, RunState state, Instant now);

  /** Where round {@code runId} is; empty for a round never started on this journal. */
  Optional<RunState> runState(String runId);

  /** Releases connections. Default: nothing to release. */
  @Override
  default void close() {}
}
