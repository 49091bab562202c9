package dev.opagent.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.AuditEvent;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.agent.tools.InMemoryCampaignMetrics;
import dev.opagent.agent.tools.SdkTools;
import dev.opagent.agent.tools.ToolDefinition;
import dev.opagent.agent.tools.ToolRegistry;
import dev.opagent.agent.tools.ToolResult;
import dev.opagent.agent.tools.spi.CustomerFacts;
import dev.opagent.agent.tools.spi.ExecutionReceipt;
import dev.opagent.examples.internal.Json;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.CustomerData;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The telecom assistant's orchestrator, typed: an LLM's tool calls, scripted here as JSON, go
 * through a {@link ToolRegistry} holding the SDK's tools ({@link SdkTools}) and one telecom tool of
 * the host's own. Where the assistant maps names to functions and finds calls by keyword, every
 * call here is checked against the tool's JSON schema and answers with a value: an unknown tool
 * lists the real ones, bad arguments name each problem by JSON pointer, and an action that needs
 * approval waits for a human — the model can request it, never grant it.
 *
 * <p>Run it with {@code java -cp examples/target/opagent-cli.jar
 * dev.opagent.examples.TelecomAssistantExample}.
 */
public final class TelecomAssistantExample {
  private static final ObjectMapper MAPPER = Json.MAPPER;

  /**
   * What the model asks for, in order; {@code ${planId}} is filled in. The model names the customer
   * by id: its data, consent and time zone are the host's ({@link CustomerFacts}).
   */
  static final String SCRIPT =
      """
      [{"tool": "get_current_bill", "arguments": {"user_id": 7}},
       {"tool": "get_remaining_quotas", "arguments": {"userId": "seven"}},
       {"tool": "get_remaining_quotas", "arguments": {"userId": 7}},
       {"tool": "analyze_customer", "arguments": {"customerId": "C-1002"}},
       {"tool": "plan_actions", "arguments": {"customerId": "C-1002"}},
       {"tool": "execute_approved_action",
        "arguments": {"planId": "${planId}", "campaign": "winback", "actionType": "send_email"}},
       {"tool": "request_approval",
        "arguments": {"planId": "${planId}", "campaign": "winback", "actionType": "send_email"}},
       {"tool": "execute_approved_action",
        "arguments": {"planId": "${planId}", "campaign": "winback", "actionType": "send_email"}},
       {"human": "grant", "actor": "retention-lead",
        "reason": "20% win-back within this month's budget"},
       {"tool": "execute_approved_action",
        "arguments": {"planId": "${planId}", "campaign": "winback", "actionType": "send_email"}},
       {"tool": "read_metrics", "arguments": {"campaign": "winback"}}]""";

  private TelecomAssistantExample() {}

  /** Arguments of the host's own telecom tool. */
  record QuotaArgs(int userId) {}

  /**
   * One step of the conversation.
   *
   * @param tool the tool called, or {@code human:grant} for the reviewer's decision
   * @param arguments the arguments as sent
   * @param result the tool's answer; null for the human step
   */
  public record Turn(String tool, JsonNode arguments, @Nullable ToolResult result) {}

  /**
   * The conversation.
   *
   * @param turns every step, in order
   * @param executed actions the executor ran
   * @param audit the approval gate's audit trail
   */
  public record Conversation(
      List<Turn> turns, List<PlannedAction> executed, List<AuditEvent> audit) {}

  public static void main(String[] args) {
    run(SCRIPT, System.out);
  }

  /** Plays {@code script} against the tools, printing each call and its result. */
  public static Conversation run(String script, PrintStream out) {
    ApprovalGate gate = ApprovalGate.builder().clock(OrchestratorExample.DECISION_CLOCK).build();
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(OrchestratorExample.DECISION_CLOCK)
            .approvalGate(gate)
            .rules(RuleSetLoader.defaults())
            .build();
    InMemoryCampaignMetrics metrics = new InMemoryCampaignMetrics();
    List<PlannedAction> executed = new ArrayList<>();
    List<Turn> turns = new ArrayList<>();
    // The host's own record of the customer: opted in to e-mail, in Istanbul.
    CustomerData customer = OrchestratorExample.atRiskGoldCustomer();
    CustomerFacts facts =
        CustomerFacts.of(customer)
            .withConsents(Channel.EMAIL)
            .withZone(ZoneId.of("Europe/Istanbul"));
    try (LocalAgent agent = LocalAgent.start()) {
      ToolRegistry tools =
          SdkTools.builder()
              .customerContextProvider(
                  id -> id.equals(customer.customerId()) ? Optional.of(facts) : Optional.empty())
              .segmentClient(agent.client())
              .rules(RuleSetLoader.defaults())
              .decisionEngine(engine)
              .executor(
                  action -> { // the host's channel: here it only records the send
                    executed.add(action);
                    metrics.add(
                        action.campaign(),
                        new Metrics(1, 0, 0, 0, 0, BigDecimal.ZERO, new BigDecimal("0.01")));
                    return ExecutionReceipt.executed("msg-" + executed.size());
                  })
              .metrics(metrics)
              .clock(OrchestratorExample.DECISION_CLOCK)
              .build()
              .registerInto(ToolRegistry.create());
      tools.register(
          ToolDefinition.builder("get_remaining_quotas", QuotaArgs.class)
              .description("Remaining data, minutes and SMS of a subscriber's package.")
              .readOnly(true)
              .build(a -> Map.of("userId", a.userId(), "dataGb", 12.5, "minutes", 340, "sms", 80)));
      out.println("Tools offered to the model: " + tools.names());

      String planId = "";
      String pending = ""; // the reviewers' inbox: the last approval the model requested
      for (JsonNode step : read(script)) {
        if (step.has("human")) {
          gate.grant(pending, step.get("actor").asText(), step.get("reason").asText());
          out.println(
              "\n[human] "
                  + step.get("actor").asText()
                  + " grants "
                  + pending
                  + ": "
                  + step.get("reason").asText());
          turns.add(new Turn("human:grant", step, null));
          continue;
        }
        String name = step.get("tool").asText();
        String asked = step.get("arguments").toString().replace("${planId}", planId);
        JsonNode arguments = read(asked);
        ToolResult result = tools.dispatch(name, arguments);
        out.println("\n→ " + name + " " + asked);
        out.println("← " + result.toJson());
        if (result instanceof ToolResult.Ok ok && ok.content().has("planId")) {
          planId = ok.content().get("planId").asText();
        } else if (result instanceof ToolResult.ApprovalRequired a) {
          pending = a.approvalId();
        }
        turns.add(new Turn(name, arguments, result));
      }
    }
    out.println(
        "\nExecuted: "
            + executed.stream().map(a -> a.campaign() + "/" + a.actionType()).toList()
            + "; approval audit: "
            + gate.auditTrail().stream().map(e -> e.type() + " by " + e.actor()).toList());
    return new Conversation(turns, executed, gate.auditTrail());
  }

  private static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
