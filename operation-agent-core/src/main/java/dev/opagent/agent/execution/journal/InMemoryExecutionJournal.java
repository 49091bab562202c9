package dev.opagent.agent.execution.journal;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.RunState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ExecutionJournal} in the heap, for tests and for single-process hosts that need no
 * durability: what it holds is lost with the process. Thread-safe: every change of one key is one
 * atomic {@link ConcurrentHashMap#compute compute}, so of several executors racing to claim an
 * action exactly one succeeds. An {@link #enlist} batch becomes visible key by key.
 *
 * <p>It follows the same rules as {@link JdbcExecutionJournal}, so that tests written against one
 * hold for the other:
 *
 * <ul>
 *   <li>{@code attempts} counts delivery attempts: {@link #claim} does not count one; {@link
 *       #attemptFailed}, {@link #complete} and {@link #fail} each count one.
 *   <li>{@code owner} and {@code leaseUntil} are set only while {@code EXECUTING}; completing,
 *       failing and recovering clear them.
 *   <li>A lease ends strictly before {@code now}: a claim at the very instant of {@code leaseUntil}
 *       is refused.
 *   <li>Instants are kept to the microsecond; last errors and cancel reasons (stored as the last
 *       error) are cut to 2,000 characters.
 *   <li>Idempotency keys, run ids and owners are at most 200 characters.
 * </ul>
 *
 * <p>Records of a run are kept in the order they were journalled. {@link #close()} does nothing;
 * the journal stays usable.
 *
 * <pre>{@code
 * ExecutionJournal journal = new InMemoryExecutionJournal();
 * journal.enlist(requests, clock.instant());
 * }</pre>
 */
public final class InMemoryExecutionJournal implements ExecutionJournal {
  private final ConcurrentHashMap<String, ExecutionRecord> records = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Queue<String>> keysByRun = new ConcurrentHashMap<>();

  /** The keys of each run in their order, for {@link #unfinishedAfter}. */
  private final ConcurrentHashMap<String, ConcurrentSkipListSet<String>> sortedKeysByRun =
      new ConcurrentHashMap<>();

  private final ConcurrentHashMap<String, RunState> runStates = new ConcurrentHashMap<>();

  /** An empty journal. */
  public InMemoryExecutionJournal() {}

  @Override
  public List<ExecutionRecord> enlist(List<ActionRequest> requests, Instant now) {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(now, "now");
    Journals.checkRequests(requests);
    Instant at = Journals.micros(now);
    List<ExecutionRecord> out = new ArrayList<>(requests.size());
    for (ActionRequest request : requests) {
      out.add(
          records.compute(
              request.idempotencyKey(),
              (key, existing) -> {
                if (existing != null) {
                  return existing;
                }
                // Listed under its run before the record becomes visible; readers skip absent keys.
                keysByRun
                    .computeIfAbsent(request.runId(), run -> new ConcurrentLinkedQueue<>())
                    .add(key);
                sortedKeysByRun
                    .computeIfAbsent(request.runId(), run -> new ConcurrentSkipListSet<>())
                    .add(key);
                return ExecutionRecord.pending(request, at);
              }));
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public Optional<ExecutionRecord> claim(
      String key, String owner, Instant now, Instant leaseUntil) {
    Objects.requireNonNull(key, "key");
    Journals.checkOwner(owner);
    Instant at = Journals.micros(now);
    Instant lease = Journals.micros(leaseUntil);
    return Optional.ofNullable(
        change(
            key,
            r -> {
              boolean free =
                  r.state() == ExecutionState.PENDING
                      || r.state() == ExecutionState.EXECUTING
                          && r.leaseUntil() != null
                          && r.leaseUntil().isBefore(at);
              return free
                  ? new ExecutionRecord(
                      r.request(),
                      ExecutionState.EXECUTING,
                      r.attempts(),
                      r.createdAt(),
                      at,
                      owner,
                      lease,
                      r.lastError(),
                      null)
                  : r;
            }));
  }

  @Override
  public boolean renew(String key, String owner, Instant now, Instant leaseUntil) {
    Instant lease = Journals.micros(Objects.requireNonNull(leaseUntil, "leaseUntil"));
    return changeClaimed(
        key,
        owner,
        r ->
            new ExecutionRecord(
                r.request(),
                r.state(),
                r.attempts(),
                r.createdAt(),
                r.updatedAt(),
                r.owner(),
                lease,
                r.lastError(),
                null));
  }

  @Override
  public boolean attemptFailed(String key, String owner, String error, Instant now) {
    Objects.requireNonNull(error, "error");
    Instant at = Journals.micros(now);
    String lastError = Journals.truncate(error);
    return changeClaimed(
        key,
        owner,
        r ->
            new ExecutionRecord(
                r.request(),
                r.state(),
                r.attempts() + 1,
                r.createdAt(),
                at,
                r.owner(),
                r.leaseUntil(),
                lastError,
                null));
  }

  @Override
  public boolean complete(String key, String owner, DeliveryReceipt receipt, Instant now) {
    Objects.requireNonNull(receipt, "receipt");
    Journals.checkReceipt(key, receipt);
    Instant at = Journals.micros(now);
    DeliveryReceipt stored =
        new DeliveryReceipt(
            receipt.idempotencyKey(),
            receipt.channel(),
            receipt.externalId(),
            Journals.micros(receipt.deliveredAt()),
            receipt.cost(),
            receipt.duplicate(),
            receipt.detail());
    return changeClaimed(
        key,
        owner,
        r ->
            new ExecutionRecord(
                r.request(),
                ExecutionState.COMPLETED,
                r.attempts() + 1,
                r.createdAt(),
                at,
                null,
                null,
                r.lastError(),
                stored));
  }

  @Override
  public boolean fail(String key, String owner, String error, Instant now) {
    Objects.requireNonNull(error, "error");
    Instant at = Journals.micros(now);
    String lastError = Journals.truncate(error);
    return changeClaimed(
        key,
        owner,
        r ->
            new ExecutionRecord(
                r.request(),
                ExecutionState.FAILED,
                r.attempts() + 1,
                r.createdAt(),
                at,
                null,
                null,
                lastError,
                null));
  }

  @Override
  public boolean cancel(String key, String reason, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(reason, "reason");
    Instant at = Journals.micros(now);
    String lastError = Journals.truncate(reason);
    return change(
            key,
            r ->
                r.state() == ExecutionState.PENDING
                    ? new ExecutionRecord(
                        r.request(),
                        ExecutionState.CANCELLED,
                        r.attempts(),
                        r.createdAt(),
                        at,
                        null,
                        null,
                        lastError,
                        null)
                    : r)
        != null;
  }

  @Override
  public int recover(String runId, Instant now) {
    Objects.requireNonNull(runId, "runId");
    Instant at = Journals.micros(now);
    Queue<String> keys = keysByRun.get(runId);
    if (keys == null) {
      return 0;
    }
    int recovered = 0;
    for (String key : keys) {
      if (change(
              key,
              r ->
                  r.state() == ExecutionState.EXECUTING
                          && r.leaseUntil() != null
                          && r.leaseUntil().isBefore(at)
                      ? new ExecutionRecord(
                          r.request(),
                          ExecutionState.PENDING,
                          r.attempts(),
                          r.createdAt(),
                          at,
                          null,
                          null,
                          r.lastError(),
                          null)
                      : r)
          != null) {
        recovered++;
      }
    }
    return recovered;
  }

  @Override
  public Optional<ExecutionRecord> find(String key) {
    return Optional.ofNullable(records.get(Objects.requireNonNull(key, "key")));
  }

  @Override
  public List<String> openRuns() {
    List<String> open = new ArrayList<>();
    runStates.forEach(
        (run, state) -> {
          if (state != RunState.COMPLETED) {
            open.add(run);
          }
        });
    return open;
  }

  @Override
  public List<ExecutionRecord> records(String runId) {
    Objects.requireNonNull(runId, "runId");
    Queue<String> keys = keysByRun.get(runId);
    if (keys == null) {
      return List.of();
    }
    List<ExecutionRecord> out = new ArrayList<>();
    for (String key : keys) {
      ExecutionRecord r = records.get(key);
      if (r != null) {
        out.add(r);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Reads every record: this journal keeps no index by customer. */
  @Override
  public List<ExecutionRecord> pendingFor(String customerId, @Nullable String afterKey, int limit) {
    Objects.requireNonNull(customerId, "customerId");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
    return records.values().stream()
        .filter(r -> r.state() == ExecutionState.PENDING)
        .filter(r -> r.request().customerId().equals(customerId))
        .filter(r -> afterKey == null || r.key().compareTo(afterKey) > 0)
        .sorted(Comparator.comparing(ExecutionRecord::key))
        .limit(limit)
        .toList();
  }

  @Override
  public List<ExecutionRecord> unfinished(String runId) {
    List<ExecutionRecord> out = new ArrayList<>();
    for (ExecutionRecord r : records(runId)) {
      if (!r.state().isTerminal()) {
        out.add(r);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Walks the run's keys from {@code afterKey} on, so a page costs its own size, not the run's. */
  @Override
  public List<ExecutionRecord> unfinishedAfter(String runId, @Nullable String afterKey, int limit) {
    Objects.requireNonNull(runId, "runId");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
    ConcurrentSkipListSet<String> keys = sortedKeysByRun.get(runId);
    if (keys == null) {
      return List.of();
    }
    List<ExecutionRecord> out = new ArrayList<>(Math.min(limit, 1024));
    for (String key : afterKey == null ? keys : keys.tailSet(afterKey, false)) {
      ExecutionRecord r = records.get(key);
      if (r != null && !r.state().isTerminal()) {
        out.add(r);
        if (out.size() == limit) {
          break;
        }
      }
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public Map<ExecutionState, Long> counts(String runId) {
    Map<ExecutionState, Long> counts = new EnumMap<>(ExecutionState.class);
    for (ExecutionRecord r : records(runId)) {
      counts.merge(r.state(), 1L, Long::sum);
    }
    return Collections.unmodifiableMap(counts);
  }

  @Override
  public void runState(String runId, RunState state, Instant now) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(now, "now");
    runStates.put(runId, state);
  }

  @Override
  public Optional<RunState> runState(String runId) {
    return Optional.ofNullable(runStates.get(Objects.requireNonNull(runId, "runId")));
  }

  /** Applies {@code claimed} when {@code owner} holds {@code key}'s claim. */
  private boolean changeClaimed(String key, String owner, UnaryOperator<ExecutionRecord> claimed) {
    Objects.requireNonNull(key, "key");
    Journals.checkOwner(owner);
    return change(
            key,
            r ->
                r.state() == ExecutionState.EXECUTING && owner.equals(r.owner())
                    ? claimed.apply(r)
                    : r)
        != null;
  }

  /**
   * Atomically replaces {@code key}'s record by {@code next} of it.
   *
   * @return the new record; null when there is no record or {@code next} returned it unchanged
   */
  private @Nullable ExecutionRecord change(String key, UnaryOperator<ExecutionRecord> next) {
    ExecutionRecord[] changed = new ExecutionRecord[1];
    records.computeIfPresent(
        key,
        (k, r) -> {
          ExecutionRecord n = next.apply(r);
          if (n != r) {
            changed[0] = n;
          }
          return n;
        });
    return changed[0];
  }
}
