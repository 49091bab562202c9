package dev.opagent.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.feedback.Attribution;
import dev.opagent.agent.loop.EventOutcome;
import dev.opagent.flink.internal.PreparedEvent;
import java.time.Instant;
import java.util.List;

/**
 * The job's output records, one JSON object a line: {@code "kind": "event"} for every event's
 * {@link EventOutcome} (with the event's source and line), {@code "kind": "delivery"} for scheduled
 * actions delivered when they fell due. Ids, keys, stages and counts only: no customer data.
 */
final class OutcomeJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OutcomeJson() {}

  /** The outcome of one event. */
  static String event(PreparedEvent event, EventOutcome o) {
    ObjectNode n = JSON.createObjectNode();
    n.put("kind", "event");
    n.put("source", event.source());
    n.put("line", event.line());
    n.put("type", o.eventType());
    n.put("customerId", o.customerId());
    n.put("at", o.eventAt().toString());
    n.put("stage", o.stage().name());
    if (o.detail() != null) {
      n.put("detail", o.detail());
    }
    strings(n.putArray("actionKeys"), o.actionKeys());
    n.put("deliveredNow", o.deliveredNow());
    n.put("scheduled", o.scheduled());
    strings(n.putArray("cancelled"), o.cancelled());
    Attribution a = o.attribution();
    if (a != null) {
      ObjectNode an = n.putObject("attribution");
      an.put("outcome", a.outcome().name());
      an.put("type", a.type().name());
      if (a.idempotencyKey() != null) {
        an.put("idempotencyKey", a.idempotencyKey());
      }
    }
    n.put("decisionLatencyMicros", o.decisionLatency().toNanos() / 1000);
    return n.toString();
  }

  /** What delivering a customer's due actions did. */
  static String delivery(String customerId, Instant at, List<String> keys, ExecutionReport r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("kind", "delivery");
    n.put("customerId", customerId);
    n.put("at", at.toString());
    strings(n.putArray("actionKeys"), keys);
    n.put("completed", r.completed());
    n.put("duplicates", r.duplicates());
    n.put("failed", r.failed());
    n.put("cancelled", r.cancelled());
    n.put("heldElsewhere", r.heldElsewhere());
    return n.toString();
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
