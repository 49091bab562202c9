package dev.opagent.flink;

import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.loop.EventOutcome;
import dev.opagent.agent.loop.EventProcessor;
import dev.opagent.flink.internal.PreparedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of the loop, keyed by customer again: {@link EventProcessor#complete} with the
 * agent's answer — withdrawals, then the triggered campaigns decided, guarded against the shared
 * operating store, journalled and delivered if due — in each customer's order, so that a purchase
 * withdraws only what the customer's earlier events scheduled.
 *
 * <p>Scheduled actions: the key and due time of each action not yet finished are kept in keyed
 * state (with a time to live), and a timer is set at the due time — an event-time timer when the
 * clock follows the events, a processing-time timer on the wall clock. On the timer, or before the
 * customer's next event (whichever comes first), the customer's due actions are read from the
 * journal by key and delivered ({@link ExecutionService#deliver}); the journal's claims keep each
 * to one deliverer and the channels drop a key they have seen. So whether a reminder goes out
 * before a later purchase depends on the purchase's time only, never on how far the watermark got.
 *
 * <p>On the wall clock, the first subtask also sweeps the journal now and then ({@link
 * EventJobConfig#sweepInterval()}) for due actions no timer holds.
 *
 * <p>Emits one {@code "kind": "event"} record per event and a {@code "kind": "delivery"} record
 * whenever due actions were delivered.
 */
final class CompleteEvents extends KeyedProcessFunction<String, PreparedEvent, String> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(CompleteEvents.class);

  /**
   * When an action due but still unfinished (held by a claim that has not ended) is tried again.
   */
  static final Duration RETRY = Duration.ofMinutes(1);

  private final EventJobConfig config;

  private transient @Nullable EventLoop loop;
  private transient @Nullable MapState<String, Long> scheduled;
  private transient @Nullable Counter deliveredCounter;
  private transient @Nullable ScheduledExecutorService sweeper;

  CompleteEvents(EventJobConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  private boolean eventTime() {
    return config.clock() == EventJobConfig.ClockMode.EVENT_TIME;
  }

  @Override
  public void open(OpenContext context) {
    MapStateDescriptor<String, Long> d =
        new MapStateDescriptor<>("scheduled-actions", Types.STRING, Types.LONG);
    d.enableTimeToLive(
        StateTtlConfig.newBuilder(config.scheduleStateTtl())
            .updateTtlOnCreateAndWrite()
            .neverReturnExpired()
            .build());
    scheduled = getRuntimeContext().getMapState(d);
    deliveredCounter = getRuntimeContext().getMetricGroup().counter("actionsDeliveredWhenDue");
    EventLoop l = EventLoop.completing(config);
    loop = l;
    Duration every = config.sweepInterval();
    if (!eventTime()
        && !every.isZero()
        && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
      ScheduledExecutorService s =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "opagent-due-sweeper");
                t.setDaemon(true);
                return t;
              });
      s.scheduleWithFixedDelay(
          () -> sweep(l), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
      sweeper = s;
    }
  }

  /** Delivers what is due in the journal's events runs and no timer holds; see the config. */
  private static void sweep(EventLoop l) {
    try {
      ExecutionReport r = l.processor().deliverDue();
      if (r.completed() > 0 || r.failed() > 0) {
        LOG.info(
            "due sweep: {} actions delivered, {} failed, {} held by another deliverer",
            r.completed(),
            r.failed(),
            r.heldElsewhere());
      }
    } catch (RuntimeException e) {
      LOG.warn("due sweep failed ({}); it runs again", e.getClass().getName());
    }
  }

  @Override
  public void processElement(PreparedEvent event, Context ctx, Collector<String> out)
      throws Exception {
    EventLoop l = Objects.requireNonNull(loop, "opened");
    Instant now = eventTime() ? Instant.ofEpochMilli(event.at()) : Instant.now();
    l.advanceTo(now);
    deliverDue(ctx.getCurrentKey(), now, ctx.timerService(), out);
    EventOutcome outcome = l.processor().complete(event.prepared(), event.segmentOutcome());
    track(outcome.actionKeys(), now, ctx.timerService());
    if (event.needsAnalysis()) {
      trackPending(ctx.getCurrentKey(), now, ctx.timerService());
    }
    out.collect(OutcomeJson.event(event, outcome));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
    EventLoop l = Objects.requireNonNull(loop, "opened");
    Instant now = eventTime() ? Instant.ofEpochMilli(timestamp) : Instant.now();
    l.advanceTo(now);
    deliverDue(ctx.getCurrentKey(), now, ctx.timerService(), out);
  }

  /** Delivers the customer's scheduled actions due by {@code now}. */
  private void deliverDue(
      String customerId, Instant now, TimerService timers, Collector<String> out) throws Exception {
    MapState<String, Long> state = Objects.requireNonNull(scheduled);
    List<String> due = new ArrayList<>();
    for (Map.Entry<String, Long> e : state.entries()) {
      if (e.getValue() <= now.toEpochMilli()) {
        due.add(e.getKey());
      }
    }
    if (due.isEmpty()) {
      return;
    }
    EventLoop l = Objects.requireNonNull(loop);
    ExecutionJournal journal = l.journal();
    ExecutionService executor = l.agent().executionService();
    Map<String, List<ExecutionRecord>> byRun = new TreeMap<>();
    for (String key : due) {
      Optional<ExecutionRecord> r = journal.find(key);
      if (r.isPresent() && !r.get().state().isTerminal()) {
        byRun.computeIfAbsent(r.get().runId(), k -> new ArrayList<>()).add(r.get());
      }
    }
    ExecutionReport total = null;
    for (Map.Entry<String, List<ExecutionRecord>> e : byRun.entrySet()) {
      ExecutionReport r = executor.deliver(e.getKey(), e.getValue());
      total = total == null ? r : sum(total, r);
    }
    track(due, now, timers);
    if (total != null) {
      Objects.requireNonNull(deliveredCounter).inc(total.completed());
      out.collect(OutcomeJson.delivery(customerId, now, due, total));
    }
  }

  /**
   * Tracks every pending action of the customer's events runs, not only those the event's outcome
   * names: when the job restarts from a checkpoint, an event decided after it is decided again, and
   * the action its first decision journalled (which keyed state forgot with the restore) counts
   * against the customer's caps, so the second decision names none; the journal still has it.
   */
  private void trackPending(String customerId, Instant now, TimerService timers) throws Exception {
    ExecutionJournal journal = Objects.requireNonNull(loop).journal();
    List<String> keys = new ArrayList<>();
    String after = null;
    for (List<ExecutionRecord> page = journal.pendingFor(customerId, null, 100);
        !page.isEmpty();
        page = journal.pendingFor(customerId, after, 100)) {
      after = page.get(page.size() - 1).key();
      for (ExecutionRecord r : page) {
        if (r.runId().startsWith(EventProcessor.RUN_PREFIX)) {
          keys.add(r.key());
        }
      }
    }
    MapState<String, Long> state = Objects.requireNonNull(scheduled);
    keys.removeIf(
        k -> {
          try {
            return state.contains(k);
          } catch (Exception e) {
            throw new IllegalStateException("could not read the scheduled actions' state", e);
          }
        });
    track(keys, now, timers);
  }

  /**
   * Keeps the keys of {@code keys}' unfinished actions with the time to try them next, and sets a
   * timer there; forgets the finished ones.
   */
  private void track(List<String> keys, Instant now, TimerService timers) throws Exception {
    MapState<String, Long> state = Objects.requireNonNull(scheduled);
    ExecutionJournal journal = Objects.requireNonNull(loop).journal();
    for (String key : keys) {
      Optional<ExecutionRecord> found = journal.find(key);
      if (found.isEmpty() || found.get().state().isTerminal()) {
        state.remove(key);
        continue;
      }
      ExecutionRecord r = found.get();
      Instant planned = r.request().plannedAt();
      Instant lease = r.leaseUntil();
      Instant next;
      if (planned.isAfter(now)) {
        next = planned;
      } else if (r.state() == ExecutionState.EXECUTING && lease != null && lease.isAfter(now)) {
        next = lease.plusMillis(1);
      } else {
        next = now.plus(RETRY);
      }
      long at = next.toEpochMilli();
      state.put(key, at);
      if (eventTime()) {
        timers.registerEventTimeTimer(at);
      } else {
        timers.registerProcessingTimeTimer(at);
      }
    }
  }

  private static ExecutionReport sum(ExecutionReport a, ExecutionReport b) {
    Map<String, Long> failures = new TreeMap<>(a.failures());
    b.failures().forEach((k, v) -> failures.merge(k, v, Long::sum));
    Map<String, Long> byChannel = new TreeMap<>(a.completedByChannel());
    b.completedByChannel().forEach((k, v) -> byChannel.merge(k, v, Long::sum));
    return new ExecutionReport(
        a.runId(),
        a.considered() + b.considered(),
        a.completed() + b.completed(),
        a.duplicates() + b.duplicates(),
        a.failed() + b.failed(),
        a.cancelled() + b.cancelled(),
        a.notDue() + b.notDue(),
        a.heldElsewhere() + b.heldElsewhere(),
        a.attempts() + b.attempts(),
        a.retries() + b.retries(),
        failures,
        byChannel,
        a.elapsed().plus(b.elapsed()));
  }

  @Override
  public void close() {
    ScheduledExecutorService s = sweeper;
    sweeper = null;
    if (s != null) {
      s.shutdownNow();
      try {
        s.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    EventLoop l = loop;
    loop = null;
    if (l != null) {
      l.close();
    }
  }
}
