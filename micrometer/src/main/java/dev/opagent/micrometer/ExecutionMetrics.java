package dev.opagent.micrometer;

import static dev.opagent.micrometer.OpagentMetrics.EXECUTION_DELIVERIES;
import static dev.opagent.micrometer.OpagentMetrics.EXECUTION_LAG;
import static dev.opagent.micrometer.OpagentMetrics.EXECUTION_LEASES_HELD;
import static dev.opagent.micrometer.OpagentMetrics.EXECUTION_LEASES_LOST;
import static dev.opagent.micrometer.OpagentMetrics.EXECUTION_RETRIES;

import dev.opagent.agent.execution.ExecutionListener;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** The executor's meters, fed by its listener. Thread-safe. */
final class ExecutionMetrics implements ExecutionListener {
  private static final Duration LAG_MIN = Duration.ofMillis(1);

  /** A pending action is cancelled a day past its planned time by default. */
  private static final Duration LAG_MAX = Duration.ofDays(1);

  private final Meters meters;
  private final ConcurrentHashMap<DeliveryKey, Counter> deliveries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ActionKey, Counter> retries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> lag = new ConcurrentHashMap<>();

  private record ActionKey(String channel, String campaign, String actionType) {
    static ActionKey of(ActionRequest r) {
      return new ActionKey(r.channel(), r.campaign(), r.actionType());
    }
  }

  private record DeliveryKey(ActionKey action, String outcome) {}

  private final AtomicBoolean bound = new AtomicBoolean();

  ExecutionMetrics(Meters meters) {
    this.meters = meters;
  }

  void bindTo(ExecutionService service) {
    if (!bound.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "an execution service is bound to these metrics already: give each service its own"
              + " OpagentMetrics, told apart by a tag (addTag(\"executor\", name))");
    }
    meters.gauge(
        EXECUTION_LEASES_HELD,
        "Claims the execution service holds now: actions it is delivering, leases renewed",
        service,
        ExecutionService::claimsHeld,
        Tags.empty());
    meters.functionCounter(
        EXECUTION_LEASES_LOST,
        "Claims the execution service lost to another executor after a pause longer than the"
            + " lease",
        service,
        ExecutionService::claimsLost,
        Tags.empty());
  }

  @Override
  public void completed(ExecutionRecord record) {
    if (meters.closed()) {
      return;
    }
    DeliveryReceipt receipt = record.receipt();
    boolean duplicate = receipt != null && receipt.duplicate();
    ActionRequest request = record.request();
    ActionKey key = ActionKey.of(request);
    count(key, duplicate ? "duplicate" : "completed");
    retried(key, record.attempts());
    if (receipt != null && !duplicate) {
      Duration late = Duration.between(request.plannedAt(), receipt.deliveredAt());
      lag.computeIfAbsent(
              request.channel(),
              channel ->
                  meters.timer(
                      EXECUTION_LAG,
                      "Time from an action's planned time to its delivery, by channel",
                      LAG_MIN,
                      LAG_MAX,
                      Tags.of("channel", channel)))
          .record(late.isNegative() ? Duration.ZERO : late);
    }
  }

  @Override
  public void failed(ExecutionRecord record) {
    if (meters.closed()) {
      return;
    }
    ActionKey key = ActionKey.of(record.request());
    count(key, record.state() == ExecutionState.CANCELLED ? "cancelled" : "failed");
    retried(key, record.attempts());
  }

  private void count(ActionKey action, String outcome) {
    deliveries
        .computeIfAbsent(
            new DeliveryKey(action, outcome),
            k ->
                meters.counter(
                    EXECUTION_DELIVERIES,
                    "Actions that reached a terminal state, by channel, campaign, action type and"
                        + " outcome (completed, duplicate, failed, cancelled)",
                    tags(k.action()).and("outcome", k.outcome())))
        .increment();
  }

  /** Counts the attempts after the first; registers the counter at zero on first sight. */
  private void retried(ActionKey action, int attempts) {
    retries
        .computeIfAbsent(
            action,
            k ->
                meters.counter(
                    EXECUTION_RETRIES,
                    "Delivery attempts that repeated a failed one, by channel, campaign and action"
                        + " type",
                    tags(k)))
        .increment(Math.max(0, attempts - 1));
  }

  private static Tags tags(ActionKey k) {
    return Tags.of("channel", k.channel(), "campaign", k.campaign(), "action.type", k.actionType());
  }
}
