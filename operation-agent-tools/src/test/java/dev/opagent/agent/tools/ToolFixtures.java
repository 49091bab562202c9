package dev.opagent.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.policy.CapWindow;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.policy.FrequencyCap;
import dev.opagent.agent.tools.spi.CustomerFacts;
import dev.opagent.agent.tools.spi.ExecutionReceipt;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentAnalysis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A host for the SDK's tools in tests: customers whose facts it owns (changeable between calls), an
 * engine, an executor that records deliveries, and the registry.
 */
final class ToolFixtures {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Midday in Istanbul: outside the default quiet hours. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T10:00:00Z"), ZoneOffset.UTC);

  /** Two campaigns for at-risk customers: an SMS nudge, and an e-mail with a 50% discount. */
  static final String RULES =
      """
      {"name": "tools", "rules": [
        {"rule_id": "sms_nudge", "name": "Nudge",
         "conditions": {"segments.churnSegment": "Riskli"},
         "actions": [{"type": "send_sms", "template": "nudge"}], "priority": "high"},
        {"rule_id": "winback", "name": "Win-back",
         "conditions": {"segments.churnSegment": "Riskli"},
         "actions": [{"type": "send_email", "template": "winback"},
                     {"type": "create_discount", "discount": 0.5}],
         "priority": "medium"}]}""";

  final Map<String, CustomerFacts> customers = new ConcurrentHashMap<>();
  final List<PlannedAction> delivered = Collections.synchronizedList(new ArrayList<>());
  final ApprovalGate gate = ApprovalGate.builder().clock(CLOCK).build();
  final DecisionEngine engine;
  final ToolRegistry registry;

  ToolFixtures(DecisionPolicy policy) {
    this(policy, ToolRegistry.create());
  }

  ToolFixtures(DecisionPolicy policy, ToolRegistry registry) {
    engine = DecisionEngine.builder().clock(CLOCK).approvalGate(gate).policy(policy).build();
    RuleSet rules = RuleSetLoader.ofDefaults().load(RuleSource.string("tools", RULES));
    this.registry =
        SdkTools.builder()
            .customerContextProvider(id -> Optional.ofNullable(customers.get(id)))
            .rules(rules)
            .decisionEngine(engine)
            .executor(this::deliver)
            .clock(CLOCK)
            .build()
            .registerInto(registry);
  }

  /** Default thresholds (50% discounts need approval), no frequency caps. */
  static DecisionPolicy approvals() {
    return DecisionPolicy.builder().clearFrequencyCaps().build();
  }

  /** No approvals; at most one e-mail per calendar day. */
  static DecisionPolicy oneEmailPerDay() {
    return DecisionPolicy.builder()
        .approval(ApprovalThresholds.none())
        .clearFrequencyCaps()
        .addFrequencyCap(FrequencyCap.of(Channel.EMAIL, 1, CapWindow.calendarDays(1)))
        .build();
  }

  /** No approvals, no caps. */
  static DecisionPolicy open() {
    return DecisionPolicy.builder()
        .approval(ApprovalThresholds.none())
        .clearFrequencyCaps()
        .build();
  }

  /** How long a delivery takes; a slow channel widens any window between decision and booking. */
  volatile long deliveryMillis;

  ExecutionReceipt deliver(PlannedAction action) {
    if (deliveryMillis > 0) {
      try {
        Thread.sleep(deliveryMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    delivered.add(action);
    return ExecutionReceipt.executed("msg-" + delivered.size());
  }

  /** An at-risk customer the host knows, opted in to {@code consents} only. */
  CustomerFacts atRisk(String id, Channel... consents) {
    CustomerFacts facts =
        CustomerFacts.of(
                CustomerData.fromJson("{\"customerId\": \"" + id + "\", \"city\": \"Istanbul\"}"))
            .withAnalysis(SegmentAnalysis.fromJson("{\"churnSegment\": \"Riskli\"}"))
            .withConsents(consents)
            .withZone(ZoneId.of("Europe/Istanbul"));
    customers.put(id, facts);
    return facts;
  }

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode content(ToolResult r) {
    if (!(r instanceof ToolResult.Ok ok)) {
      throw new AssertionError("expected ok but was " + r.toJson());
    }
    return ok.content();
  }

  /** Plans for {@code customerId} and returns the plan. */
  JsonNode plan(String customerId) {
    return content(
        registry.dispatch("plan_actions", MAPPER.createObjectNode().put("customerId", customerId)));
  }

  /** The planned action of {@code plan} with that campaign. */
  static JsonNode action(JsonNode plan, String campaign) {
    for (JsonNode a : plan.get("actions")) {
      if (a.get("campaign").asText().equals(campaign)) {
        return a;
      }
    }
    throw new AssertionError("no action of " + campaign + " in " + plan);
  }

  static ObjectNode ref(JsonNode plan, String campaign, String actionType) {
    return MAPPER
        .createObjectNode()
        .put("planId", plan.get("planId").asText())
        .put("campaign", campaign)
        .put("actionType", actionType);
  }

  long deliveriesTo(String customerId) {
    synchronized (delivered) {
      return delivered.stream().filter(a -> a.customerId().equals(customerId)).count();
    }
  }
}
