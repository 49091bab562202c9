package dev.opagent.agent.execution;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RateLimiter;
import dev.failsafe.RetryPolicy;
import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.journal.JournalException;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.agent.internal.GuardedTracer;
import dev.opagent.agent.spi.Contact;
import dev.opagent.agent.spi.OperationTracer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes chosen actions exactly once in effect: journals each as {@code PENDING} before anything
 * is sent (outbox), then delivers it through its channel's queue — bounded concurrency and an
 * optional rate per channel — with retries (Failsafe, full-jitter backoff, {@code Retry-After}
 * honoured), recording every attempt and the final state in the {@link ExecutionJournal}.
 * Thread-safe; one service may execute several runs at once.
 *
 * <p>Idempotency: an action's key comes from {@link IdempotencyKeys} (campaign, action type,
 * customer, time window), so enlisting the same plan again finds the existing entry and sends
 * nothing. After a crash, {@link #recover} hands the dead process's {@code EXECUTING} work back
 * once its lease has ended and {@link #execute} resumes it with the same key, so a channel that
 * {@link ActionChannel#deduplicatesByKey() deduplicates by key} never delivers twice.
 *
 * <p>Leases: a claim lasts {@link Builder#lease} (30 s) unless renewed; the service renews the
 * claims it holds every {@link Builder#heartbeat heartbeat} and before every retry, so a live
 * executor keeps its work however long delivery takes, a dead one's is taken over within a lease,
 * and an executor whose claim was taken over (it was paused for longer than a lease) does not
 * deliver. A pending action more than {@link Builder#expireAfter} (24 h) past its planned time is
 * cancelled rather than delivered late ({@link #expireStale}).
 *
 * <p>Bookkeeping: given the {@link DecisionEngine} (builder) and the decisions' planned actions
 * ({@link #enlist(List, List)}), the service commits each budget reservation with the receipt's
 * cost when the action completes, records the contact in the engine's contact history, and gives
 * the reservation and execution slot back when it fails, is cancelled, or was already delivered
 * under its key ({@link DecisionEngine#settle}, {@link DecisionEngine#giveBack}). With an operating
 * store ({@link Builder#journalIsLedger}) the journal's own transitions are the bookkeeping and
 * nothing is booked in the engine. Approvals are checked once more right before delivery — from the
 * planned action, or from the journalled request when another process planned it — and an action
 * whose approval no longer holds is cancelled.
 *
 * <p>Throughput: {@link #execute} claims a channel's actions in chunks of 256 per journal round
 * trip (never more than 1,024 ahead of delivery, so claims do not outlive their leases in a slow
 * channel) and records completions in groups: a delivering thread that finds no group being
 * recorded records every queued completion in one call, while the others go on delivering. An
 * action is counted as completed only once its group is in the journal.
 *
 * <pre>{@code
 * try (ExecutionService service = ExecutionService.builder()
 *     .journal(JdbcExecutionJournal.forUrl("jdbc:h2:file:./.opagent/journal", "sa", ""))
 *     .channels(ChannelRegistry.builder().register(JsonLinesChannel.open(path)).fallback("jsonl").build())
 *     .limits("jsonl", ChannelLimits.of(4, 200))
 *     .decisionEngine(engine)
 *     .build()) {
 *   List<ActionRequest> requests = new ArrayList<>();
 *   for (PlannedAction a : decision.chosen()) {
 *     requests.add(service.request("round-7", a, null, segment));
 *   }
 *   service.enlist(requests, decision.chosen());
 *   ExecutionReport report = service.execute("round-7");
 * }
 * }</pre>
 */
public final class ExecutionService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutionService.class);
  private static final int MAX_ERROR = 500;

  /** Unfinished records read from the journal at a time, unless the builder says otherwise. */
  public static final int DEFAULT_PAGE_SIZE = 4096;

  /** Records claimed per journal round trip. */
  private static final int CLAIM_CHUNK = 256;

  /** Records a lane may have claimed but not yet finished. */
  private static final int CLAIM_WINDOW = 4 * CLAIM_CHUNK;

  /** Completions recorded per journal round trip, at most. */
  private static final int MAX_GROUP = 512;

  /** Threads that claim work for the lanes of {@link #execute} calls. */
  private static final ExecutorService CLAIMERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "opagent-claimer");
            t.setDaemon(true);
            return t;
          });

  private final ExecutionJournal journal;
  private final ChannelRegistry channels;
  private final IdempotencyKeys keys;
  private final Map<String, ChannelLimits> limits;
  private final ChannelLimits defaultLimits;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxRetryAfter;
  private final Duration lease;
  private final Duration heartbeat;
  private final Duration expireAfter;
  private final @Nullable DecisionEngine engine;
  private final List<ExecutionListener> listeners;
  private final OperationTracer tracer;
  private final Clock clock;
  private final String owner;
  private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, PlannedAction> origins = new ConcurrentHashMap<>();
  private final boolean journalIsLedger;
  private final int pageSize;
  private final Completer completer = new Completer();

  /** Keys this service holds claims of; their leases are renewed on every heartbeat. */
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  /** Held keys whose renewal found the claim gone: they must not be delivered. */
  private final Set<String> lost = ConcurrentHashMap.newKeySet();

  /** Claims this service lost to another executor (a pause longer than a lease), so far. */
  private final LongAdder claimsLost = new LongAdder();

  private final @Nullable ScheduledExecutorService renewer;
  private volatile boolean closed;

  private ExecutionService(Builder b) {
    this.journal = b.journal != null ? b.journal : new InMemoryExecutionJournal();
    this.channels =
        Objects.requireNonNull(
            b.channels,
            "channels must be set: ExecutionService.builder().channels(ChannelRegistry...)");
    this.keys = b.keys;
    this.limits = Map.copyOf(b.limits);
    this.defaultLimits = b.defaultLimits;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.maxRetryAfter = b.maxRetryAfter;
    this.lease = b.lease;
    this.heartbeat = b.heartbeat != null ? b.heartbeat : b.lease.dividedBy(3);
    this.expireAfter = b.expireAfter;
    this.engine = b.engine;
    this.listeners = List.copyOf(b.listeners);
    this.tracer = GuardedTracer.of(b.tracer);
    this.clock = b.clock;
    this.owner = b.owner != null ? b.owner : "executor-" + UUID.randomUUID();
    this.journalIsLedger = b.journalIsLedger;
    this.pageSize = b.pageSize;
    if (heartbeat.isZero()) {
      this.renewer = null;
    } else {
      this.renewer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "opagent-lease-renewer");
                t.setDaemon(true);
                return t;
              });
      long every = heartbeat.toMillis();
      renewer.scheduleWithFixedDelay(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The journal the service records in. */
  public ExecutionJournal journal() {
    return journal;
  }

  /** The clock of journal timestamps, leases and due times. */
  public Clock clock() {
    return clock;
  }

  /** The engine whose bookkeeping the service keeps, if it was given one. */
  public Optional<DecisionEngine> decisionEngine() {
    return Optional.ofNullable(engine);
  }

  /** The channels the service delivers through. */
  public ChannelRegistry channels() {
    return channels;
  }

  /** How the service derives idempotency keys. */
  public IdempotencyKeys keys() {
    return keys;
  }

  /** This service's owner id in journal claims. */
  public String owner() {
    return owner;
  }

  /**
   * The request for a chosen action of run {@code runId}, keyed by this service's {@link #keys()}.
   *
   * @param variant the experiment variant the customer is in, if any
   * @param segment the customer's segment key for metrics, if known
   */
  public ActionRequest request(
      String runId, PlannedAction chosen, @Nullable String variant, @Nullable String segment) {
    return ActionRequest.of(runId, chosen, keys, variant, segment);
  }

  /**
   * Journals the requests as {@code PENDING} (outbox); a key already journalled keeps its entry.
   * Nothing is sent.
   *
   * @return for each request, in order, the entry now in the journal under its key
   */
  public List<ExecutionRecord> enlist(List<ActionRequest> requests) {
    return journal.enlist(requests, clock.instant());
  }

  /**
   * Journals the requests like {@link #enlist(List)}, remembering the planned action each came from
   * so the service commits or releases its budget reservation and records the contact. A request
   * whose key was already delivered, failed or cancelled gives its reservation back at once.
   *
   * @param origins the planned action of each request, in the same order
   * @throws IllegalArgumentException if the lists differ in length or a pair does not match
   */
  public List<ExecutionRecord> enlist(List<ActionRequest> requests, List<PlannedAction> origins) {
    if (requests.size() != origins.size()) {
      throw new IllegalArgumentException(
          "requests and origins must be in pairs, but there are "
              + requests.size()
              + " requests and "
              + origins.size()
              + " origins");
    }
    for (int i = 0; i < requests.size(); i++) {
      ActionRequest r = requests.get(i);
      PlannedAction a = origins.get(i);
      if (!r.customerId().equals(a.customerId())
          || !r.campaign().equals(a.campaign())
          || !r.actionType().equals(a.actionType())) {
        throw new IllegalArgumentException(
            "origin "
                + i
                + " ("
                + a.campaign()
                + "/"
                + a.actionType()
                + ") does not match request "
                + r.idempotencyKey());
      }
    }
    List<ExecutionRecord> records = enlist(requests);
    for (int i = 0; i < records.size(); i++) {
      ExecutionRecord rec = records.get(i);
      PlannedAction a = origins.get(i);
      if (rec.state().isTerminal()) {
        giveBack(a);
      } else {
        PlannedAction previous = this.origins.put(rec.key(), a);
        if (previous != null && previous != a) {
          giveBack(previous);
        }
      }
    }
    return records;
  }

  /**
   * Remembers the planned action of each record that an {@code OperatingState} journalled, so that
   * its approval is checked once more right before delivery.
   *
   * @param records the journalled records
   * @param origins the planned action of each record, in the same order
   */
  public void track(List<ExecutionRecord> records, List<PlannedAction> origins) {
    if (records.size() != origins.size()) {
      throw new IllegalArgumentException(
          "records and origins must be in pairs, but there are "
              + records.size()
              + " records and "
              + origins.size()
              + " origins");
    }
    for (int i = 0; i < records.size(); i++) {
      ExecutionRecord rec = records.get(i);
      if (!rec.state().isTerminal()) {
        this.origins.put(rec.key(), origins.get(i));
      }
    }
  }

  /**
   * Delivers every unfinished action of {@code runId} that is due, and waits until each has reached
   * a terminal state (or was left to another executor, or is planned for later). Reads the run a
   * {@link Builder#pageSize page} at a time in key order and delivers each page before reading the
   * next, so memory holds one page whatever the size of the run; an action enlisted meanwhile is
   * delivered in this pass when its key sorts after the page being delivered, else by the next.
   */
  public ExecutionReport execute(String runId) {
    ensureOpen();
    long started = System.nanoTime();
    Instant now = clock.instant();
    Tally tally = new Tally(runId, 0, tracer.start("opagent.execution", null));
    try {
      String after = null;
      while (true) {
        List<ExecutionRecord> page = journal.unfinishedAfter(runId, after, pageSize);
        if (page.isEmpty()) {
          break;
        }
        after = page.get(page.size() - 1).key();
        tally.considered.add(page.size());
        executePage(page, now, tally);
      }
      // Whether anything is left: one row at most, not a count over the run.
      if (journal.unfinishedAfter(runId, null, 1).isEmpty()
          && journal.runState(runId).orElse(null) == RunState.PLANNED) {
        journal.runState(runId, RunState.COMPLETED, clock.instant());
      }
      return tally.report(Duration.ofNanos(System.nanoTime() - started));
    } catch (RuntimeException e) {
      tally.span.failed(e.getClass().getSimpleName());
      throw e;
    } finally {
      tally.endSpan();
    }
  }

  /**
   * Delivers those of {@code records} (journalled entries, such as those {@link #enlist} returned)
   * that are unfinished and due, as {@link #execute} delivers a run's, and waits until each has
   * reached a terminal state (or was left to another executor, or is planned for later). For
   * actions decided one customer at a time, delivered at once without reading the rest of their
   * run.
   *
   * @param runId the run the report is of
   */
  public ExecutionReport deliver(String runId, List<ExecutionRecord> records) {
    ensureOpen();
    long started = System.nanoTime();
    List<ExecutionRecord> todo = new ArrayList<>(records.size());
    for (ExecutionRecord rec : records) {
      if (!rec.state().isTerminal()) {
        todo.add(rec);
      }
    }
    Tally tally = new Tally(runId, todo.size(), OperationTracer.Span.NONE);
    if (!todo.isEmpty()) {
      tally.span = tracer.start("opagent.execution", null);
      try {
        executePage(todo, clock.instant(), tally);
      } catch (RuntimeException e) {
        tally.span.failed(e.getClass().getSimpleName());
        throw e;
      } finally {
        tally.endSpan();
      }
    }
    return tally.report(Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * Delivers one page of unfinished records and waits until each has reached a terminal state (or
   * was left to another executor, or is planned for later), so that {@link #execute} holds one page
   * at a time.
   */
  private void executePage(List<ExecutionRecord> todo, Instant now, Tally tally) {
    Map<Lane, List<ExecutionRecord>> byLane = new LinkedHashMap<>();
    for (ExecutionRecord rec : todo) {
      if (rec.request().plannedAt().isAfter(now)) {
        tally.notDue.increment();
        continue;
      }
      if (expired(rec, now)) {
        if (expire(rec, now)) {
          tally.cancelled.increment();
        } else {
          tally.heldElsewhere.increment();
        }
        continue;
      }
      if (rec.state() == ExecutionState.EXECUTING
          && rec.leaseUntil() != null
          && !rec.leaseUntil().isBefore(now)) {
        tally.heldElsewhere.increment();
        continue;
      }
      Lane lane;
      try {
        lane = lane(channels.resolve(rec.request()));
      } catch (UnknownChannelException e) {
        failUnroutable(rec, e, tally);
        continue;
      }
      if (!approvalHolds(rec, tally)) {
        continue;
      }
      byLane.computeIfAbsent(lane, l -> new ArrayList<>()).add(rec);
    }
    List<CompletableFuture<Void>> claimers = new ArrayList<>();
    ConcurrentLinkedQueue<CompletableFuture<Void>> running = new ConcurrentLinkedQueue<>();
    byLane.forEach(
        (lane, records) ->
            claimers.add(
                CompletableFuture.runAsync(
                    () -> claimAndDeliver(lane, records, tally, running), CLAIMERS)));
    CompletableFuture.allOf(claimers.toArray(CompletableFuture[]::new)).join();
    CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
  }

  /**
   * Claims a lane's records a chunk at a time (one journal round trip per chunk), never more than
   * {@link #CLAIM_WINDOW} ahead of delivery, so that claims do not outlive their leases while they
   * wait in a slow lane; hands each claimed record to the lane's workers.
   */
  private void claimAndDeliver(
      Lane lane,
      List<ExecutionRecord> records,
      Tally tally,
      ConcurrentLinkedQueue<CompletableFuture<Void>> running) {
    Semaphore window = new Semaphore(CLAIM_WINDOW);
    for (int from = 0; from < records.size(); from += CLAIM_CHUNK) {
      List<ExecutionRecord> chunk =
          records.subList(from, Math.min(records.size(), from + CLAIM_CHUNK));
      window.acquireUninterruptibly(chunk.size());
      List<String> keys = new ArrayList<>(chunk.size());
      for (ExecutionRecord rec : chunk) {
        keys.add(rec.key());
      }
      Instant at = clock.instant();
      Set<String> claimed;
      try {
        claimed = journal.claimAll(keys, owner, at, at.plus(lease));
      } catch (RuntimeException e) {
        window.release(chunk.size());
        running.add(CompletableFuture.failedFuture(e));
        return;
      }
      held.addAll(claimed);
      for (ExecutionRecord rec : chunk) {
        if (!claimed.contains(rec.key())) {
          tally.heldElsewhere.increment();
          window.release();
          continue;
        }
        running.add(
            CompletableFuture.supplyAsync(() -> attempt(rec, lane, tally, true), lane.pool)
                .thenCompose(
                    receipt ->
                        receipt == null
                            ? CompletableFuture.<Void>completedFuture(null)
                            : completer
                                .add(rec.key(), receipt)
                                .thenAccept(
                                    held -> completed(rec.request(), receipt, held, tally, true)))
                .whenComplete((v, e) -> window.release()));
      }
    }
  }

  /**
   * Whether the approval an action needs still holds — judged from the planned action when this
   * service planned it, else from the journalled request, so that a resumed round and every other
   * executor check it too; if not, cancels it (giving its reservation back) and counts it.
   */
  private boolean approvalHolds(ExecutionRecord rec, Tally tally) {
    String key = rec.key();
    PlannedAction origin = origins.get(key);
    DecisionEngine e = engine;
    if (e == null) {
      return true;
    }
    if (origin != null
        ? e.mayExecute(origin)
        : !rec.request().needsApproval()
            || e.checkApproval(
                    rec.request().campaign(),
                    rec.request().customerId(),
                    rec.request().actionType())
                == ApprovalStatus.APPROVED) {
      return true;
    }
    if (journal.cancel(key, "approval no longer holds", clock.instant())) {
      tally.cancelled.increment();
      if (origin != null) {
        origins.remove(key);
        giveBack(origin);
      }
      if (!listeners.isEmpty()) {
        journal.find(key).ifPresent(this::notifyFailed);
      }
    } else {
      tally.heldElsewhere.increment();
    }
    return false;
  }

  /** Whether a pending action is past its planned time by more than {@link #expireAfter}. */
  private boolean expired(ExecutionRecord rec, Instant now) {
    return rec.state() == ExecutionState.PENDING
        && rec.request().plannedAt().plus(expireAfter).isBefore(now);
  }

  /** Cancels an expired pending action, giving its reservation back. */
  private boolean expire(ExecutionRecord rec, Instant now) {
    return withdraw(
        rec.key(), "expired: not delivered within " + expireAfter + " of its planned time", now);
  }

  /** Cancels a pending action, giving its reservation back and telling the listeners. */
  private boolean withdraw(String key, String reason, Instant now) {
    if (!journal.cancel(key, reason, now)) {
      return false;
    }
    PlannedAction a = origins.remove(key);
    if (a != null) {
      giveBack(a);
    }
    if (!listeners.isEmpty()) {
      journal.find(key).ifPresent(this::notifyFailed);
    }
    return true;
  }

  /**
   * Cancels the pending actions of every open run (any round the journal knows, also those of
   * processes long gone) that were not delivered within {@link Builder#expireAfter} of their
   * planned time, so that what an abandoned round reserved (budget, contact slots, execution slots)
   * is released instead of held for ever, and nothing is sent days late. Runs in every {@code
   * OperationAgent} round before planning; call it on a schedule where rounds are rare.
   *
   * @return how many were cancelled
   */
  public int expireStale() {
    Instant now = clock.instant();
    int n = 0;
    for (String run : journal.openRuns()) {
      String after = null;
      for (List<ExecutionRecord> page = journal.unfinishedAfter(run, null, pageSize);
          !page.isEmpty();
          page = journal.unfinishedAfter(run, after, pageSize)) {
        after = page.get(page.size() - 1).key();
        for (ExecutionRecord rec : page) {
          if (expired(rec, now) && expire(rec, now)) {
            n++;
          }
        }
      }
    }
    if (n > 0) {
      LOG.info(
          "{} pending actions were cancelled: not delivered within {} of their planned" + " time",
          n,
          expireAfter);
    }
    return n;
  }

  /**
   * Withdraws every pending action of {@code runId}, giving reservations back.
   *
   * @return how many were cancelled
   */
  public int cancel(String runId, String reason) {
    int n = 0;
    Instant now = clock.instant();
    String after = null;
    for (List<ExecutionRecord> page = journal.unfinishedAfter(runId, null, pageSize);
        !page.isEmpty();
        page = journal.unfinishedAfter(runId, after, pageSize)) {
      after = page.get(page.size() - 1).key();
      for (ExecutionRecord r : page) {
        if (r.state() == ExecutionState.PENDING && withdraw(r.key(), reason, now)) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Withdraws the pending actions of {@code customerId}, in every run, that {@code which} selects —
   * what an event cancels: a purchase before the cart reminder is due, consent withdrawn for a
   * channel — giving their reservations back. An action already being delivered is not withdrawn;
   * one already delivered is not pending. Reads the customer's pending actions a {@link
   * Builder#pageSize page} at a time.
   *
   * @param reason why, recorded as each action's last error (no personal data)
   * @return the keys of the actions withdrawn, in key order
   */
  public List<String> cancelPending(
      String customerId, Predicate<ActionRequest> which, String reason) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(which, "which");
    Objects.requireNonNull(reason, "reason");
    ensureOpen();
    Instant now = clock.instant();
    List<String> cancelled = new ArrayList<>();
    String after = null;
    for (List<ExecutionRecord> page = journal.pendingFor(customerId, null, pageSize);
        !page.isEmpty();
        page = journal.pendingFor(customerId, after, pageSize)) {
      after = page.get(page.size() - 1).key();
      for (ExecutionRecord r : page) {
        if (which.test(r.request()) && withdraw(r.key(), reason, now)) {
          cancelled.add(r.key());
        }
      }
    }
    return cancelled;
  }

  /**
   * Hands the {@code EXECUTING} actions of {@code runId} whose lease has ended back as {@code
   * PENDING}, so the next {@link #execute} resumes them with their keys. A live executor renews its
   * leases every {@link Builder#heartbeat heartbeat}, so only a dead one's work is taken — within
   * one {@link Builder#lease lease} of its death. Safe to call while other executors work on the
   * run.
   *
   * @return how many were handed back
   */
  public int recover(String runId) {
    int n = journal.recover(runId, clock.instant());
    if (n > 0) {
      LOG.info("run {}: {} actions left executing by a previous process will be resumed", runId, n);
    }
    return n;
  }

  /**
   * Finishes run {@code runId} after a restart: hands back work whose lease ended ({@link
   * #recover}) and delivers what is unfinished ({@link #execute}); while actions are still held by
   * another executor, waits for their leases and tries again, for at most {@code patience}. A
   * process killed while delivering left leases that end within one {@link Builder#lease lease}, so
   * a patience of a lease and a heartbeat finishes its work; an executor that is alive keeps
   * renewing, and its actions are reported as {@link ExecutionReport#heldElsewhere() held
   * elsewhere}.
   *
   * @return the passes' report combined: the counts of every pass, and the actions not due or still
   *     held elsewhere after the last
   */
  public ExecutionReport resume(String runId, Duration patience) {
    long started = System.nanoTime();
    long deadline = started + patience.toNanos();
    recover(runId);
    ExecutionReport report = execute(runId);
    while (report.heldElsewhere() > 0 && System.nanoTime() < deadline) {
      long waitMillis =
          Math.min(
              Math.max(heartbeat.toMillis(), 100),
              Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      try {
        Thread.sleep(waitMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      recover(runId);
      ExecutionReport next = execute(runId);
      report =
          new ExecutionReport(
              runId,
              report.considered() - report.notDue() - report.heldElsewhere() + next.considered(),
              report.completed() + next.completed(),
              report.duplicates() + next.duplicates(),
              report.failed() + next.failed(),
              report.cancelled() + next.cancelled(),
              next.notDue(),
              next.heldElsewhere(),
              report.attempts() + next.attempts(),
              report.retries() + next.retries(),
              merged(report.failures(), next.failures()),
              merged(report.completedByChannel(), next.completedByChannel()),
              Duration.ofNanos(System.nanoTime() - started));
    }
    return report;
  }

  private static Map<String, Long> merged(Map<String, Long> a, Map<String, Long> b) {
    Map<String, Long> out = new HashMap<>(a);
    b.forEach((k, v) -> out.merge(k, v, Long::sum));
    return out;
  }

  /** How long a claim lasts without renewal. */
  public Duration lease() {
    return lease;
  }

  /**
   * The claims this service holds now: actions it is delivering, whose leases its heartbeat renews.
   */
  public int claimsHeld() {
    return held.size();
  }

  /**
   * How many claims this service has lost to another executor since it was built: actions it had
   * claimed that another executor took over after their lease ran out while this one was paused
   * (not delivered here), or that this one delivered after losing the claim (see the warning it
   * logs). Above zero, the lease is shorter than this process's pauses or its deliveries' retries.
   */
  public long claimsLost() {
    return claimsLost.sum();
  }

  /** How often this service renews the leases of the claims it holds ({@code ZERO}: never). */
  public Duration heartbeat() {
    return heartbeat;
  }

  /**
   * Renews the lease of every claim this service holds; a claim another executor has taken over
   * (this process was paused for longer than a lease) is marked lost, so it is not delivered.
   */
  private void renewLeases() {
    if (held.isEmpty()) {
      lost.clear();
      return;
    }
    List<String> keys = new ArrayList<>(held);
    Instant now = clock.instant();
    try {
      Set<String> still = journal.renewAll(keys, owner, now, now.plus(lease));
      for (String key : keys) {
        if (!still.contains(key) && held.contains(key)) {
          lost.add(key);
        }
      }
      lost.retainAll(held);
    } catch (RuntimeException e) {
      LOG.warn(
          "renewing the leases of {} claimed actions failed with {}; trying again in {}",
          keys.size(),
          e.getClass().getName(),
          heartbeat);
    }
  }

  /**
   * Enlists one request and delivers it on the caller's thread (within its channel's rate limit),
   * returning its entry afterwards; an entry that was already terminal is returned as it is.
   */
  public ExecutionRecord executeNow(ActionRequest request) {
    ExecutionRecord rec = enlist(List.of(request)).get(0);
    if (!rec.state().isTerminal()) {
      Tally tally = new Tally(request.runId(), 1, OperationTracer.Span.NONE);
      deliver(rec, tally, false);
    }
    return journal.find(request.idempotencyKey()).orElse(rec);
  }

  private void deliver(ExecutionRecord rec, Tally tally, boolean bookkeeping) {
    ensureOpen();
    Lane lane;
    try {
      lane = lane(channels.resolve(rec.request()));
    } catch (UnknownChannelException e) {
      failUnroutable(rec, e, tally);
      return;
    }
    deliver(rec, lane, tally, bookkeeping);
  }

  private void failUnroutable(ExecutionRecord rec, UnknownChannelException e, Tally tally) {
    Instant now = clock.instant();
    Optional<ExecutionRecord> claimed = journal.claim(rec.key(), owner, now, now.plus(lease));
    if (claimed.isEmpty()) {
      tally.heldElsewhere.increment();
      return;
    }
    finishFailed(rec.key(), e.getMessage(), tally, true);
  }

  private void deliver(ExecutionRecord rec, Lane lane, Tally tally, boolean bookkeeping) {
    String key = rec.key();
    if (!approvalHolds(rec, tally)) {
      return;
    }
    Instant now = clock.instant();
    if (journal.claim(key, owner, now, now.plus(lease)).isEmpty()) {
      tally.heldElsewhere.increment();
      return;
    }
    held.add(key);
    DeliveryReceipt receipt = attempt(rec, lane, tally, bookkeeping);
    if (receipt != null) {
      completed(
          rec.request(),
          receipt,
          journal.complete(key, owner, receipt, clock.instant()),
          tally,
          bookkeeping);
    }
  }

  /**
   * Delivers a claimed action with retries; returns its receipt, or null when it failed for good
   * (then it is journalled FAILED and counted).
   */
  private @Nullable DeliveryReceipt attempt(
      ExecutionRecord rec, Lane lane, Tally tally, boolean bookkeeping) {
    OperationTracer.Span span =
        tracer
            .start("opagent.delivery", tally.span)
            .attribute("opagent.run_id", rec.request().runId())
            .attribute("opagent.campaign", rec.request().campaign())
            .attribute("opagent.action_type", rec.request().actionType())
            .attribute("opagent.channel", lane.channel.name());
    AtomicInteger attempts = new AtomicInteger();
    try {
      DeliveryReceipt receipt = attempt(rec, lane, tally, bookkeeping, attempts, span);
      if (receipt != null) {
        span.attribute("opagent.delivery.outcome", receipt.duplicate() ? "duplicate" : "delivered");
      }
      return receipt;
    } catch (RuntimeException e) {
      span.attribute("opagent.delivery.outcome", "failed").failed(e.getClass().getSimpleName());
      throw e;
    } finally {
      span.attribute("opagent.attempts", attempts.get()).end();
    }
  }

  private @Nullable DeliveryReceipt attempt(
      ExecutionRecord rec,
      Lane lane,
      Tally tally,
      boolean bookkeeping,
      AtomicInteger attempts,
      OperationTracer.Span span) {
    String key = rec.key();
    ActionRequest request = rec.request();
    RetryPolicy<DeliveryReceipt> retry =
        RetryPolicy.<DeliveryReceipt>builder()
            .handleIf((r, ex) -> ex instanceof ChannelException ce && ce.retryable())
            .withMaxAttempts(maxAttempts)
            .withDelayFn(ctx -> delay(ctx.getLastException(), ctx.getAttemptCount()))
            .onRetry(
                ev -> {
                  tally.retries.increment();
                  journal.attemptFailed(
                      key, owner, describe(ev.getLastException()), clock.instant());
                })
            .build();
    try {
      return Failsafe.with(retry)
          .get(
              ctx -> {
                lane.acquire();
                stillHeld(key, ctx.getAttemptCount() > 0);
                tally.attempts.increment();
                attempts.incrementAndGet();
                return lane.channel.deliver(request);
              });
    } catch (RuntimeException ex) {
      Throwable cause =
          ex instanceof FailsafeException && ex.getCause() != null ? ex.getCause() : ex;
      if (cause instanceof ClaimLost) {
        span.attribute("opagent.delivery.outcome", "held_elsewhere");
        claimsLost.increment();
        held.remove(key);
        lost.remove(key);
        origins.remove(key);
        tally.heldElsewhere.increment();
        LOG.warn(
            "run {}: action {} was not delivered by this executor: its claim passed to"
                + " another executor while this one was paused for longer than the lease ({})",
            request.runId(),
            key,
            lease);
        return null;
      }
      span.attribute("opagent.delivery.outcome", "failed").failed(errorType(cause));
      finishFailed(key, describe(cause), tally, bookkeeping);
      return null;
    }
  }

  /**
   * A failure's type for traces, without its message (which may hold a provider's text): whether a
   * channel refused for good or kept failing, else the exception's class.
   */
  private static String errorType(Throwable cause) {
    if (cause instanceof ChannelException ce) {
      return ce.retryable() ? "retries_exhausted" : "permanent";
    }
    return cause.getClass().getSimpleName();
  }

  /**
   * Refuses to deliver an action whose claim this executor no longer holds: one a heartbeat found
   * taken over, or — before a retry, which may come minutes after the claim — one whose renewal the
   * journal refuses.
   */
  private void stillHeld(String key, boolean retry) {
    if (lost.contains(key)) {
      throw new ClaimLost();
    }
    if (retry) {
      Instant now = clock.instant();
      if (!journal.renew(key, owner, now, now.plus(lease))) {
        throw new ClaimLost();
      }
    }
  }

  /** A claim another executor took over; not a delivery failure, and never retried. */
  private static final class ClaimLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClaimLost() {
      super("the claim passed to another executor", null, false, false);
    }
  }

  /** Counts a delivered action whose completion the journal has recorded, and tells listeners. */
  private void completed(
      ActionRequest request,
      DeliveryReceipt receipt,
      boolean held,
      Tally tally,
      boolean bookkeeping) {
    String key = request.idempotencyKey();
    this.held.remove(key);
    lost.remove(key);
    if (!held) {
      claimsLost.increment();
      LOG.warn(
          "run {}: action {} was delivered but its claim had passed to another executor;"
              + " the lease ({}) is shorter than delivery with retries takes",
          request.runId(),
          key,
          lease);
    }
    tally.completed.increment();
    if (receipt.duplicate()) {
      tally.duplicates.increment();
    }
    tally.byChannel.computeIfAbsent(receipt.channel(), k -> new LongAdder()).increment();
    PlannedAction a = origins.remove(key);
    if (bookkeeping) {
      commit(request, a, receipt);
    }
    if (!listeners.isEmpty()) {
      journal.find(key).ifPresent(this::notifyCompleted);
    }
  }

  private void finishFailed(String key, @Nullable String error, Tally tally, boolean bookkeeping) {
    String why = error == null ? "failed" : error;
    journal.fail(key, owner, why, clock.instant());
    held.remove(key);
    lost.remove(key);
    tally.failed.increment();
    tally.failures.computeIfAbsent(why, k -> new LongAdder()).increment();
    PlannedAction a = origins.remove(key);
    if (a != null && bookkeeping) {
      giveBack(a);
    }
    if (!listeners.isEmpty()) {
      journal.find(key).ifPresent(this::notifyFailed);
    }
  }

  private void commit(ActionRequest request, @Nullable PlannedAction a, DeliveryReceipt receipt) {
    DecisionEngine e = engine;
    if (e == null || journalIsLedger) {
      return;
    }
    if (a != null) {
      e.settle(a, receipt.cost());
      return;
    }
    // Resumed after a restart: the planned action is gone; book the contact from the request.
    Channel channel = e.policy().channels().get(request.actionType());
    if (channel == null) {
      channel = Channel.contact(request.channel());
    }
    if (channel.contact()) {
      e.contactHistory()
          .record(
              request.customerId(),
              new Contact(
                  channel,
                  request.plannedAt(),
                  request.campaign(),
                  request.actionType(),
                  receipt.cost() != null ? receipt.cost() : request.cost()));
    }
  }

  private void giveBack(PlannedAction a) {
    DecisionEngine e = engine;
    if (e != null && !journalIsLedger) {
      e.giveBack(a);
    }
  }

  private Duration delay(@Nullable Throwable last, int attempt) {
    if (last instanceof ChannelException ce && ce.retryAfter() != null) {
      Duration d = ce.retryAfter();
      return d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d;
    }
    long cap =
        Math.min(
            maxBackoff.toNanos(),
            initialBackoff.toNanos() << Math.min(Math.max(attempt - 1, 0), 30));
    return Duration.ofNanos(ThreadLocalRandom.current().nextLong(Math.max(cap, 1)));
  }

  private static String describe(@Nullable Throwable t) {
    if (t == null) {
      return "failed";
    }
    String s =
        t instanceof ChannelException || t instanceof UnknownChannelException
            ? t.getMessage()
            : t.getClass().getName();
    if (s == null) {
      s = t.getClass().getName();
    }
    return s.length() > MAX_ERROR ? s.substring(0, MAX_ERROR) : s;
  }

  private void notifyCompleted(ExecutionRecord r) {
    for (ExecutionListener l : listeners) {
      try {
        l.completed(r);
      } catch (RuntimeException ex) {
        LOG.warn(
            "execution listener {} failed with {}",
            l.getClass().getName(),
            ex.getClass().getName());
      }
    }
  }

  private void notifyFailed(ExecutionRecord r) {
    for (ExecutionListener l : listeners) {
      try {
        l.failed(r);
      } catch (RuntimeException ex) {
        LOG.warn(
            "execution listener {} failed with {}",
            l.getClass().getName(),
            ex.getClass().getName());
      }
    }
  }

  private Lane lane(ActionChannel channel) {
    return lanes.computeIfAbsent(
        channel.name(), n -> new Lane(channel, limits.getOrDefault(n, defaultLimits)));
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the execution service is closed");
    }
  }

  /** Stops the channel queues (waiting for deliveries in flight) and closes the channels. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Lane l : lanes.values()) {
      l.pool.shutdown();
    }
    for (Lane l : lanes.values()) {
      try {
        l.pool.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (renewer != null) {
      renewer.shutdownNow();
    }
    channels.close();
  }

  /**
   * Group commit of completions: a delivering thread queues its completion and, when no other
   * thread is recording, records every queued completion in one journal call; the others go on
   * delivering. Each completion's future finishes once the journal has it.
   */
  private final class Completer {
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean recording = new AtomicBoolean();

    CompletableFuture<Boolean> add(String key, DeliveryReceipt receipt) {
      Queued q =
          new Queued(new ExecutionJournal.Completion(key, receipt), new CompletableFuture<>());
      queue.add(q);
      drain();
      return q.done;
    }

    private void drain() {
      while (!queue.isEmpty() && recording.compareAndSet(false, true)) {
        try {
          List<Queued> group = new ArrayList<>();
          for (Queued q; group.size() < MAX_GROUP && (q = queue.poll()) != null; ) {
            group.add(q);
          }
          if (group.isEmpty()) {
            continue;
          }
          List<ExecutionJournal.Completion> completions = new ArrayList<>(group.size());
          for (Queued q : group) {
            completions.add(q.completion);
          }
          try {
            boolean[] held = completeAll(completions);
            for (int i = 0; i < group.size(); i++) {
              group.get(i).done.complete(held[i]);
            }
          } catch (RuntimeException e) {
            for (Queued q : group) {
              q.done.completeExceptionally(e);
            }
          }
        } finally {
          recording.set(false);
        }
      }
    }

    /**
     * Records a group, trying again (up to three times in all) when the journal reports a failure
     * that may pass: a deadlock or serialization failure with another executor's transaction, a
     * lost connection.
     */
    private boolean[] completeAll(List<ExecutionJournal.Completion> completions) {
      for (int attempt = 1; ; attempt++) {
        try {
          return journal.completeAll(completions, owner, clock.instant());
        } catch (JournalException e) {
          if (!e.retryable() || attempt == 3) {
            throw e;
          }
          LOG.warn(
              "recording {} completions failed with SQL state {}; trying again",
              completions.size(),
              e.sqlState());
          try {
            Thread.sleep(20L * attempt);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
    }

    private record Queued(
        ExecutionJournal.Completion completion, CompletableFuture<Boolean> done) {}
  }

  /** One channel's queue: its workers and its rate limit. */
  private static final class Lane {
    final ActionChannel channel;
    final ExecutorService pool;
    final @Nullable RateLimiter<Object> rate;

    Lane(ActionChannel channel, ChannelLimits limits) {
      this.channel = channel;
      AtomicInteger n = new AtomicInteger();
      ThreadPoolExecutor p =
          new ThreadPoolExecutor(
              limits.concurrency(),
              limits.concurrency(),
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t =
                    new Thread(r, "opagent-channel-" + channel.name() + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      p.allowCoreThreadTimeOut(true);
      this.pool = p;
      this.rate =
          limits.ratePerSecond() > 0
              ? RateLimiter.smoothBuilder(
                      Duration.ofNanos(
                          Math.max(1, (long) (1_000_000_000L / limits.ratePerSecond()))))
                  .build()
              : null;
    }

    void acquire() {
      if (rate != null) {
        try {
          rate.acquirePermit();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw ChannelException.retryable(
              channel.name(), "interrupted while waiting for the" + " channel's rate limit", null);
        }
      }
    }
  }

  /** Counters of one pass. */
  private static final class Tally {
    final String runId;
    final LongAdder considered = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder cancelled = new LongAdder();
    final LongAdder notDue = new LongAdder();
    final LongAdder heldElsewhere = new LongAdder();
    final LongAdder attempts = new LongAdder();
    final LongAdder retries = new LongAdder();
    final ConcurrentHashMap<String, LongAdder> failures = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, LongAdder> byChannel = new ConcurrentHashMap<>();

    /** The span of the pass, parent of its deliveries' spans. */
    OperationTracer.Span span;

    Tally(String runId, long considered, OperationTracer.Span span) {
      this.runId = runId;
      this.considered.add(considered);
      this.span = span;
    }

    /** Ends the pass's span with its counts. */
    void endSpan() {
      span.attribute("opagent.run_id", runId)
          .attribute("opagent.actions.considered", considered.sum())
          .attribute("opagent.actions.delivered", completed.sum())
          .attribute("opagent.actions.failed", failed.sum())
          .end();
    }

    ExecutionReport report(Duration elapsed) {
      return new ExecutionReport(
          runId,
          considered.sum(),
          completed.sum(),
          duplicates.sum(),
          failed.sum(),
          cancelled.sum(),
          notDue.sum(),
          heldElsewhere.sum(),
          attempts.sum(),
          retries.sum(),
          sums(failures),
          sums(byChannel),
          elapsed);
    }

    private static Map<String, Long> sums(Map<String, LongAdder> m) {
      Map<String, Long> out = new HashMap<>();
      m.forEach((k, v) -> out.put(k, v.sum()));
      return out;
    }
  }

  /** Configures an {@link ExecutionService}; {@link #channels} is required. */
  public static final class Builder {
    private @Nullable ExecutionJournal journal;
    private @Nullable ChannelRegistry channels;
    private IdempotencyKeys keys = IdempotencyKeys.dailyUtc();
    private final Map<String, ChannelLimits> limits = new HashMap<>();
    private ChannelLimits defaultLimits = ChannelLimits.DEFAULT;
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration maxRetryAfter = Duration.ofMinutes(5);
    private Duration lease = Duration.ofSeconds(30);
    private @Nullable Duration heartbeat;
    private Duration expireAfter = Duration.ofHours(24);
    private @Nullable DecisionEngine engine;
    private final List<ExecutionListener> listeners = new ArrayList<>();
    private OperationTracer tracer = OperationTracer.NONE;
    private Clock clock = Clock.systemUTC();
    private @Nullable String owner;
    private boolean journalIsLedger;
    private int pageSize = DEFAULT_PAGE_SIZE;

    private Builder() {}

    /**
     * How many unfinished records {@link #execute}, {@link #cancel} and {@link #expireStale} read
     * from the journal at a time ({@link ExecutionJournal#unfinishedAfter}); {@code execute}
     * delivers one page before it reads the next, so that a round of any size is delivered with
     * memory for one page. Default {@value #DEFAULT_PAGE_SIZE}.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder pageSize(int pageSize) {
      if (pageSize < 1) {
        throw new IllegalArgumentException(
            "pageSize must be at least 1 but was "
                + pageSize
                + "; use the default ("
                + DEFAULT_PAGE_SIZE
                + ") unless memory is tight");
      }
      this.pageSize = pageSize;
      return this;
    }

    /**
     * Says that the journal is the ledger (an operating store): the money spent, the contacts and
     * the daily executions are the journal's completed entries, so the service keeps no budget,
     * contact or execution-slot bookkeeping in the {@link #decisionEngine engine}, which it still
     * asks about approvals. Default false.
     */
    public Builder journalIsLedger(boolean journalIsLedger) {
      this.journalIsLedger = journalIsLedger;
      return this;
    }

    /** Where actions are journalled. Default: a new in-memory journal (not durable). */
    public Builder journal(ExecutionJournal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /** Where actions go. Required. */
    public Builder channels(ChannelRegistry channels) {
      this.channels = Objects.requireNonNull(channels, "channels");
      return this;
    }

    /** How idempotency keys are derived. Default: one per day in UTC. */
    public Builder keys(IdempotencyKeys keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /** Limits of the channel named {@code channel}. */
    public Builder limits(String channel, ChannelLimits limits) {
      this.limits.put(
          Objects.requireNonNull(channel, "channel"), Objects.requireNonNull(limits, "limits"));
      return this;
    }

    /** Limits of channels without their own. Default: {@link ChannelLimits#DEFAULT}. */
    public Builder defaultLimits(ChannelLimits limits) {
      this.defaultLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Delivery attempts per action, first included. Default 5. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be positive but was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Full-jitter exponential backoff between attempts: a random delay up to {@code initial ×
     * 2^(attempt−1)}, capped at {@code max}. Default 200 ms to 30 s. A channel's {@code
     * Retry-After} replaces it.
     */
    public Builder backoff(Duration initial, Duration max) {
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "backoff must satisfy 0 < initial <= max but was " + initial + " to " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** The longest {@code Retry-After} honoured; longer ones are cut to it. Default 5 min. */
    public Builder maxRetryAfter(Duration max) {
      if (max.isNegative()) {
        throw new IllegalArgumentException("maxRetryAfter must not be negative but was " + max);
      }
      this.maxRetryAfter = max;
      return this;
    }

    /**
     * How long a claim holds without renewal before another executor may take the action over. The
     * service renews the leases of its claims every {@link #heartbeat heartbeat} and before every
     * retry, so a live executor keeps its work however long delivery and retries take, while the
     * work of one that died (a crash, a SIGKILL) is taken over within one lease of its death. Short
     * leases hand work over fast; a lease must outlast the longest pause of the process (a full
     * garbage collection) with room to spare. Default 30 s.
     */
    public Builder lease(Duration lease) {
      if (lease.isNegative() || lease.isZero()) {
        throw new IllegalArgumentException("lease must be positive but was " + lease);
      }
      this.lease = lease;
      return this;
    }

    /**
     * How often the service renews the leases of the claims it holds. At most half the lease, so
     * that one late renewal does not lose a claim; {@code Duration.ZERO} turns renewal off, and
     * then the lease itself must outlast the longest delivery with all its retries ({@link
     * #build()} checks the waits between attempts). Default a third of the lease.
     */
    public Builder heartbeat(Duration heartbeat) {
      if (heartbeat.isNegative()) {
        throw new IllegalArgumentException("heartbeat must not be negative but was " + heartbeat);
      }
      this.heartbeat = heartbeat;
      return this;
    }

    /**
     * How late a pending action may still be delivered: one not delivered within this time of its
     * planned time is cancelled instead (reason {@code expired}), and what it reserved is released.
     * Default 24 h.
     */
    public Builder expireAfter(Duration expireAfter) {
      if (expireAfter.isNegative() || expireAfter.isZero()) {
        throw new IllegalArgumentException("expireAfter must be positive but was " + expireAfter);
      }
      this.expireAfter = expireAfter;
      return this;
    }

    /**
     * The engine whose budget reservations, execution slots and contact history the service keeps
     * up to date. Default: none (the host does its own bookkeeping).
     */
    public Builder decisionEngine(DecisionEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /** Adds a listener for completed and failed actions (the feedback loop, metrics). */
    public Builder listener(ExecutionListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Traces each pass of delivery ({@code opagent.execution}, a child of the caller's current
     * span) and each action's delivery with its retries ({@code opagent.delivery}, a child of its
     * pass, on the channel's thread). Default: {@link OperationTracer#NONE}.
     */
    public Builder tracer(OperationTracer tracer) {
      this.tracer = Objects.requireNonNull(tracer, "tracer");
      return this;
    }

    /** The clock of journal timestamps and due times. Default: the system clock (UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** This executor's id in journal claims. Default: {@code executor-<random UUID>}. */
    public Builder owner(String owner) {
      if (owner.isBlank()) {
        throw new IllegalArgumentException("owner must not be blank");
      }
      this.owner = owner;
      return this;
    }

    /** Builds the service. */
    public ExecutionService build() {
      Duration beat = heartbeat != null ? heartbeat : lease.dividedBy(3);
      if (!beat.isZero() && beat.compareTo(lease.dividedBy(2)) > 0) {
        throw new IllegalStateException(
            "heartbeat ("
                + beat
                + ") must be at most half the lease ("
                + lease
                + "), so that one late renewal does not hand a live executor's work to"
                + " another; shorten the heartbeat or lengthen the lease");
      }
      if (beat.isZero()) {
        Duration longestWait = maxBackoff.compareTo(maxRetryAfter) > 0 ? maxBackoff : maxRetryAfter;
        Duration retrying = longestWait.multipliedBy(Math.max(0, maxAttempts - 1));
        if (retrying.compareTo(lease) >= 0) {
          throw new IllegalStateException(
              "without a heartbeat the lease ("
                  + lease
                  + ") must"
                  + " outlast delivery with every retry, but "
                  + (maxAttempts - 1)
                  + " waits of up to "
                  + longestWait
                  + " (maxBackoff, maxRetryAfter) take up to "
                  + retrying
                  + ": another"
                  + " executor would take the action over and deliver it again; keep the heartbeat,"
                  + " lengthen the lease, or lower maxAttempts, maxBackoff and maxRetryAfter");
        }
      }
      return new ExecutionService(this);
    }
  }
}
