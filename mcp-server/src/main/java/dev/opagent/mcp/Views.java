package dev.opagent.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.Action;
import dev.opagent.rules.Rule;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The resources' JSON, built from the live objects on every read. Stateless. */
final class Views {
  /** Writes the policy's records, with times, durations and zones as their ISO text. */
  private static final ObjectMapper POLICY =
      JsonMapper.builder()
          .addModule(
              new SimpleModule("opagent-policy")
                  .addSerializer(Duration.class, ToStringSerializer.instance)
                  .addSerializer(LocalTime.class, ToStringSerializer.instance)
                  .addSerializer(Instant.class, ToStringSerializer.instance)
                  .addSerializer(ZoneId.class, ToStringSerializer.instance))
          .build();

  private Views() {}

  static JsonNode rules(ObjectMapper mapper, RuleSet rules) {
    ObjectNode n = mapper.createObjectNode();
    n.put("name", rules.name());
    n.put("source", rules.source());
    n.put("checksum", rules.checksum());
    ArrayNode array = n.putArray("rules");
    for (Rule r : rules.rules()) {
      ObjectNode o = array.addObject();
      o.put("id", r.id());
      o.put("name", r.name());
      o.put("description", r.description());
      o.put("priority", r.priority());
      o.put("enabled", r.enabled());
      o.put("version", r.version());
      r.tags().forEach(o.putArray("tags")::add);
      o.set("condition", r.condition().source());
      ArrayNode actions = o.putArray("actions");
      for (Action a : r.actions()) {
        ObjectNode x = actions.addObject();
        x.put("type", a.type());
        x.set("parameters", mapper.valueToTree(a.parameters()));
        if (!a.delay().isZero()) {
          x.put("delay", a.delay().toString());
        }
      }
      ObjectNode validity = o.putObject("validity");
      validity.put("from", Objects.toString(r.validity().from(), null));
      validity.put("until", Objects.toString(r.validity().until(), null));
      validity.put("zone", r.validity().zone().getId());
      o.putObject("holdout")
          .put("key", r.holdout().key())
          .put("percentage", r.holdout().percentage());
      Trigger t = r.trigger();
      if (t != null) {
        ObjectNode trigger = o.putObject("trigger");
        trigger.put("event", t.event());
        trigger.put("within", t.within().toString());
        t.cancelOn().forEach(trigger.putArray("cancelOn")::add);
      }
    }
    return n;
  }

  static JsonNode policy(DecisionPolicy policy) {
    return POLICY.valueToTree(policy);
  }

  /** The requests still pending at {@code now}, oldest first. */
  static JsonNode pendingApprovals(
      ObjectMapper mapper, Collection<ApprovalRequest> requests, Instant now) {
    ObjectNode n = mapper.createObjectNode();
    ArrayNode array = n.putArray("pending");
    List<ApprovalRequest> pending =
        requests.stream()
            .filter(r -> r.statusAt(now) == ApprovalStatus.PENDING)
            .sorted(Comparator.comparing(ApprovalRequest::requestedAt))
            .toList();
    for (ApprovalRequest r : pending) {
      ObjectNode o = array.addObject();
      o.put("id", r.id());
      o.put("key", r.key().value());
      o.put("reason", r.summary());
      o.put("requestedBy", r.requestedBy());
      o.put("requestedAt", r.requestedAt().toString());
      o.put("expiresAt", r.deadline().toString());
      o.put("cost", r.cost());
    }
    n.put("count", pending.size());
    n.put("approveWith", "opagent approvals approve ID --by NAME --reason TEXT");
    return n;
  }

  static JsonNode metrics(ObjectMapper mapper, Map<String, Metrics> all) {
    ObjectNode n = mapper.createObjectNode();
    ArrayNode array = n.putArray("campaigns");
    all.forEach(
        (campaign, m) -> {
          ObjectNode o = array.addObject();
          o.put("campaign", campaign);
          o.put("delivered", m.delivered());
          o.put("opened", m.opened());
          o.put("clicked", m.clicked());
          o.put("couponsUsed", m.couponsUsed());
          o.put("conversions", m.conversions());
          o.put("revenue", m.revenue());
          o.put("cost", m.cost());
          rate(o, "openRate", m.openRate());
          rate(o, "clickRate", m.clickRate());
          rate(o, "conversionRate", m.conversionRate());
          rate(o, "roi", m.roi());
        });
    return n;
  }

  private static void rate(ObjectNode o, String name, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      o.putNull(name);
    } else {
      o.put(name, value);
    }
  }
}
