package dev.opagent.agent.loop;

import dev.opagent.agent.engine.ActionStatus;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.CustomerViews;
import dev.opagent.agent.engine.Decision;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.DecisionRun;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.agent.engine.RunMode;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.OperatingState;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.agent.internal.GuardedTracer;
import dev.opagent.agent.spi.OperationTracer;
import dev.opagent.agent.spi.SegmentStore;
import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.Verdict;
import dev.opagent.rules.attributes.CustomerView;
import dev.opagent.segment.BatchOptions;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentOutcome;
import dev.opagent.segment.Source;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The closed loop in one call: one round segments the customers (segment-client), evaluates the
 * campaign rules (campaign-rules), decides and guards the actions ({@link DecisionEngine}),
 * journals the chosen ones and delivers them ({@link ExecutionService}), and reports every stage.
 * Thread-safe; rounds with different ids may run at once.
 *
 * <p>Approve or defer: an action that needs a human's approval is deferred by the engine, which
 * files an approval request in its {@code ApprovalGate}; once granted, the next round chooses it.
 * Every customer in gets exactly one {@link CustomerOutcome}.
 *
 * <p>Shared state: with an {@link OperatingState} (the operating store), customers are decided in
 * batches ({@link Builder#batchSize}), each in one transaction of the store against the contacts,
 * money and daily executions every process journalled, so caps, budgets and limits hold across
 * rounds, restarts and replicas; without one, they hold within this engine's memory only.
 *
 * <p>Resumption: a round is identified by its run id in the {@link ExecutionJournal}. Planning
 * journals every chosen action before anything is sent and then marks the round {@link
 * RunState#PLANNED}. If the process dies, {@link #resumeRound} on the same journal hands the dead
 * process's in-flight actions back and finishes the round: a round that was still planning is
 * planned again (the same idempotency keys find the entries already journalled), a planned round
 * only delivers what is unfinished. Nothing is sent twice by a channel that deduplicates by key.
 *
 * <p>Segment store: with {@link Builder#segmentStore}, each customer's last analysis by the agent
 * is kept across rounds and restarts, and a round asks the agent only about customers whose data
 * changed ({@link CustomerData#canonicalHash()}) or whose analysis is older than {@link
 * Builder#segmentMaxAge}; the others are answered from the store with {@link Source#STORED}. When
 * the agent fails for a customer with a retryable error, an analysis of the same data at most
 * {@link Builder#segmentStaleLimit} old is served instead. {@link RoundReport#stored()} counts
 * both.
 *
 * <p>One clock: the agent builds its {@link DecisionEngine} and {@link ExecutionService} on its own
 * {@link Builder#clock clock} ({@link Builder#decisionEngine(Consumer)}, {@link
 * Builder#executionService(Consumer)}), so "today" for the rules, the engine's windows and quiet
 * hours, and the executor's timestamps, leases and expiry all follow one clock. An engine or
 * executor built elsewhere and handed in must run on that same clock; {@link Builder#build} refuses
 * one that does not.
 *
 * <p>Closing: {@link #close} closes the execution service the agent built; one handed in with
 * {@link Builder#executionService(ExecutionService)} stays open (its owner closes it).
 *
 * <pre>{@code
 * try (OperationAgent agent = OperationAgent.builder()
 *     .segmentClient(client)
 *     .rules(() -> holder.current())
 *     .clock(clock)
 *     .decisionEngine(engine -> engine.policy(policy))
 *     .executionService(executor -> executor.journal(journal).channels(channels))
 *     .context((data, analysis, ctx) -> ctx.consents(consentStore.of(data.customerId())))
 *     .build()) {
 *   RoundReport report = agent.runRound("2026-03-15-morning", customers);
 *   report.execution().completed();
 * }
 * }</pre>
 */
public final class OperationAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperationAgent.class);

  private final Supplier<RuleSet> rules;
  private final CampaignEvaluator evaluator;
  private final DecisionEngine engine;
  private final ExecutionService executor;
  private final ExecutionJournal journal;
  private final ContextCustomizer customizer;
  private final Variants variants;
  private final Clock clock;
  private final @Nullable OperatingState state;
  private final int batchSize;
  private final SegmentReuse segmenter;
  private final boolean ownsExecutor;
  private final OperationTracer tracer;

  private OperationAgent(
      Builder b, DecisionEngine engine, ExecutionService executor, boolean ownsExecutor) {
    this.segmenter =
        new SegmentReuse(
            Objects.requireNonNull(b.segments, "segmentClient must be set"),
            b.segmentStore,
            b.batchOptions,
            b.clock,
            b.segmentMaxAge,
            b.segmentStaleLimit);
    this.rules = Objects.requireNonNull(b.rules, "rules must be set");
    this.engine = engine;
    this.executor = executor;
    this.ownsExecutor = ownsExecutor;
    this.clock = b.clock;
    this.evaluator =
        b.evaluator != null ? b.evaluator : CampaignEvaluator.builder().clock(clock).build();
    this.journal = executor.journal();
    this.customizer = b.customizer;
    this.variants = b.variants;
    this.state = b.state;
    this.batchSize = b.batchSize;
    this.tracer = GuardedTracer.of(b.tracer);
  }

  /**
   * A builder with the defaults; the segment client, the rules and the execution service (or its
   * channels) are required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The decision engine of this agent's rounds: its approvals, budgets and contact history. */
  public DecisionEngine decisionEngine() {
    return engine;
  }

  /** The execution service of this agent's rounds, and through it their journal. */
  public ExecutionService executionService() {
    return executor;
  }

  /** The one clock of this agent, its engine and its execution service. */
  public Clock clock() {
    return clock;
  }

  /** The rules as they are now. */
  RuleSet currentRules() {
    return rules.get();
  }

  CampaignEvaluator evaluator() {
    return evaluator;
  }

  ContextCustomizer customizer() {
    return customizer;
  }

  Variants variants() {
    return variants;
  }

  @Nullable OperatingState operatingState() {
    return state;
  }

  SegmentReuse segmenter() {
    return segmenter;
  }

  /**
   * Closes the execution service if this agent built it ({@link
   * Builder#executionService(Consumer)}); one that was handed in is left open. The segment client
   * and everything else handed in are never closed here.
   */
  @Override
  public void close() {
    if (ownsExecutor) {
      executor.close();
    }
  }

  /**
   * Runs a new round {@code runId} over {@code customers}.
   *
   * @throws IllegalStateException if the journal already knows the round (use {@link #resumeRound})
   */
  public RoundReport runRound(String runId, List<CustomerData> customers) {
    requireRunId(runId);
    Optional<RunState> state = journal.runState(runId);
    if (state.isPresent()) {
      throw new IllegalStateException(
          "round "
              + runId
              + " already exists in the journal (state "
              + state.get()
              + "); call resumeRound to finish it, or choose a new run id");
    }
    return round(runId, customers, false);
  }

  /**
   * Finishes round {@code runId} after the process running it died: hands back its in-flight
   * actions once their leases have ended (within one lease of the death: the execution service's
   * {@link ExecutionService.Builder#lease lease}, 30 s by default; it waits that long at most),
   * plans again if planning had not finished (with the same customers), and delivers what is
   * unfinished. Actions another live executor is delivering stay with it (counted as held
   * elsewhere). A round the journal does not know is run as new.
   */
  public RoundReport resumeRound(String runId, List<CustomerData> customers) {
    requireRunId(runId);
    Optional<RunState> state = journal.runState(runId);
    if (state.isEmpty()) {
      return round(runId, customers, false);
    }
    if (state.get() == RunState.PLANNING) {
      executor.recover(runId);
      return round(runId, customers, true);
    }
    return traced(runId, true, () -> executeOnly(runId));
  }

  /** Finishes a round whose planning had finished: delivery only. */
  private RoundReport executeOnly(String runId) {
    long started = System.nanoTime();
    ExecutionReport execution = executor.resume(runId, executor.lease().plus(executor.heartbeat()));
    LOG.info(
        "round {} resumed: {} delivered, {} failed",
        runId,
        execution.completed(),
        execution.failed());
    return new RoundReport(
        runId,
        true,
        false,
        0,
        0,
        0,
        0,
        0,
        Map.of(),
        Map.of(),
        0,
        0,
        0,
        0,
        0,
        Map.of(),
        0,
        0,
        execution,
        List.of(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private RoundReport round(String runId, List<CustomerData> customers, boolean resumed) {
    return traced(
        runId,
        resumed,
        () -> {
          long started = System.nanoTime();
          Round round = begin(runId);
          List<CustomerOutcome> outcomes = plan(round, customers, 0);
          journal.runState(runId, RunState.PLANNED, clock.instant());
          ExecutionReport execution =
              resumed
                  ? executor.resume(runId, executor.lease().plus(executor.heartbeat()))
                  : executor.execute(runId);
          return finish(round, resumed, customers.size(), execution, outcomes, started);
        });
  }

  /**
   * Runs {@code round} in a span {@code opagent.round}, current on this thread meanwhile, ended
   * with the round's counts.
   */
  private RoundReport traced(String runId, boolean resumed, Supplier<RoundReport> round) {
    return within(
        tracer
            .start("opagent.round", null)
            .attribute("opagent.run_id", runId)
            .attribute("opagent.round.resumed", String.valueOf(resumed)),
        span -> {
          RoundReport report = round.get();
          record(report);
          span.attribute("opagent.customers", report.customers())
              .attribute("opagent.actions.chosen", report.chosen())
              .attribute("opagent.actions.deferred", report.deferred())
              .attribute("opagent.actions.blocked", report.blocked())
              .attribute("opagent.actions.delivered", report.execution().completed())
              .attribute("opagent.actions.failed", report.execution().failed());
          return report;
        });
  }

  /** Tells an operating state that keeps round reports of a round that planned customers. */
  private void record(RoundReport report) {
    if (report.replanned() && state instanceof RoundRecorder recorder) {
      try {
        recorder.recordRound(report, clock.instant());
      } catch (RuntimeException e) {
        LOG.warn(
            "round {}: its report was not recorded ({})", report.runId(), e.getClass().getName());
      }
    }
  }

  /**
   * Runs {@code body} with {@code span} current on this thread, marks the span failed when the body
   * throws, and ends it.
   */
  private static <T> T within(OperationTracer.Span span, Function<OperationTracer.Span, T> body) {
    try (OperationTracer.Scope scope = span.makeCurrent()) {
      return body.apply(span);
    } catch (RuntimeException | Error e) {
      span.failed(e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
    }
  }

  /**
   * Runs a new round {@code runId} over customers read as they are needed, {@code chunkSize} at a
   * time: each chunk is segmented, decided and journalled, and its actions delivered, before the
   * next is read, and each customer's outcome goes to {@code outcomes} instead of into the report
   * (whose {@link RoundReport#outcomes()} is empty). Memory holds one chunk and one page of the
   * journal ({@link ExecutionService.Builder#pageSize}), whatever the number of customers; the
   * journal, the operating state and the channels hold the rest. Frequency caps within the round
   * count what earlier chunks delivered through the contact history (or the operating state).
   *
   * @param chunkSize customers per chunk, at least 1; a few thousand keep the segment client's
   *     batches full
   * @throws IllegalStateException if the journal already knows the round (use {@link
   *     #resumeRound(String, Iterator, int, Consumer)})
   * @throws IllegalArgumentException if {@code chunkSize} is below 1
   */
  public RoundReport runRound(
      String runId,
      Iterator<CustomerData> customers,
      int chunkSize,
      Consumer<CustomerOutcome> outcomes) {
    requireRunId(runId);
    Optional<RunState> state = journal.runState(runId);
    if (state.isPresent()) {
      throw new IllegalStateException(
          "round "
              + runId
              + " already exists in the journal (state "
              + state.get()
              + "); call resumeRound to finish it, or choose a new run id");
    }
    return streamedRound(runId, customers, chunkSize, outcomes, false);
  }

  /**
   * Finishes round {@code runId} like {@link #resumeRound(String, List)}, reading the customers as
   * {@link #runRound(String, Iterator, int, Consumer)} does: they are read (and planned again, the
   * journalled keys keeping what was delivered from being sent again) only when planning had not
   * finished.
   */
  public RoundReport resumeRound(
      String runId,
      Iterator<CustomerData> customers,
      int chunkSize,
      Consumer<CustomerOutcome> outcomes) {
    requireRunId(runId);
    Optional<RunState> state = journal.runState(runId);
    if (state.isEmpty()) {
      return streamedRound(runId, customers, chunkSize, outcomes, false);
    }
    if (state.get() == RunState.PLANNING) {
      executor.recover(runId);
      return streamedRound(runId, customers, chunkSize, outcomes, true);
    }
    return resumeRound(runId, List.of());
  }

  private RoundReport streamedRound(
      String runId,
      Iterator<CustomerData> customers,
      int chunkSize,
      Consumer<CustomerOutcome> sink,
      boolean resumed) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be at least 1 but was " + chunkSize);
    }
    Objects.requireNonNull(customers, "customers");
    Objects.requireNonNull(sink, "outcomes");
    return traced(runId, resumed, () -> chunkedRound(runId, customers, chunkSize, sink, resumed));
  }

  private RoundReport chunkedRound(
      String runId,
      Iterator<CustomerData> customers,
      int chunkSize,
      Consumer<CustomerOutcome> sink,
      boolean resumed) {
    long started = System.nanoTime();
    Round round = begin(runId);
    if (resumed) {
      // What the dead process left executing is handed back once its leases end.
      executor.resume(runId, executor.lease().plus(executor.heartbeat()));
    }
    ExecutionReport execution = null;
    long offset = 0;
    List<CustomerData> chunk = new ArrayList<>(chunkSize);
    while (customers.hasNext()) {
      chunk.clear();
      while (chunk.size() < chunkSize && customers.hasNext()) {
        chunk.add(customers.next());
      }
      List<CustomerOutcome> planned = plan(round, chunk, offset);
      offset += chunk.size();
      execution = merged(execution, executor.execute(runId));
      if (state == null) {
        releaseFinished(round.run, planned);
      }
      for (CustomerOutcome o : planned) {
        sink.accept(o);
      }
    }
    chunk.clear();
    journal.runState(runId, RunState.PLANNED, clock.instant());
    execution = merged(execution, executor.execute(runId));
    return finish(round, resumed, offset, execution, List.of(), started);
  }

  /**
   * Releases the planned contacts of the customers whose actions are all finished: the delivered
   * ones are in the contact history now, so a customer met again later in the round is capped by
   * what was delivered, counted once.
   */
  private void releaseFinished(DecisionRun run, List<CustomerOutcome> outcomes) {
    List<String> finished = new ArrayList<>();
    for (CustomerOutcome o : outcomes) {
      String id = o.customerId();
      if (id == null || o.actionKeys().isEmpty()) {
        continue;
      }
      boolean done = true;
      for (String key : o.actionKeys()) {
        done &= journal.find(key).map(r -> r.state().isTerminal()).orElse(true);
      }
      if (done) {
        finished.add(id);
      }
    }
    run.release(finished);
  }

  /** Passes of delivery added up; actions not due or held elsewhere are the last pass's. */
  static ExecutionReport merged(@Nullable ExecutionReport a, ExecutionReport b) {
    if (a == null) {
      return b;
    }
    Map<String, Long> failures = new HashMap<>(a.failures());
    b.failures().forEach((k, v) -> failures.merge(k, v, Long::sum));
    Map<String, Long> byChannel = new HashMap<>(a.completedByChannel());
    b.completedByChannel().forEach((k, v) -> byChannel.merge(k, v, Long::sum));
    return new ExecutionReport(
        b.runId(),
        a.considered() - a.notDue() - a.heldElsewhere() + b.considered(),
        a.completed() + b.completed(),
        a.duplicates() + b.duplicates(),
        a.failed() + b.failed(),
        a.cancelled() + b.cancelled(),
        b.notDue(),
        b.heldElsewhere(),
        a.attempts() + b.attempts(),
        a.retries() + b.retries(),
        failures,
        byChannel,
        a.elapsed().plus(b.elapsed()));
  }

  /** What a round plans with, and its counts so far. */
  private final class Round {
    final String runId;
    final RuleSet ruleSet;
    final LocalDate asOf;
    final DecisionRun run;
    final Tally t = new Tally();
    long stored;
    long storedOnFailure;
    long fresh;
    long journalled;

    Round(String runId) {
      this.runId = runId;
      this.ruleSet = rules.get();
      this.asOf = LocalDate.ofInstant(clock.instant(), engine.policy().operatingZone());
      this.run = engine.startRun(RunMode.LIVE);
    }
  }

  private Round begin(String runId) {
    executor.expireStale();
    journal.runState(runId, RunState.PLANNING, clock.instant());
    return new Round(runId);
  }

  /**
   * Segments, decides and journals {@code customers} (the customers from index {@code offset} of
   * the round), adding to the round's counts.
   *
   * @return each customer's outcome, in order
   */
  private List<CustomerOutcome> plan(Round round, List<CustomerData> customers, long offset) {
    SegmentReuse.Result segmentation =
        within(
            tracer
                .start("opagent.round.segment", null)
                .attribute("opagent.customers", customers.size()),
            span -> {
              SegmentReuse.Result r = segmenter.analyzeAll(customers);
              span.attribute("opagent.segment.reused", r.stored())
                  .attribute(
                      "opagent.segment.failures",
                      r.outcomes().stream()
                          .filter(o -> o instanceof SegmentOutcome.Failure)
                          .count());
              return r;
            });
    long chosenBefore = round.t.chosen;
    return within(
        tracer.start("opagent.round.decide", null).attribute("opagent.customers", customers.size()),
        span -> {
          List<CustomerOutcome> outcomes = decide(round, customers, offset, segmentation);
          span.attribute("opagent.actions.chosen", round.t.chosen - chosenBefore);
          return outcomes;
        });
  }

  /** Evaluates, decides and journals the segmented {@code customers}. */
  private List<CustomerOutcome> decide(
      Round round, List<CustomerData> customers, long offset, SegmentReuse.Result segmentation) {
    String runId = round.runId;
    RuleSet ruleSet = round.ruleSet;
    LocalDate asOf = round.asOf;
    DecisionRun run = round.run;
    Tally t = round.t;
    round.stored += segmentation.stored();
    round.storedOnFailure += segmentation.storedOnFailure();
    List<SegmentOutcome> analysed = segmentation.outcomes();
    List<CustomerOutcome> outcomes = new ArrayList<>(customers.size());
    CustomerContext[] contexts = new CustomerContext[customers.size()];
    for (int i = 0; i < customers.size(); i++) {
      SegmentOutcome o = analysed.get(i);
      if (o instanceof SegmentOutcome.Failure f) {
        t.segmentationFailures.merge(f.code().name(), 1L, Long::sum);
        outcomes.add(
            new CustomerOutcome(
                f.customerId(),
                offset + i,
                CustomerOutcome.Stage.SEGMENTATION_FAILED,
                f.code() + ": " + f.message(),
                List.of()));
        continue;
      }
      SegmentOutcome.Success s = (SegmentOutcome.Success) o;
      t.segmented++;
      if (s.source() == Source.FALLBACK) {
        t.fallback++;
      }
      CustomerData data = customers.get(i);
      SegmentAnalysis analysis = s.analysis();
      CustomerView view = CustomerViews.of(data, analysis, customizer.attributes(data), asOf);
      Eligibility eligibility = evaluator.evaluate(ruleSet, s.customerId(), view);
      for (Verdict v : eligibility.details()) {
        if (v instanceof Verdict.Eligible el) {
          t.eligible.merge(el.ruleId(), 1L, Long::sum);
        }
      }
      CustomerContext.Builder cb =
          CustomerContext.builder(eligibility).customerData(data).analysis(analysis);
      customizer.customize(data, analysis, cb);
      contexts[i] = cb.build();
      outcomes.add(null);
    }
    List<ExecutionRecord> records = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    if (state == null) {
      Planned p = new Planned();
      for (int i = 0; i < contexts.length; i++) {
        if (contexts[i] != null) {
          p.add(i, contexts[i], run.decide(contexts[i]), runId);
        }
      }
      records.addAll(executor.enlist(p.requests, p.origins));
      p.tally(t, outcomes, contexts, owners, offset);
    } else {
      for (int from = 0; from < contexts.length; from += batchSize) {
        int to = Math.min(contexts.length, from + batchSize);
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
          if (contexts[i] != null) {
            ids.add(contexts[i].customerId());
          }
        }
        if (ids.isEmpty()) {
          continue;
        }
        int first = from;
        Planned p =
            state.inBatch(
                ids,
                engine.policy(),
                clock.instant(),
                batch -> {
                  DecisionRun.Against against = run.against(batch);
                  Planned planned = new Planned();
                  for (int i = first; i < to; i++) {
                    if (contexts[i] != null) {
                      planned.add(i, contexts[i], against.decide(contexts[i]), runId);
                    }
                  }
                  planned.records = batch.enlist(planned.requests, planned.origins);
                  return planned;
                });
        executor.track(p.records, p.origins);
        records.addAll(p.records);
        p.tally(t, outcomes, contexts, owners, offset);
      }
    }
    Map<Integer, List<String>> keysByCustomer = new HashMap<>();
    long fresh = 0;
    for (int k = 0; k < records.size(); k++) {
      ExecutionRecord r = records.get(k);
      keysByCustomer.computeIfAbsent(owners.get(k), x -> new ArrayList<>()).add(r.key());
      if (r.runId().equals(runId) && !r.state().isTerminal() && r.attempts() == 0) {
        fresh++;
      }
    }
    keysByCustomer.forEach(
        (i, keys) -> {
          CustomerOutcome o = outcomes.get(i);
          outcomes.set(
              i, new CustomerOutcome(o.customerId(), o.index(), o.stage(), o.detail(), keys));
        });
    round.fresh += fresh;
    round.journalled += records.size() - fresh;
    return outcomes;
  }

  private RoundReport finish(
      Round round,
      boolean resumed,
      long customers,
      ExecutionReport execution,
      List<CustomerOutcome> outcomes,
      long started) {
    Tally t = round.t;
    String runId = round.runId;
    RoundReport report =
        new RoundReport(
            runId,
            resumed,
            true,
            customers,
            t.segmented,
            t.fallback,
            round.stored,
            round.storedOnFailure,
            t.segmentationFailures,
            t.eligible,
            t.heldOut,
            t.chosen,
            t.deferred,
            t.blocked,
            t.suppressed,
            t.reasons,
            round.fresh,
            round.journalled,
            execution,
            outcomes,
            Duration.ofNanos(System.nanoTime() - started));
    LOG.info(
        "round {}: {} customers, {} actions chosen, {} delivered, {} failed, {} deferred",
        runId,
        report.customers(),
        report.chosen(),
        execution.completed(),
        execution.failed(),
        report.deferred());
    return report;
  }

  /** The decisions of some customers and the requests of their chosen actions. */
  private final class Planned {
    final List<Integer> indices = new ArrayList<>();
    final List<Decision> decisions = new ArrayList<>();
    final List<ActionRequest> requests = new ArrayList<>();
    final List<PlannedAction> origins = new ArrayList<>();
    final List<Integer> owners = new ArrayList<>();
    List<ExecutionRecord> records = List.of();

    void add(int index, CustomerContext ctx, Decision d, String runId) {
      indices.add(index);
      decisions.add(d);
      for (PlannedAction a : d.candidates()) {
        if (a.status() == ActionStatus.CHOSEN) {
          requests.add(
              executor.request(
                  runId, a, variants.variant(a.customerId(), a.campaign()), ctx.segmentKey()));
          origins.add(a);
          owners.add(index);
        }
      }
    }

    /** Counts the decisions and sets each customer's outcome. */
    void tally(
        Tally t,
        List<CustomerOutcome> outcomes,
        CustomerContext[] contexts,
        List<Integer> allOwners,
        long offset) {
      allOwners.addAll(owners);
      for (int k = 0; k < decisions.size(); k++) {
        int i = indices.get(k);
        Decision d = decisions.get(k);
        int chosenHere = 0;
        for (PlannedAction a : d.candidates()) {
          switch (a.status()) {
            case CHOSEN -> {
              chosenHere++;
              t.chosen++;
            }
            case DEFERRED -> t.deferred++;
            case BLOCKED -> t.blocked++;
            case SUPPRESSED -> t.suppressed++;
            default -> throw new IllegalStateException("unknown status " + a.status());
          }
          if (!a.isChosen()) {
            t.reasons.merge(a.reason(), 1L, Long::sum);
          }
        }
        CustomerOutcome.Stage stage;
        String detail = null;
        if (chosenHere > 0) {
          stage = CustomerOutcome.Stage.ACTIONS_PLANNED;
        } else if (d.isHeldOut() || (d.candidates().isEmpty() && !d.heldOut().isEmpty())) {
          stage = CustomerOutcome.Stage.HELD_OUT;
          t.heldOut++;
        } else if (d.candidates().isEmpty()) {
          stage = CustomerOutcome.Stage.NOT_ELIGIBLE;
        } else {
          stage = CustomerOutcome.Stage.NO_ACTION_CHOSEN;
          detail = d.candidates().get(0).reason().name();
        }
        outcomes.set(
            i, new CustomerOutcome(contexts[i].customerId(), offset + i, stage, detail, List.of()));
      }
    }
  }

  private static void requireRunId(String runId) {
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("runId must not be blank");
    }
  }

  /** Counters of one round's planning. */
  private static final class Tally {
    long segmented;
    long fallback;
    long heldOut;
    long chosen;
    long deferred;
    long blocked;
    long suppressed;
    final Map<String, Long> segmentationFailures = new HashMap<>();
    final Map<String, Long> eligible = new HashMap<>();
    final Map<ReasonCode, Long> reasons = new EnumMap<>(ReasonCode.class);
  }

  /**
   * Adds what only the host knows to each customer: consent, time zone, attributes for the campaign
   * conditions. Implementations must be thread-safe.
   */
  @FunctionalInterface
  public interface ContextCustomizer {
    /** Nothing added: no consent, the policy's zone, no attributes. */
    ContextCustomizer NONE = (data, analysis, context) -> {};

    /** Sets consent, zone, basket or value on {@code context}. */
    void customize(CustomerData data, SegmentAnalysis analysis, CustomerContext.Builder context);

    /** Host attributes the campaign conditions may use. Default: none. */
    default Map<String, ?> attributes(CustomerData data) {
      return Map.of();
    }
  }

  /** Which experiment variant of a campaign a customer is in; null when none. */
  @FunctionalInterface
  public interface Variants {
    /** No experiments. */
    Variants NONE = (customerId, campaign) -> null;

    /** The variant of {@code campaign} for {@code customerId}, or null. */
    @Nullable String variant(String customerId, String campaign);
  }

  /** Rules that do not change between rounds. */
  private record FixedRules(RuleSet rules) implements Supplier<RuleSet> {
    @Override
    public RuleSet get() {
      return rules;
    }
  }

  /** Configures an {@link OperationAgent}. Not thread-safe. */
  public static final class Builder {
    private @Nullable SegmentClient segments;
    private @Nullable Supplier<RuleSet> rules;
    private @Nullable CampaignEvaluator evaluator;
    private @Nullable DecisionEngine engine;
    private @Nullable Consumer<DecisionEngine.Builder> engineOptions;
    private @Nullable ExecutionService executor;
    private @Nullable Consumer<ExecutionService.Builder> executorOptions;
    private ContextCustomizer customizer = ContextCustomizer.NONE;
    private Variants variants = Variants.NONE;
    private BatchOptions batchOptions = BatchOptions.ofDefaults();
    private Clock clock = Clock.systemUTC();
    private @Nullable OperatingState state;
    private int batchSize = 500;
    private @Nullable SegmentStore segmentStore;
    private Duration segmentMaxAge = Duration.ofDays(7);
    private Duration segmentStaleLimit = Duration.ofDays(30);
    private OperationTracer tracer = OperationTracer.NONE;

    private Builder() {}

    /**
     * Keeps each customer's segment analysis across rounds, restarts and (with a shared store)
     * processes, so that the agent, the slow and costly part of a round, is asked only about what
     * changed. Before a round asks the agent, every customer whose stored analysis was made by the
     * same agent (runtime ARN and qualifier of the {@link #segmentClient}) from the same data
     * ({@link CustomerData#canonicalHash()}) less than {@link #segmentMaxAge} ago is answered from
     * the store with {@link Source#STORED}; the others are asked, and every answer of the agent
     * itself ({@link Source#AGENT}; not the client's cache, not its fallback segmenter) is saved. A
     * customer the agent fails with a retryable error (unavailable, throttled, timed out, circuit
     * open) is answered from the store when it holds an analysis of the same data at most {@link
     * #segmentStaleLimit} old; a failure the client turned into a fallback answer stands. Changed
     * data is always asked about. {@link RoundReport#stored()} and {@link
     * RoundReport#storedOnFailure()} count what the store answered.
     *
     * <p>A store that fails to read or save is logged (without its message) and bypassed: the round
     * then asks the agent about every customer. Default: none (every round asks about every
     * customer; the client's in-memory cache still answers repeats within its TTL).
     */
    public Builder segmentStore(SegmentStore store) {
      this.segmentStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * How long a stored analysis of unchanged data is used instead of asking the agent. An analysis
     * describes the customer on the day it was made (recency and overdue products count from that
     * day), so a longer age saves more calls and lets those drift further; zero asks the agent
     * about everyone and uses the store only when it fails. Default 7 days.
     */
    public Builder segmentMaxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative()) {
        throw new IllegalArgumentException("segmentMaxAge must not be negative but was " + maxAge);
      }
      this.segmentMaxAge = maxAge;
      return this;
    }

    /**
     * How old a stored analysis of unchanged data may be and still be served when the agent fails
     * for the customer with a retryable error, rather than failing the customer. Zero never serves
     * one then; otherwise it must be at least {@link #segmentMaxAge} (younger analyses are used
     * without asking anyway). Default 30 days.
     */
    public Builder segmentStaleLimit(Duration staleLimit) {
      Objects.requireNonNull(staleLimit, "staleLimit");
      if (staleLimit.isNegative()) {
        throw new IllegalArgumentException(
            "segmentStaleLimit must not be negative but was " + staleLimit);
      }
      this.segmentStaleLimit = staleLimit;
      return this;
    }

    /**
     * Decides against shared operating state (an operating store): each batch of customers is
     * decided under the store's locks, against the contacts, money and daily executions every
     * process journalled, and journalled in the same transaction, so frequency caps, budgets and
     * execution limits hold across rounds, restarts and processes. Give the execution service the
     * store's journal and {@code journalIsLedger(true)}. A state that is also a {@link
     * RoundRecorder} (the operating store's) keeps the report of every round planned. Default: none
     * (the engine's memory).
     */
    public Builder operatingState(OperatingState state) {
      this.state = Objects.requireNonNull(state, "state");
      return this;
    }

    /**
     * Customers decided per transaction with {@link #operatingState}: larger batches cost fewer
     * transactions and hold the locks longer. Default 500.
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be positive but was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** The segment agent's client. Required. */
    public Builder segmentClient(SegmentClient client) {
      this.segments = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The campaign rules, fixed. */
    public Builder rules(RuleSet rules) {
      this.rules = new FixedRules(Objects.requireNonNull(rules, "rules"));
      return this;
    }

    /** The campaign rules, read at the start of every round (a {@code RuleSetHolder}). */
    public Builder rules(Supplier<RuleSet> rules) {
      this.rules = Objects.requireNonNull(rules, "rules");
      return this;
    }

    /** The evaluator of the rules. Default: one on this agent's clock. */
    public Builder evaluator(CampaignEvaluator evaluator) {
      this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
      return this;
    }

    /**
     * Configures the decision engine that {@link #build()} creates on this agent's {@link #clock
     * clock}, and with the rules' campaigns precompiled when they are fixed ({@link
     * #rules(RuleSet)}). Set everything else — policy, contact history, conversion rates, budget
     * ledger, approval gate — in {@code engineOptions}, but not the clock: set it once with {@link
     * #clock}; {@code build()} fails if the options set another. Replaces an engine given with
     * {@link #decisionEngine(DecisionEngine)}. Default: an engine with the default policy.
     *
     * <pre>{@code
     * OperationAgent.builder().clock(clock)
     *     .decisionEngine(engine -> engine.policy(policy).approvalGate(store.approvalGate(clock)))
     * }</pre>
     *
     * @param engineOptions applied to a fresh {@link DecisionEngine.Builder} on this clock
     */
    public Builder decisionEngine(Consumer<DecisionEngine.Builder> engineOptions) {
      this.engineOptions = Objects.requireNonNull(engineOptions, "engineOptions");
      this.engine = null;
      return this;
    }

    /**
     * A decision engine built elsewhere, for hosts that share one engine with other users (a tool
     * registry, a second agent). It must run on this agent's {@link #clock clock}: {@link #build()}
     * fails otherwise. Replaces {@link #decisionEngine(Consumer)}; prefer that one, which cannot
     * get the clock wrong.
     */
    public Builder decisionEngine(DecisionEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      this.engineOptions = null;
      return this;
    }

    /**
     * Configures the execution service that {@link #build()} creates on this agent's {@link #clock
     * clock}, keeping the books of this agent's decision engine; the agent owns it and {@link
     * OperationAgent#close} closes it. Set the channels (required), the journal and the rest in
     * {@code serviceOptions}, but neither the clock (set it once with {@link #clock}) nor another
     * decision engine: {@code build()} fails if the options do. With an {@link #operatingState
     * operating store}, give it the store's journal and {@code journalIsLedger(true)}. Replaces a
     * service given with {@link #executionService(ExecutionService)}.
     *
     * <pre>{@code
     * OperationAgent.builder().clock(clock)
     *     .executionService(executor -> executor.journal(store.journal()).journalIsLedger(true)
     *         .channels(channels))
     * }</pre>
     *
     * @param serviceOptions applied to a fresh {@link ExecutionService.Builder} on this clock
     */
    public Builder executionService(Consumer<ExecutionService.Builder> serviceOptions) {
      this.executorOptions = Objects.requireNonNull(serviceOptions, "serviceOptions");
      this.executor = null;
      return this;
    }

    /**
     * An execution service built elsewhere, for hosts that share it with other users; the agent
     * does not close it. It must run on this agent's {@link #clock clock} and, when it keeps an
     * engine's books, on this agent's engine: {@link #build()} fails otherwise. Replaces {@link
     * #executionService(Consumer)}; prefer that one.
     */
    public Builder executionService(ExecutionService service) {
      this.executor = Objects.requireNonNull(service, "service");
      this.executorOptions = null;
      return this;
    }

    /** Consent, zone and attributes per customer. Default: none (so no consent). */
    public Builder context(ContextCustomizer customizer) {
      this.customizer = Objects.requireNonNull(customizer, "customizer");
      return this;
    }

    /** Experiment variants per customer and campaign. Default: none. */
    public Builder variants(Variants variants) {
      this.variants = Objects.requireNonNull(variants, "variants");
      return this;
    }

    /** How segmentation batches run. Default: {@link BatchOptions#ofDefaults()}. */
    public Builder batchOptions(BatchOptions options) {
      this.batchOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * The one clock of the round: "today" for the rules, the decision engine's windows and quiet
     * hours, the execution service's journal timestamps, leases and expiry. The engine and the
     * service the agent builds take it; ones handed in must already run on it. Default: system UTC.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Traces rounds: a span {@code opagent.round} per round (a child of the caller's current span,
     * current while the round runs, so the segment client's traced calls and the execution passes
     * nest under it), {@code opagent.round.segment} and {@code opagent.round.decide} for each batch
     * of customers planned, and — given to the execution service {@link #build()} creates, unless
     * its options set another — {@code opagent.execution} per pass of delivery and {@code
     * opagent.delivery} per action. Default: {@link OperationTracer#NONE}.
     */
    public Builder tracer(OperationTracer tracer) {
      this.tracer = Objects.requireNonNull(tracer, "tracer");
      return this;
    }

    /**
     * Builds the agent, and its decision engine and execution service when they are configured here
     * rather than handed in.
     *
     * @throws NullPointerException if a required option is missing (the segment client, the rules,
     *     the execution service or its channels)
     * @throws IllegalStateException if {@link #segmentStaleLimit} is shorter than {@link
     *     #segmentMaxAge} without being zero; if the decision engine or the execution service runs
     *     on another clock than {@link #clock}; if the execution service keeps the books of another
     *     decision engine than the agent's
     */
    public OperationAgent build() {
      if (!segmentStaleLimit.isZero() && segmentStaleLimit.compareTo(segmentMaxAge) < 0) {
        throw new IllegalStateException(
            "segmentStaleLimit must be zero (never serve a stored"
                + " analysis when the agent fails) or at least segmentMaxAge, but was "
                + segmentStaleLimit
                + " with segmentMaxAge "
                + segmentMaxAge
                + "; raise segmentStaleLimit or set it to Duration.ZERO");
      }
      Objects.requireNonNull(segments, "segmentClient must be set");
      Objects.requireNonNull(rules, "rules must be set");
      DecisionEngine e = engine != null ? engine : buildEngine();
      if (!e.clock().equals(clock)) {
        throw new IllegalStateException(
            engine != null
                ? "the decision engine runs on another clock ("
                    + e.clock()
                    + ") than the agent ("
                    + clock
                    + "); build it with the agent's clock, or configure it through"
                    + " OperationAgent.Builder.decisionEngine(engine -> ...), which uses the agent's"
                    + " clock"
                : "the decisionEngine options set the decision engine's clock ("
                    + e.clock()
                    + ") to another than the agent's ("
                    + clock
                    + "); remove clock(...) from the"
                    + " decisionEngine options and set the one clock with"
                    + " OperationAgent.Builder.clock(...)");
      }
      if (executor != null) {
        checkExecutor(executor, e, false);
        return new OperationAgent(this, e, executor, false);
      }
      if (executorOptions == null) {
        throw new NullPointerException(
            "executionService must be set: OperationAgent.Builder"
                + ".executionService(executor -> executor.channels(...))");
      }
      ExecutionService.Builder sb =
          ExecutionService.builder().clock(clock).decisionEngine(e).tracer(tracer);
      executorOptions.accept(sb);
      ExecutionService built = sb.build();
      try {
        checkExecutor(built, e, true);
        return new OperationAgent(this, e, built, true);
      } catch (RuntimeException failed) {
        built.close();
        throw failed;
      }
    }

    private DecisionEngine buildEngine() {
      DecisionEngine.Builder eb = DecisionEngine.builder().clock(clock);
      RuleSet fixed = rules instanceof FixedRules f ? f.rules() : null;
      if (fixed != null) {
        eb.rules(fixed);
      }
      if (engineOptions != null) {
        engineOptions.accept(eb);
      }
      return eb.build();
    }

    private void checkExecutor(ExecutionService s, DecisionEngine e, boolean built) {
      if (!s.clock().equals(clock)) {
        throw new IllegalStateException(
            built
                ? "the executionService options set the execution service's clock ("
                    + s.clock()
                    + ") to another than the agent's ("
                    + clock
                    + "); remove clock(...) from the"
                    + " executionService options and set the one clock with"
                    + " OperationAgent.Builder.clock(...)"
                : "the execution service runs on another clock ("
                    + s.clock()
                    + ") than the agent ("
                    + clock
                    + "); build it with the agent's clock, or configure it through"
                    + " OperationAgent.Builder.executionService(executor -> ...), which uses the"
                    + " agent's clock");
      }
      if (s.decisionEngine().isPresent() && s.decisionEngine().get() != e) {
        throw new IllegalStateException(
            built
                ? "the executionService options set another decision engine than the agent's;"
                    + " remove decisionEngine(...) from them: the service keeps the books of the"
                    + " agent's engine"
                : "the execution service keeps the books of another decision engine than the"
                    + " agent's; give the agent that engine, or configure the service through"
                    + " OperationAgent.Builder.executionService(executor -> ...)");
      }
    }
  }
}
