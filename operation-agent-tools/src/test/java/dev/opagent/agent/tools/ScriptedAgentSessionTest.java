package dev.opagent.agent.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.InMemoryContactHistory;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.agent.policy.ConversionPrior;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.tools.spi.CustomerFacts;
import dev.opagent.agent.tools.spi.ExecutionReceipt;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentClient;
import dev.opagent.testkit.AgentSimulatorExtension;
import dev.opagent.testkit.Fixtures;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A conversation scripted like the telecom assistant's orchestrator (hallucinated tool names, wrong
 * types, missing fields, a failing tool), but typed and schema-validated, ending in an
 * approval-gated action: request → pending → execute refused → a human grants → execute allowed.
 */
class ScriptedAgentSessionTest {
  @RegisterExtension static final AgentSimulatorExtension AGENT = AgentSimulatorExtension.create();

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Midday in Istanbul on the seed date: outside the default quiet hours. */
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-15T10:00:00Z"), ZoneOffset.UTC);

  private static final String RULES =
      """
      {"name": "session rules", "rules": [
        {"rule_id": "winback", "name": "Win-back",
         "conditions": {"segments.churnSegment": "Riskli"},
         "actions": [{"type": "send_email", "template": "winback_offer"},
                     {"type": "create_discount", "discount": 0.25, "expiry_days": 14}],
         "priority": "high"}]}""";

  private ApprovalGate gate;
  private DecisionEngine engine;
  private InMemoryContactHistory contacts;
  private final List<PlannedAction> executed = new ArrayList<>();

  /** The host's customers: what it knows about them, whatever a model claims. */
  private final Map<String, CustomerFacts> customers = new ConcurrentHashMap<>();

  private ToolRegistry registry;

  @BeforeEach
  void setUp(SegmentClient client) {
    gate = ApprovalGate.builder().clock(CLOCK).build();
    contacts = new InMemoryContactHistory();
    RuleSet rules = RuleSetLoader.ofDefaults().load(RuleSource.string("session", RULES));
    engine =
        DecisionEngine.builder()
            .clock(CLOCK)
            .approvalGate(gate)
            .contactHistory(contacts)
            .policy(
                DecisionPolicy.builder()
                    .putCampaignPrior("winback", new ConversionPrior(30, 70))
                    .build())
            .build();
    customers.put(
        "C-1001",
        CustomerFacts.of(Fixtures.seedActiveCustomer())
            .withAnalysis(
                SegmentAnalysis.fromJson(
                    "{\"churnSegment\": \"Riskli\", \"loyaltyTier\": \"Gümüş\"}"))
            .withConsents(Channel.EMAIL)
            .withZone(ZoneId.of("Europe/Istanbul")));
    registry = ToolRegistry.create();
    SdkTools.builder()
        .customerContextProvider(id -> Optional.ofNullable(customers.get(id)))
        .segmentClient(client)
        .rules(rules)
        .decisionEngine(engine)
        .executor(
            action -> {
              executed.add(action);
              return ExecutionReceipt.executed("msg-" + executed.size());
            })
        .clock(CLOCK)
        .build()
        .registerInto(registry);
    registry.register(
        ToolDefinition.builder("get_customer_profile", ProfileArgs.class)
            .description("Reads the CRM profile of a customer.")
            .readOnly(true)
            .build(
                args -> {
                  throw new IllegalStateException("CRM timeout for " + args.customerId());
                }));
  }

  record ProfileArgs(String customerId) {}

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static ObjectNode customerData() {
    return json(Fixtures.seedActiveCustomer().toJson());
  }

  /** The host knows C-1001 as at risk and opted in to e-mail: the model sends only the id. */
  private ObjectNode atRiskCustomer() {
    return json("{\"customerId\": \"C-1001\"}");
  }

  private static JsonNode content(ToolResult r) {
    assertThat(r).isInstanceOf(ToolResult.Ok.class);
    return ((ToolResult.Ok) r).content();
  }

  @Test
  void session_everyKindOfMistakeThenAnApprovalGatedAction_answersEachWithAValue() {
    assertThat(registry.names())
        .containsExactly(
            "analyze_customer",
            "check_eligibility",
            "plan_actions",
            "request_approval",
            "execute_approved_action",
            "read_metrics",
            "get_customer_profile");

    // 1. A hallucinated tool (the telecom assistant's own vocabulary).
    ToolResult r1 = registry.dispatch("get_current_bill", json("{\"user_id\": 7}"));
    assertThat(r1)
        .isInstanceOfSatisfying(
            ToolResult.UnknownTool.class,
            u -> assertThat(u.available()).contains("plan_actions", "analyze_customer"));

    // 2. Wrong types: a numeric customer id; customer data the model tries to supply itself.
    assertThat(
            ((ToolResult.InvalidArguments)
                    registry.dispatch("check_eligibility", json("{\"customerId\": 1001}")))
                .problems())
        .extracting(ArgumentProblem::pointer, ArgumentProblem::keyword)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/customerId", "type"));
    ObjectNode badAge = customerData();
    ((ObjectNode) badAge.get("customer")).put("age", "thirty-two");
    ObjectNode ageArgs = json("{\"customerId\": \"C-1001\"}");
    ageArgs.set("customerData", badAge);
    ToolResult r2 = registry.dispatch("analyze_customer", ageArgs);
    assertThat(r2)
        .isInstanceOfSatisfying(
            ToolResult.InvalidArguments.class,
            i -> {
              assertThat(i.tool()).isEqualTo("analyze_customer");
              assertThat(i.problems())
                  .extracting(ArgumentProblem::pointer, ArgumentProblem::keyword)
                  .containsExactly(
                      org.assertj.core.groups.Tuple.tuple("/customerData", "additionalProperties"));
              assertThat(i.toJson().toString()).doesNotContain("thirty-two");
            });

    // 3. A missing required field, and a consent claim the schema does not admit.
    ToolResult r3 = registry.dispatch("plan_actions", json("{\"consents\": [\"email\"]}"));
    assertThat(((ToolResult.InvalidArguments) r3).problems())
        .extracting(ArgumentProblem::pointer, ArgumentProblem::keyword)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/consents", "additionalProperties"),
            org.assertj.core.groups.Tuple.tuple("/customerId", "required"));

    // 4. An exception inside a tool is isolated; the next call works.
    ToolResult r4 = registry.dispatch("get_customer_profile", json("{\"customerId\": \"C-1001\"}"));
    assertThat(r4)
        .isInstanceOfSatisfying(
            ToolResult.Failed.class,
            f -> {
              assertThat(f.code()).isEqualTo(ToolErrorCode.TOOL_FAILED);
              assertThat(f.message()).doesNotContain("C-1001").doesNotContain("CRM timeout");
            });
    ObjectNode analyze = json("{\"customerId\": \"C-1001\"}");
    JsonNode analysis = content(registry.dispatch("analyze_customer", analyze));
    assertThat(analysis.at("/analysis/churnSegment").asText()).isEqualTo("Ilık");

    // 5. Plan for an at-risk customer: the 25% win-back offer needs a human's approval.
    JsonNode plan = content(registry.dispatch("plan_actions", atRiskCustomer()));
    String planId = plan.get("planId").asText();
    JsonNode winback = plan.at("/actions/0");
    assertThat(winback.get("campaign").asText()).isEqualTo("winback");
    assertThat(winback.get("actionType").asText()).isEqualTo("send_email");
    assertThat(winback.get("approvalRequired").asBoolean()).isTrue();
    assertThat(winback.get("reason").asText()).isEqualTo("APPROVAL_REQUIRED");
    ObjectNode ref =
        json("{\"campaign\": \"winback\", \"actionType\": \"send_email\"}").put("planId", planId);

    // 6. Executing before anyone asked is refused.
    ToolResult early = registry.dispatch("execute_approved_action", ref);
    assertThat(early)
        .isInstanceOfSatisfying(
            ToolResult.Failed.class,
            f -> assertThat(f.message()).contains("call request_approval first"));

    // 7. Request → pending.
    ToolResult requested = registry.dispatch("request_approval", ref);
    assertThat(requested).isInstanceOf(ToolResult.ApprovalRequired.class);
    ToolResult.ApprovalRequired pending = (ToolResult.ApprovalRequired) requested;
    assertThat(pending.approvalStatus()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(gate.find(pending.approvalId()))
        .get()
        .extracting(a -> a.requestedBy())
        .isEqualTo("llm-agent");

    // 8. Execute while pending → refused, nothing executed.
    ToolResult refused = registry.dispatch("execute_approved_action", ref);
    assertThat(refused)
        .isInstanceOfSatisfying(
            ToolResult.ApprovalRequired.class,
            a -> {
              assertThat(a.approvalId()).isEqualTo(pending.approvalId());
              assertThat(a.approvalStatus()).isEqualTo(ApprovalStatus.PENDING);
            });
    assertThat(executed).isEmpty();

    // 9. A human grants it (no tool can).
    assertThat(registry.names()).noneMatch(n -> n.contains("grant") || n.startsWith("approve"));
    gate.grant(pending.approvalId(), "alice", "spring win-back budget approved");

    // 10. Execute → allowed, through the same gate the engine uses.
    JsonNode done = content(registry.dispatch("execute_approved_action", ref));
    assertThat(done.get("executionId").asText()).isEqualTo("msg-1");
    assertThat(executed)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.campaign()).isEqualTo("winback");
              assertThat(a.actionType()).isEqualTo("send_email");
              assertThat(engine.checkApproval(a)).isEqualTo(ApprovalStatus.APPROVED);
            });
    assertThat(contacts.all("C-1001"))
        .singleElement()
        .extracting(c -> c.campaign())
        .isEqualTo("winback");
    assertThat(engine.budgetLedger().openReservations()).isZero();
  }

  private ObjectNode approvedRef(ToolRegistry tools) {
    String planId =
        content(tools.dispatch("plan_actions", atRiskCustomer())).get("planId").asText();
    ObjectNode ref =
        json("{\"campaign\": \"winback\", \"actionType\": \"send_email\"}").put("planId", planId);
    ToolResult.ApprovalRequired pending =
        (ToolResult.ApprovalRequired) tools.dispatch("request_approval", ref);
    gate.grant(pending.approvalId(), "alice", "approved");
    return ref;
  }

  private ToolRegistry toolsWith(dev.opagent.agent.tools.spi.ActionExecutor executor, Clock clock) {
    return SdkTools.builder()
        .customerContextProvider(id -> Optional.ofNullable(customers.get(id)))
        .rules(RuleSetLoader.ofDefaults().load(RuleSource.string("session", RULES)))
        .decisionEngine(engine)
        .executor(executor)
        .clock(clock)
        .build()
        .registerInto(ToolRegistry.create());
  }

  @Test
  void execute_executorThrows_isIsolatedAndReleasesTheReservation() {
    ToolRegistry tools =
        toolsWith(
            action -> {
              throw new IllegalStateException("smtp down for C-1001");
            },
            CLOCK);

    ToolResult r = tools.dispatch("execute_approved_action", approvedRef(tools));

    assertThat(r)
        .isInstanceOfSatisfying(
            ToolResult.Failed.class,
            f -> {
              assertThat(f.code()).isEqualTo(ToolErrorCode.TOOL_FAILED);
              assertThat(f.message()).doesNotContain("C-1001");
            });
    assertThat(engine.budgetLedger().openReservations()).isZero();
    assertThat(contacts.all("C-1001")).isEmpty();
  }

  @Test
  void execute_executorReportsFailure_answersUpstreamFailedAndRecordsNoContact() {
    ToolRegistry tools =
        toolsWith(action -> ExecutionReceipt.failed("msg-x", "mailbox unavailable"), CLOCK);

    ToolResult r = tools.dispatch("execute_approved_action", approvedRef(tools));

    assertThat(r)
        .isEqualTo(
            ToolResult.failed(ToolErrorCode.UPSTREAM_FAILED, "not executed: mailbox unavailable"));
    assertThat(engine.budgetLedger().openReservations()).isZero();
    assertThat(contacts.all("C-1001")).isEmpty();
  }

  @Test
  void execute_expiredPlan_answersNotFound() {
    Instant[] now = {Instant.parse("2026-03-15T10:00:00Z")};
    Clock moving =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    ToolRegistry tools = toolsWith(action -> ExecutionReceipt.executed("m"), moving);
    ObjectNode ref = approvedRef(tools);

    now[0] = now[0].plus(java.time.Duration.ofMinutes(61));
    ToolResult r = tools.dispatch("execute_approved_action", ref);

    assertThat(r)
        .isInstanceOfSatisfying(
            ToolResult.Failed.class,
            f -> {
              assertThat(f.code()).isEqualTo(ToolErrorCode.NOT_FOUND);
              assertThat(f.message()).contains("call plan_actions again");
            });
  }

  @Test
  void execute_rejectedApproval_isRefusedForGood() {
    String planId =
        content(registry.dispatch("plan_actions", atRiskCustomer())).get("planId").asText();
    ObjectNode ref =
        json("{\"campaign\": \"winback\", \"actionType\": \"send_email\"}").put("planId", planId);
    ToolResult.ApprovalRequired pending =
        (ToolResult.ApprovalRequired) registry.dispatch("request_approval", ref);
    gate.reject(pending.approvalId(), "bob", "discount too deep");

    ToolResult r = registry.dispatch("execute_approved_action", ref);

    assertThat(r)
        .isInstanceOfSatisfying(
            ToolResult.Failed.class,
            f -> assertThat(f.code()).isEqualTo(ToolErrorCode.APPROVAL_REJECTED));
    assertThat(executed).isEmpty();
  }

  @Test
  void execute_unknownPlanOrAction_answersNotFoundWithWhatExists() {
    ToolResult noPlan =
        registry.dispatch(
            "execute_approved_action",
            json(
                "{\"planId\": \"plan-00000000-0000-0000-0000-000000000000\", \"campaign\": \"winback\","
                    + " \"actionType\": \"send_email\"}"));
    assertThat(noPlan)
        .isInstanceOfSatisfying(
            ToolResult.Failed.class, f -> assertThat(f.code()).isEqualTo(ToolErrorCode.NOT_FOUND));

    String planId =
        content(registry.dispatch("plan_actions", atRiskCustomer())).get("planId").asText();
    ToolResult noAction =
        registry.dispatch(
            "request_approval",
            json("{\"campaign\": \"loyalty\", \"actionType\": \"send_sms\"}")
                .put("planId", planId));
    assertThat(noAction)
        .isInstanceOfSatisfying(
            ToolResult.Failed.class,
            f -> {
              assertThat(f.code()).isEqualTo(ToolErrorCode.NOT_FOUND);
              assertThat(f.message()).contains("winback/send_email");
            });
  }

  @Test
  void checkEligibility_hostHasNoAnalysis_asksTheSegmentAgent() {
    customers.put("C-1001", CustomerFacts.of(Fixtures.seedActiveCustomer()));
    ObjectNode args = json("{\"customerId\": \"C-1001\"}");

    JsonNode eligibility = content(registry.dispatch("check_eligibility", args));

    assertThat(eligibility.get("customerId").asText()).isEqualTo("C-1001");
    assertThat(eligibility.get("eligible")).isEmpty();
    assertThat(eligibility.at("/details/0/status").asText()).isEqualTo("ineligible");
    assertThat(eligibility.at("/details/0/reason/actual").asText()).isEqualTo("Ilık");
  }

  @Test
  void readMetrics_inMemorySource_reportsCountersAndRates() {
    InMemoryCampaignMetrics metrics = new InMemoryCampaignMetrics();
    metrics.add(
        "winback",
        new Metrics(
            200, 80, 20, 0, 10, new java.math.BigDecimal("600"), new java.math.BigDecimal("100")));
    metrics.add("launch", Metrics.EMPTY);
    ToolRegistry r =
        SdkTools.builder().metrics(metrics).build().registerInto(ToolRegistry.create());

    assertThat(r.names()).containsExactly("read_metrics");
    JsonNode all = content(r.dispatch("read_metrics", json("{}")));
    assertThat(all.at("/1/campaign").asText()).isEqualTo("winback");
    assertThat(all.at("/1/metrics/delivered").asLong()).isEqualTo(200);
    assertThat(all.at("/1/openRate").asDouble()).isEqualTo(0.4);
    assertThat(all.at("/1/roi").asDouble()).isEqualTo(5.0);
    // nothing delivered or spent yet: the rates are not known, not 0
    assertThat(all.at("/0/campaign").asText()).isEqualTo("launch");
    assertThat(all.at("/0/openRate").isNull()).isTrue();
    assertThat(all.at("/0/roi").isNull()).isTrue();
    assertThat(content(r.dispatch("read_metrics", json("{\"campaign\": \"winback\"}"))))
        .containsExactly(all.get(1));
    assertThat(r.dispatch("read_metrics", json("{\"campaign\": \"nope\"}")))
        .isInstanceOfSatisfying(
            ToolResult.Failed.class, f -> assertThat(f.code()).isEqualTo(ToolErrorCode.NOT_FOUND));
  }

  @Test
  void exports_sdkTools_validForEveryProviderShape() {
    JsonNode bedrock = registry.toBedrockConverseToolConfig();
    JsonNode openAi = registry.toOpenAiTools();
    JsonNode mcp = registry.toMcpToolsList();

    assertThat(bedrock.get("tools")).hasSize(7);
    for (JsonNode t : bedrock.get("tools")) {
      assertThat(t.at("/toolSpec/name").asText()).matches("^[a-zA-Z0-9_-]{1,64}$");
      assertThat(t.at("/toolSpec/inputSchema/json/type").asText()).isEqualTo("object");
      assertThat(t.at("/toolSpec/description").asText()).isNotBlank();
    }
    assertThat(openAi).hasSize(7);
    assertThat(mcp.at("/tools/4/name").asText()).isEqualTo("execute_approved_action");
    assertThat(mcp.at("/tools/4/annotations/readOnlyHint").asBoolean()).isFalse();
    assertThat(mcp.at("/tools/0/annotations/readOnlyHint").asBoolean()).isTrue();
  }
}
