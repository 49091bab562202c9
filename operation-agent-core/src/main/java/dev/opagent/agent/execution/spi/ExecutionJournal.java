package dev.opagent.agent.execution.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The durable record of every action's lifecycle (the outbox). Implementations must be thread-safe
 * and every method atomic; several executors, in one process or many, may share one journal, and
 * {@link #claim} guarantees that only one of them executes an action at a time. {@code
 * InMemoryExecutionJournal} is for tests and single-process hosts that need no durability; {@code
 * JdbcExecutionJournal} keeps the journal in PostgreSQL or H2.
 *
 * <p>Transitions: {@link #enlist} creates {@code PENDING}; {@link #claim} moves {@code PENDING} (or
 * {@code EXECUTING} whose lease expired) to {@code EXECUTING}; {@link #complete} and {@link #fail}
 * end an owner's claim; {@link #renew} extends it; {@link #cancel} withdraws a pending action;
 * {@link #recover} hands {@code EXECUTING} work whose lease ended back as {@code PENDING}. A
 * transition that does not apply (wrong state, another owner, a live lease) changes nothing and
 * returns false or empty.
 *
 * <p>Leases: a claim lasts until its lease ends unless its owner {@link #renew renews} it; once it
 * has ended, any executor may claim the action again. A journal may judge "ended" by its own clock
 * rather than the {@code now} it is given (the JDBC journal can use the database's clock, so that
 * executors whose clocks disagree still agree on leases); it then keeps the length of the lease
 * ({@code leaseUntil - now}) and starts it at its own time.
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
   * Claims each of {@code keys} for {@code owner} as {@link #claim} does, in as few round trips as
   * the journal can (the JDBC journal: one transaction per call). The default claims them one by
   * one.
   *
   * @return the keys {@code owner} holds afterwards, a subset of {@code keys}
   */
  default Set<String> claimAll(List<String> keys, String owner, Instant now, Instant leaseUntil) {
    Set<String> claimed = new HashSet<>();
    for (String key : keys) {
      if (claim(key, owner, now, leaseUntil).isPresent()) {
        claimed.add(key);
      }
    }
    return claimed;
  }

  /**
   * Completes each claimed action as {@link #complete} does, in as few round trips as the journal
   * can (the JDBC journal: one transaction per call, so one commit and, in a syncing store, one
   * flush to the disk for the whole group). The default completes them one by one.
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
   * Extends {@code owner}'s claim of {@code key} until {@code leaseUntil}, while {@code owner}
   * still holds it. An executor renews before each delivery attempt and on a heartbeat, so that a
   * live executor keeps its work however long retries take, while a dead one's work is taken over
   * once its short lease ends.
   *
   * @return false when {@code owner} no longer holds the claim (it must not deliver)
   */
  boolean renew(String key, String owner, Instant now, Instant leaseUntil);

  /**
   * Renews each of {@code keys} as {@link #renew} does, in as few round trips as the journal can
   * (the JDBC journal: one transaction). The default renews them one by one.
   *
   * @return the keys {@code owner} still holds, a subset of {@code keys}
   */
  default Set<String> renewAll(
      Collection<String> keys, String owner, Instant now, Instant leaseUntil) {
    Set<String> held = new HashSet<>();
    for (String key : keys) {
      if (renew(key, owner, now, leaseUntil)) {
        held.add(key);
      }
    }
    return held;
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
   * Hands the {@code EXECUTING} actions of {@code runId} whose lease ended before {@code now} back
   * as {@code PENDING}. An action whose owner still renews its lease is never taken: that executor
   * is alive and still working on it.
   *
   * @return how many were handed back
   */
  int recover(String runId, Instant now);

  /** The record under {@code key}, if any. */
  Optional<ExecutionRecord> find(String key);

  /**
   * The runs whose state is {@code PLANNING} or {@code PLANNED}: those that may still have
   * unfinished actions (an abandoned round stays here until its actions are finished or cancelled).
   */
  List<String> openRuns();

  /** Every record of {@code runId}, oldest first. */
  List<ExecutionRecord> records(String runId);

  /** The records of {@code runId} that are not terminal, oldest first. */
  List<ExecutionRecord> unfinished(String runId);

  /**
   * One page of the records of {@code runId} that are not terminal: at most {@code limit} of them
   * whose idempotency key sorts after {@code afterKey} (from the first when null), in the order of
   * their keys. Pass the last key of a page to get the next one; an empty page ends the pass. A
   * pass visits each key at most once, however records are finished or enlisted meanwhile: a record
   * enlisted during a pass is in it only when its key sorts after the page last read. Keys are
   * ordered as the journal stores them (the database's order of strings for the JDBC journal),
   * consistently from page to page.
   *
   * <p>The default filters {@link #unfinished} and so reads the whole run for every page; journals
   * of large runs override it with a query that reads one page.
   *
   * @param limit the most records to return, at least 1
   * @throws IllegalArgumentException if {@code limit} is below 1
   */
  default List<ExecutionRecord> unfinishedAfter(
      String runId, @Nullable String afterKey, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
    return unfinished(runId).stream()
        .filter(r -> afterKey == null || r.key().compareTo(afterKey) > 0)
        .sorted(Comparator.comparing(ExecutionRecord::key))
        .limit(limit)
        .toList();
  }

  /**
   * One page of the records of {@code customerId} that are still {@link ExecutionState#PENDING}, in
   * every run: at most {@code limit} of them whose key sorts after {@code afterKey} (from the first
   * when null), in the order of their keys; pass the last key of a page for the next one. These are
   * the actions an event may still cancel before they are delivered (a purchase before the cart
   * reminder is due), with {@link #cancel}.
   *
   * <p>The default filters the {@link #unfinished} records of every {@link #openRuns() open run},
   * so it reads every open run whole and misses records of runs whose state was never recorded; the
   * JDBC journal overrides it with one query along an index on the customer.
   *
   * @param limit the most records to return, at least 1
   * @throws IllegalArgumentException if {@code limit} is below 1
   */
  default List<ExecutionRecord> pendingFor(
      String customerId, @Nullable String afterKey, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
    return openRuns().stream()
        .flatMap(run -> unfinished(run).stream())
        .filter(r -> r.state() == ExecutionState.PENDING)
        .filter(r -> r.request().customerId().equals(customerId))
        .filter(r -> afterKey == null || r.key().compareTo(afterKey) > 0)
        .sorted(Comparator.comparing(ExecutionRecord::key))
        .limit(limit)
        .toList();
  }

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
