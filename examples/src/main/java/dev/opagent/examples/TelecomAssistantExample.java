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
import dev.opagent.converse.Budgets;
import dev.opagent.converse.ConverseAgent;
import dev.opagent.converse.ToolCall;
import dev.opagent.converse.Transcript;
import dev.opagent.examples.internal.Json;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.CustomerData;
import dev.opagent.testkit.ConverseSimulator;
import dev.opagent.testkit.ModelTurn;
import dev.opagent.testkit.ReceivedConverse;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/**
 * The telecom assistant's orchestrator, typed and on Bedrock Converse: a {@link ConverseAgent}
 * sends the user's request with the tools of a {@link ToolRegistry} — the SDK's tools ({@link
 * SdkTools}) and one telecom tool of the host's own — and dispatches every tool use the model asks
 * for through the registry. Where the assistant maps names to functions and finds calls by keyword,
 * every call here is checked against the tool's JSON schema and answers with a value that goes back
 * to the model: an unknown tool lists the real ones, bad arguments name each problem by JSON
 * pointer, and an action that needs approval waits for a human — the model can request it, never
 * grant it.
 *
 * <p>The model is the testkit's {@link ConverseSimulator}, reached by the real AWS SDK client and
 * playing a scripted plan ({@link #SCRIPT}); against Amazon Bedrock, build the client with a region
 * and credentials instead and drop the script. A human's grant ends the first run; the conversation
 * then continues with a second run.
 *
 * <p>Run it with {@code java -cp examples/target/opagent-cli.jar
 * dev.opagent.examples.TelecomAssistantExample}.
 */
public final class TelecomAssistantExample {
  private static final ObjectMapper MAPPER = Json.MAPPER;

  /**
   * The model's plan: the tools it asks for, in order; {@code ${planId}} is the plan id it read in
   * an earlier tool result. A {@code human} step is the reviewer's decision between two runs. The
   * model names the customer by id: its data, consent and time zone are the host's ({@link
   * CustomerFacts}).
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

  /** What the user asks for, first, and after the reviewer decided. */
  static final String REQUEST =
      "Subscriber 7 (customer C-1002) is about to leave: check the package and win them back.";

  static final String AFTER_GRANT = "The retention lead decided on the approval; go on.";

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
   * @param transcripts the agent's runs: one per stretch between human steps
   */
  public record Conversation(
      List<Turn> turns,
      List<PlannedAction> executed,
      List<AuditEvent> audit,
      List<Transcript> transcripts) {}

  public static void main(String[] args) {
    run(SCRIPT, System.out);
  }

  /** Plays {@code script} as the model's plan against the tools, printing each call and result. */
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
    List<Transcript> transcripts = new ArrayList<>();
    // The host's own record of the customer: opted in to e-mail, in Istanbul.
    CustomerData customer = OrchestratorExample.atRiskGoldCustomer();
    CustomerFacts facts =
        CustomerFacts.of(customer)
            .withConsents(Channel.EMAIL)
            .withZone(ZoneId.of("Europe/Istanbul"));
    List<List<JsonNode>> stretches = new ArrayList<>();
    List<JsonNode> humans = new ArrayList<>();
    stretches.add(new ArrayList<>());
    for (JsonNode step : read(script)) {
      if (step.has("human")) {
        humans.add(step);
        stretches.add(new ArrayList<>());
      } else {
        stretches.get(stretches.size() - 1).add(step);
      }
    }
    try (LocalAgent agent = LocalAgent.start();
        ConverseSimulator model = ConverseSimulator.start();
        SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder().build();
        BedrockRuntimeAsyncClient bedrock =
            BedrockRuntimeAsyncClient.builder()
                .endpointOverride(model.endpoint())
                .region(Region.EU_CENTRAL_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("example", "example")))
                // the agent retries throttling and 5xx itself
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClient(http)
                .build()) {
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

      // The scripted model: one tool use per answer, then a closing answer per stretch.
      for (int i = 0; i < stretches.size(); i++) {
        for (JsonNode step : stretches.get(i)) {
          String name = step.get("tool").asText();
          String asked = step.get("arguments").toString();
          model.then(
              request -> ModelTurn.toolUse(name, asked.replace("${planId}", planId(request))));
        }
        model.then(
            i < humans.size()
                ? ModelTurn.text("The win-back e-mail awaits the retention lead's approval.")
                : ModelTurn.text("Done: the win-back e-mail is sent."));
      }
      ConverseAgent assistant =
          ConverseAgent.builder()
              .client(bedrock)
              .modelId(ConverseSimulator.MODEL_ID)
              .systemPrompt(
                  "You are a telecom operator's retention assistant. Use the tools; a human"
                      + " approves large offers.")
              .tools(tools)
              .budgets(Budgets.defaults().withMaxModelCalls(12))
              .build();

      Transcript transcript = assistant.run(REQUEST);
      for (int i = 0; ; i++) {
        transcripts.add(transcript);
        String pending = "";
        for (ToolCall call : transcript.toolCalls()) {
          out.println("\n→ " + call.name() + " " + call.arguments());
          out.println("← " + call.result().toJson());
          turns.add(new Turn(call.name(), call.arguments(), call.result()));
          if (call.result() instanceof ToolResult.ApprovalRequired a) {
            pending = a.approvalId(); // the reviewers' inbox: the last approval requested
          }
        }
        out.println("\n[model] " + transcript.answer() + " (" + transcript.ending() + ")");
        if (i >= humans.size()) {
          break;
        }
        JsonNode human = humans.get(i);
        gate.grant(pending, human.get("actor").asText(), human.get("reason").asText());
        out.println(
            "\n[human] "
                + human.get("actor").asText()
                + " grants "
                + pending
                + ": "
                + human.get("reason").asText());
        turns.add(new Turn("human:grant", human, null));
        transcript = assistant.run(transcript, AFTER_GRANT);
      }
    }
    out.println(
        "\nExecuted: "
            + executed.stream().map(a -> a.campaign() + "/" + a.actionType()).toList()
            + "; approval audit: "
            + gate.auditTrail().stream().map(e -> e.type() + " by " + e.actor()).toList());
    return new Conversation(turns, executed, gate.auditTrail(), transcripts);
  }

  /** The plan id the model last read in a tool result, or {@code ""} before it planned. */
  private static String planId(ReceivedConverse request) {
    String planId = "";
    for (JsonNode result : request.allToolResults()) {
      JsonNode id = result.at("/content/0/json/result/planId");
      if (id.isTextual()) {
        planId = id.asText();
      }
    }
    return planId;
  }

  private static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
