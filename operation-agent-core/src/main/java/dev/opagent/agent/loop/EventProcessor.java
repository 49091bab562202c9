package dev.opagent.agent.loop;

import dev.opagent.agent.engine.ActionStatus;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.CustomerViews;
import dev.opagent.agent.engine.Decision;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.DecisionRun;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.engine.RunMode;
import dev.opagent.agent.event.CustomerDirectory;
import dev.opagent.agent.event.CustomerEvent;
import dev.opagent.agent.event.EventCancellations;
import dev.opagent.agent.event.Purchases;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.OperatingState;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.agent.feedback.Attribution;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionRecorder;
import dev.opagent.agent.feedback.InteractionType;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.Rule;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.attributes.CustomerView;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentOutcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The operation loop driven by customer events, one event at a time, for hosts that receive them
 * from webhooks or a queue. For each {@link CustomerEvent} it:
 *
 * <ol>
 *   <li>withdraws the customer's pending actions the event cancels (a rule's {@code cancel_on}; an
 *       unsubscribe from a channel), giving their reservations back, and records an unsubscribe in
 *       the {@link CustomerDirectory};
 *   <li>attributes the interaction it stands for ({@code purchase} a conversion, {@code
 *       email_open}, {@code click}, {@code coupon_used}) to the customer's last delivered action,
 *       or to the action its {@code data.actionKey} names;
 *   <li>adds a purchase to the customer's data in the directory;
 *   <li>when a campaign triggers on the event's type: segments the customer (from the segment store
 *       when their data did not change, or changed within {@link Builder#segmentRefreshDebounce}),
 *       evaluates the triggered campaigns ({@code CampaignEvaluator#evaluateEvent}), decides and
 *       guards the actions with the agent's decision engine (against the operating store when the
 *       agent has one), journals the chosen ones, and delivers at once those that are due; those
 *       with {@code delay_minutes} wait in the journal until {@link #deliverDue} finds them due.
 * </ol>
 *
 * It uses the {@link OperationAgent}'s rules, evaluator, engine, execution service, context,
 * variants and segment store, so the guardrails, the store and the idempotency keys are those of
 * the agent's rounds: an action a round already journalled for the customer that day is not
 * journalled again, and an event accepted twice (a webhook delivered again) is decided once. The
 * actions of events decided on one day, in the policy's operating zone, form the run {@code
 * events-YYYY-MM-DD}.
 *
 * <p>Thread-safe. Accept one customer's events one at a time, in the order they happened (events of
 * different customers may be accepted at once): that is what a Flink key or a queue partitioned by
 * customer gives. Without an operating store, the contacts an event plans count against the
 * customer's caps until they are delivered (or withdrawn) within this processor only; with one,
 * every process sees them.
 *
 * <pre>{@code
 * EventProcessor events = EventProcessor.builder(agent)
 *     .customers(directory)                  // the host's customer data, by id
 *     .feedback(feedbackLoop)                // attribution of purchases, opens and clicks
 *     .build();
 * EventOutcome outcome = events.accept(CustomerEvents.fromJson(webhookBody));
 * ...
 * events.deliverDue();                       // every minute: the scheduled actions now due
 * }</pre>
 */
public final class EventProcessor {
  /** The prefix of the runs events' actions are journalled under. */
  public static final String RUN_PREFIX = "events-";

  private final OperationAgent agent;
  private final ExecutionService executor;
  private final ExecutionJournal journal;
  private final DecisionEngine engine;
  private final CustomerDirectory customers;
  private final @Nullable InteractionRecorder feedback;
  private final Duration debounce;
  private final ZoneId zone;

  /** The run of the current day without an operating store (its planned contacts). */
  private volatile @Nullable DayRun today;

  /** Without an operating store: customer → keys of their actions not yet finished. */
  private final ConcurrentHashMap<String, List<String>> waiting = new ConcurrentHashMap<>();

  /** Runs marked open in the journal by this processor. */
  private final Set<String> opened = ConcurrentHashMap.newKeySet();

  private EventProcessor(Builder b) {
    this.agent = b.agent;
    this.executor = agent.executionService();
    this.journal = executor.journal();
    this.engine = agent.decisionEngine();
    this.customers = Objects.requireNonNull(b.customers, "customers must be set");
    this.feedback = b.feedback;
    this.debounce = b.debounce;
    this.zone = engine.policy().operatingZone();
  }

  /** A builder of a processor on {@code agent}'s rules, engine, execution service and stores. */
  public static Builder builder(OperationAgent agent) {
    return new Builder(agent);
  }

  /** The run the actions of events decided at {@code at} are journalled under. */
  public String runId(Instant at) {
    return RUN_PREFIX + LocalDate.ofInstant(at, zone);
  }

  /**
   * Handles one event: withdrawals, attribution, the customer's data, and the campaigns that
   * trigger on it (see the class description); {@link #prepare}, the segment agent when {@link
   * Prepared#needsAnalysis()}, then {@link #complete}. Every event gets exactly one outcome; an
   * event of a type nothing reacts to gets {@link EventOutcome.Stage#NO_TRIGGER}.
   */
  public EventOutcome accept(CustomerEvent event) {
    long started = System.nanoTime();
    Prepared p = prepare(event);
    SegmentOutcome segmented =
        p.needsAnalysis()
            ? agent
                .segmenter()
                .analyzeAll(List.of(Objects.requireNonNull(p.data())), debounce)
                .outcomes()
                .get(0)
            : null;
    return complete(p, segmented, started);
  }

  /**
   * The first half of {@link #accept}, for engines that call the segment agent between the two
   * (asynchronously, as a Flink job does): writes what the event changes to the {@link
   * CustomerDirectory} (a purchase into the history, an unsubscribe) and takes the customer's data
   * and withdrawn consents as they are after it. Call {@link #complete} with its result, for one
   * customer's events in the order they were prepared.
   */
  public Prepared prepare(CustomerEvent event) {
    Objects.requireNonNull(event, "event");
    String id = event.customerId();
    if (CustomerEvent.UNSUBSCRIBE.equals(event.type())) {
      customers.withdrawConsent(id, event.unsubscribedChannel(), event.at());
    }
    CustomerData data = customers.find(id).orElse(null);
    if (data != null && CustomerEvent.PURCHASE.equals(event.type())) {
      data = Purchases.apply(data, event);
      customers.save(data);
    }
    boolean triggered = triggers(agent.currentRules(), event.type());
    return new Prepared(event, data, customers.withdrawnConsents(id), triggered && data != null);
  }

  /**
   * The second half of {@link #accept}: withdraws the pending actions the event cancels, attributes
   * it, and, when {@link Prepared#needsAnalysis()}, evaluates, decides, journals and delivers with
   * the customer's analysis.
   *
   * @param segmented the segment client's outcome for {@link Prepared#data()}; null when the
   *     prepared event needs no analysis
   * @throws IllegalArgumentException if the event needs an analysis and {@code segmented} is null
   */
  public EventOutcome complete(Prepared prepared, @Nullable SegmentOutcome segmented) {
    return complete(prepared, segmented, System.nanoTime());
  }

  private EventOutcome complete(
      Prepared prepared, @Nullable SegmentOutcome segmented, long started) {
    Objects.requireNonNull(prepared, "prepared");
    CustomerEvent event = prepared.event();
    String id = event.customerId();
    RuleSet rules = agent.currentRules();
    List<String> cancelled =
        executor.cancelPending(
            id, EventCancellations.of(rules, event), EventCancellations.reason(event));
    Attribution attribution = attribute(event);
    Outcome out = new Outcome(event, cancelled, attribution, started);
    CustomerData data = prepared.data();
    if (!prepared.needsAnalysis() || data == null) {
      return out.of(
          data == null && triggers(rules, event.type())
              ? EventOutcome.Stage.UNKNOWN_CUSTOMER
              : EventOutcome.Stage.NO_TRIGGER,
          null);
    }
    if (segmented == null) {
      throw new IllegalArgumentException(
          "the prepared event needs the customer's analysis; pass the segment client's outcome");
    }
    if (segmented instanceof SegmentOutcome.Failure f) {
      return out.of(EventOutcome.Stage.SEGMENTATION_FAILED, f.code().name());
    }
    SegmentAnalysis analysis = ((SegmentOutcome.Success) segmented).analysis();
    Instant now = agent.clock().instant();
    OperationAgent.ContextCustomizer customizer = agent.customizer();
    CustomerView view =
        CustomerViews.of(
            data, analysis, customizer.attributes(data), LocalDate.ofInstant(now, zone));
    Eligibility eligibility =
        agent.evaluator().evaluateEvent(rules, id, view, event.type(), event.at());
    CustomerContext.Builder cb =
        CustomerContext.builder(eligibility).customerData(data).analysis(analysis);
    customizer.customize(data, analysis, cb);
    Set<String> withdrawn = prepared.withdrawnConsents();
    if (!withdrawn.isEmpty()) {
      cb.removeConsents(
          c -> withdrawn.contains(CustomerDirectory.ALL_CHANNELS) || withdrawn.contains(c.id()));
    }
    CustomerContext ctx = cb.build();

    String runId = runId(now);
    open(runId, now);
    Planned planned = decide(runId, ctx, now);
    long journalled = System.nanoTime();
    Decision d = planned.decision;
    if (planned.records.isEmpty()) {
      EventOutcome.Stage stage;
      String detail = null;
      if (d.isHeldOut() || (d.candidates().isEmpty() && !d.heldOut().isEmpty())) {
        stage = EventOutcome.Stage.HELD_OUT;
      } else if (d.candidates().isEmpty()) {
        stage = EventOutcome.Stage.NOT_ELIGIBLE;
      } else {
        stage = EventOutcome.Stage.NO_ACTION_CHOSEN;
        detail = d.candidates().get(0).reason().name();
      }
      return out.of(stage, detail);
    }
    ExecutionReport delivered = executor.deliver(runId, planned.records);
    List<String> keys = new ArrayList<>(planned.records.size());
    for (ExecutionRecord r : planned.records) {
      keys.add(r.key());
    }
    if (agent.operatingState() == null) {
      holdUntilFinished(id, keys);
    }
    return new EventOutcome(
        event.type(),
        id,
        event.at(),
        EventOutcome.Stage.ACTIONS_PLANNED,
        null,
        keys,
        (int) delivered.completed(),
        (int) delivered.notDue(),
        cancelled,
        attribution,
        Duration.ofNanos(journalled - started));
  }

  /**
   * An event after {@link #prepare}: the customer's data and withdrawn consents as they were right
   * after it, for {@link #complete}.
   *
   * @param event the event
   * @param data the customer's data after the event; null when the directory does not know them
   * @param withdrawnConsents the channel ids the customer withdrew consent for (see {@link
   *     CustomerDirectory#withdrawnConsents})
   * @param needsAnalysis whether a campaign triggers on the event and the customer is known: then
   *     {@link #complete} needs the customer's analysis
   */
  public record Prepared(
      CustomerEvent event,
      @Nullable CustomerData data,
      Set<String> withdrawnConsents,
      boolean needsAnalysis) {

    /** Copies the set. */
    public Prepared {
      Objects.requireNonNull(event, "event");
      withdrawnConsents = Set.copyOf(withdrawnConsents);
      if (needsAnalysis && data == null) {
        throw new IllegalArgumentException("an event that needs an analysis needs the data");
      }
    }
  }

  /**
   * Delivers the actions of events that are due now (those scheduled with {@code delay_minutes}),
   * in every events run the journal has open, and withdraws those past their expiry. Call it on a
   * schedule (every minute, say); with an operating store, from any one process or from several
   * (the journal's claims keep each action to one). A run whose day ended more than a day ago and
   * has nothing left is marked {@link RunState#COMPLETED}.
   *
   * @return what was delivered, added up over the runs
   */
  public ExecutionReport deliverDue() {
    Instant now = agent.clock().instant();
    LocalDate today = LocalDate.ofInstant(now, zone);
    ExecutionReport total = null;
    for (String run : journal.openRuns()) {
      if (!run.startsWith(RUN_PREFIX)) {
        continue;
      }
      String after = null;
      for (List<ExecutionRecord> page = journal.unfinishedAfter(run, null, 500);
          !page.isEmpty();
          page = journal.unfinishedAfter(run, after, 500)) {
        after = page.get(page.size() - 1).key();
        total = OperationAgent.merged(total, executor.deliver(run, page));
      }
      LocalDate day = day(run);
      if (day != null
          && day.isBefore(today.minusDays(1))
          && journal.unfinishedAfter(run, null, 1).isEmpty()) {
        journal.runState(run, RunState.COMPLETED, now);
        opened.remove(run);
      }
    }
    release();
    return total != null
        ? total
        : new ExecutionReport(
            RUN_PREFIX + today, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of(), Duration.ZERO);
  }

  private static @Nullable LocalDate day(String run) {
    try {
      return LocalDate.parse(run.substring(RUN_PREFIX.length()));
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** Whether a rule of {@code rules} triggers on events of {@code type}. */
  private static boolean triggers(RuleSet rules, String type) {
    for (Rule r : rules.rules()) {
      if (r.trigger() != null && r.trigger().event().equals(type)) {
        return true;
      }
    }
    return false;
  }

  /** Marks the run open in the journal once per processor (the first event of its day). */
  private void open(String runId, Instant now) {
    if (opened.add(runId) && journal.runState(runId).orElse(null) != RunState.PLANNED) {
      journal.runState(runId, RunState.PLANNED, now);
    }
  }

  /** The decision of one customer, the journal entries of its chosen actions and their requests. */
  private record Planned(Decision decision, List<ExecutionRecord> records, Requests requests) {}

  private Planned decide(String runId, CustomerContext ctx, Instant now) {
    OperatingState state = agent.operatingState();
    DecisionRun run = run(runId);
    if (state == null) {
      Decision d = run.decide(ctx);
      Requests r = requests(runId, ctx, d);
      return new Planned(
          d, r.requests.isEmpty() ? List.of() : executor.enlist(r.requests, r.origins), r);
    }
    // The work may run more than once (a deadlock retried): it keeps its effects in what it
    // returns.
    Planned planned =
        state.inBatch(
            List.of(ctx.customerId()),
            engine.policy(),
            now,
            batch -> {
              Decision d = run.against(batch).decide(ctx);
              Requests r = requests(runId, ctx, d);
              return new Planned(
                  d, r.requests.isEmpty() ? List.of() : batch.enlist(r.requests, r.origins), r);
            });
    executor.track(planned.records, planned.requests.origins);
    return planned;
  }

  private record Requests(List<ActionRequest> requests, List<PlannedAction> origins) {}

  private Requests requests(String runId, CustomerContext ctx, Decision d) {
    List<ActionRequest> requests = new ArrayList<>(2);
    List<PlannedAction> origins = new ArrayList<>(2);
    for (PlannedAction a : d.candidates()) {
      if (a.status() == ActionStatus.CHOSEN) {
        requests.add(
            executor.request(
                runId,
                a,
                agent.variants().variant(a.customerId(), a.campaign()),
                ctx.segmentKey()));
        origins.add(a);
      }
    }
    return new Requests(requests, origins);
  }

  /** The decision run of {@code runId}: a new one each day. */
  private DecisionRun run(String runId) {
    DayRun r = today;
    if (r == null || !r.id.equals(runId)) {
      synchronized (this) {
        r = today;
        if (r == null || !r.id.equals(runId)) {
          r = new DayRun(runId, engine.startRun(RunMode.LIVE));
          today = r;
        }
      }
    }
    return r.run;
  }

  private record DayRun(String id, DecisionRun run) {}

  /** Remembers the customer's unfinished actions, or releases their planned contacts at once. */
  private void holdUntilFinished(String customerId, List<String> keys) {
    List<String> open = new ArrayList<>(keys.size());
    for (String key : keys) {
      if (journal.find(key).map(r -> !r.state().isTerminal()).orElse(false)) {
        open.add(key);
      }
    }
    if (open.isEmpty()) {
      release(customerId);
    } else {
      waiting.merge(
          customerId,
          open,
          (a, b) -> {
            List<String> l = new ArrayList<>(a);
            l.addAll(b);
            return l;
          });
    }
  }

  /** Releases the planned contacts of the customers whose actions have all finished. */
  private void release() {
    for (Map.Entry<String, List<String>> e : new HashMap<>(waiting).entrySet()) {
      boolean done = true;
      for (String key : e.getValue()) {
        done &= journal.find(key).map(r -> r.state().isTerminal()).orElse(true);
      }
      if (done && waiting.remove(e.getKey(), e.getValue())) {
        release(e.getKey());
      }
    }
  }

  private void release(String customerId) {
    DayRun r = today;
    if (r != null) {
      r.run.release(List.of(customerId));
    }
  }

  /** The interaction the event stands for, attributed; null when it stands for none. */
  private @Nullable Attribution attribute(CustomerEvent event) {
    InteractionRecorder recorder = feedback;
    InteractionType type =
        switch (event.type()) {
          case CustomerEvent.PURCHASE -> InteractionType.CONVERTED;
          case CustomerEvent.EMAIL_OPEN -> InteractionType.OPENED;
          case CustomerEvent.CLICK -> InteractionType.CLICKED;
          case CustomerEvent.COUPON_USED -> InteractionType.COUPON_USED;
          default -> null;
        };
    if (recorder == null || type == null) {
      return null;
    }
    String id = event.customerId();
    String key = event.text("actionKey");
    String campaign = event.text("campaign");
    if (key != null && campaign == null) {
      campaign = journal.find(key).map(r -> r.request().campaign()).orElse(null);
    }
    if (campaign == null) {
      Optional<String> last = recorder.lastTouch(id, event.at());
      if (last.isEmpty()) {
        return null;
      }
      campaign = last.get();
      key = null;
    }
    BigDecimal revenue = type == InteractionType.CONVERTED ? event.decimal("amount") : null;
    return recorder.record(
        new Interaction(
            key == null || key.isBlank() ? null : key, id, campaign, type, event.at(), revenue));
  }

  /** The parts of an event's outcome known before its decision. */
  private static final class Outcome {
    final CustomerEvent event;
    final List<String> cancelled;
    final @Nullable Attribution attribution;
    final long started;

    Outcome(
        CustomerEvent event,
        List<String> cancelled,
        @Nullable Attribution attribution,
        long started) {
      this.event = event;
      this.cancelled = cancelled;
      this.attribution = attribution;
      this.started = started;
    }

    EventOutcome of(EventOutcome.Stage stage, @Nullable String detail) {
      return new EventOutcome(
          event.type(),
          event.customerId(),
          event.at(),
          stage,
          detail,
          List.of(),
          0,
          0,
          cancelled,
          attribution,
          Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /** Configures an {@link EventProcessor}. Not thread-safe. */
  public static final class Builder {
    private final OperationAgent agent;
    private @Nullable CustomerDirectory customers;
    private @Nullable InteractionRecorder feedback;
    private Duration debounce = Duration.ofMinutes(15);

    private Builder(OperationAgent agent) {
      this.agent = Objects.requireNonNull(agent, "agent");
    }

    /** Where customers' data is read and their purchases and unsubscribes written. Required. */
    public Builder customers(CustomerDirectory customers) {
      this.customers = Objects.requireNonNull(customers, "customers");
      return this;
    }

    /**
     * Where purchases, opens, clicks and coupon uses are attributed: the {@code FeedbackLoop} that
     * the execution service reports its deliveries to. Default: none (nothing is attributed).
     */
    public Builder feedback(InteractionRecorder feedback) {
      this.feedback = Objects.requireNonNull(feedback, "feedback");
      return this;
    }

    /**
     * How long a customer's stored analysis is used after their data changed (a purchase) before
     * the segment agent is asked again, so that a burst of events asks it once. Needs the agent's
     * segment store ({@code OperationAgent.Builder#segmentStore}); without one, every changed
     * customer is asked (the segment client's cache answers unchanged ones). Zero asks on every
     * change. Default 15 minutes.
     */
    public Builder segmentRefreshDebounce(Duration debounce) {
      Objects.requireNonNull(debounce, "debounce");
      if (debounce.isNegative()) {
        throw new IllegalArgumentException(
            "segmentRefreshDebounce must not be negative but was " + debounce);
      }
      this.debounce = debounce;
      return this;
    }

    /**
     * Builds the processor.
     *
     * @throws NullPointerException if the customer directory is not set
     */
    public EventProcessor build() {
      return new EventProcessor(this);
    }
  }
}
