package dev.opagent.converse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.Channel;
import dev.opagent.agent.tools.ArgumentProblem;
import dev.opagent.agent.tools.ToolResult;
import dev.opagent.testkit.ModelTurn;
import dev.opagent.testkit.ReceivedConverse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;

/** The tool loop through the real SDK client against the simulated model. */
class ConverseAgentTest {
  private final Host host = new Host();

  @AfterEach
  void close() {
    host.close();
  }

  @Test
  void run_twoToolCallsThenAnAnswer_dispatchesBothAndReturnsTheAnswer() {
    host.atRisk("C-1", Channel.SMS);
    host.model
        .then(
            ModelTurn.toolUse("check_eligibility", "{\"customerId\": \"C-1\"}").withUsage(100, 20))
        .then(ModelTurn.toolUse("plan_actions", "{\"customerId\": \"C-1\"}").withUsage(200, 25))
        .then(
            request ->
                ModelTurn.text("Planned " + Host.planId(request) + ": an SMS nudge.")
                    .withUsage(300, 30));

    Transcript t = host.agent().build().run("What should we do for customer C-1?");

    assertThat(t.ending()).isEqualTo(Ending.END_TURN);
    assertThat(t.stopReason()).isEqualTo("end_turn");
    assertThat(t.answer()).startsWith("Planned plan-").endsWith(": an SMS nudge.");
    assertThat(t.toolCalls())
        .extracting(ToolCall::step, ToolCall::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "check_eligibility"),
            org.assertj.core.groups.Tuple.tuple(2, "plan_actions"));
    assertThat(t.toolCalls())
        .allSatisfy(c -> assertThat(c.result()).isInstanceOf(ToolResult.Ok.class));
    assertThat(t.toolCalls().get(0).arguments()).isEqualTo(Host.json("{\"customerId\": \"C-1\"}"));
    assertThat(t.failedCalls()).isEmpty();
    assertThat(t.notRun()).isEmpty();
    assertThat(t.usage()).isEqualTo(new TokenUsage(600, 75, 675));
    assertThat(t.modelCalls()).isEqualTo(3);
    assertThat(t.attempts()).isEqualTo(3);
    assertThat(t.messages())
        .extracting(m -> m.role())
        .containsExactly(
            ConversationRole.USER,
            ConversationRole.ASSISTANT,
            ConversationRole.USER,
            ConversationRole.ASSISTANT,
            ConversationRole.USER,
            ConversationRole.ASSISTANT);
    assertThat(host.delivered).isEmpty(); // planning executes nothing

    List<ReceivedConverse> received = host.model.received();
    assertThat(received).hasSize(3);
    ReceivedConverse first = received.get(0);
    assertThat(first.modelId()).isEqualTo(dev.opagent.testkit.ConverseSimulator.MODEL_ID);
    assertThat(first.toolNames()).containsExactlyElementsOf(host.registry.names());
    assertThat(first.toolConfig().at("/tools/1/toolSpec/inputSchema/json/required/0").asText())
        .isEqualTo("customerId");
    assertThat(first.systemText()).isEqualTo("You are the retention team's assistant.");
    assertThat(first.messages().get(0).at("/content/0/text").asText())
        .isEqualTo("What should we do for customer C-1?");
    JsonNode eligibility = received.get(1).toolResults().get(0);
    assertThat(eligibility.get("status").asText()).isEqualTo("success");
    assertThat(eligibility.at("/content/0/json/status").asText()).isEqualTo("ok");
    assertThat(eligibility.get("toolUseId").asText()).isEqualTo(t.toolCalls().get(0).toolUseId());
    assertThat(
            received
                .get(2)
                .toolResults()
                .get(0)
                .at("/content/0/json/result/actions/0/status")
                .asText())
        .isEqualTo("CHOSEN");
  }

  @Test
  void run_unknownTool_answersAnErrorResultNamingIt() {
    host.model
        .then(ModelTurn.toolUse("send_coupon", "{\"customerId\": \"C-1\", \"percent\": 50}"))
        .then(ModelTurn.text("I cannot send coupons."));

    Transcript t = host.agent().build().run("Send C-1 a coupon.");

    assertThat(t.ending()).isEqualTo(Ending.END_TURN);
    assertThat(t.toolCalls())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.name()).isEqualTo("send_coupon");
              assertThat(c.result())
                  .isInstanceOfSatisfying(
                      ToolResult.UnknownTool.class,
                      u -> assertThat(u.available()).contains("plan_actions"));
            });
    JsonNode result = host.model.received().get(1).toolResults().get(0);
    assertThat(result.get("status").asText()).isEqualTo("error");
    assertThat(result.at("/content/0/json/status").asText()).isEqualTo("unknown_tool");
    assertThat(result.at("/content/0/json/error").asText()).contains("'send_coupon'");
    assertThat(host.delivered).isEmpty();
  }

  @Test
  void run_malformedToolInput_answersTheProblemsAndRunsNothing() {
    host.atRisk("C-1", Channel.SMS);
    host.model
        .then(
            ModelTurn.toolUse("execute_approved_action", "{\"planId\": 7, \"campaign\": \"\"}")
                .andToolUse("plan_actions", "[\"C-1\"]"))
        .then(ModelTurn.text("My arguments were wrong."));

    Transcript t = host.agent().build().run("Send the nudge to C-1.");

    assertThat(t.toolCalls()).hasSize(2);
    assertThat(t.toolCalls().get(0).result())
        .isInstanceOfSatisfying(
            ToolResult.InvalidArguments.class,
            i ->
                assertThat(i.problems())
                    .extracting(ArgumentProblem::pointer)
                    .contains("/planId", "/campaign", "/actionType"));
    assertThat(t.toolCalls().get(1).result()).isInstanceOf(ToolResult.InvalidArguments.class);
    assertThat(t.failedCalls()).hasSize(2);
    List<JsonNode> results = host.model.received().get(1).toolResults();
    assertThat(results).hasSize(2);
    assertThat(results)
        .allSatisfy(
            r -> {
              assertThat(r.get("status").asText()).isEqualTo("error");
              assertThat(r.at("/content/0/json/status").asText()).isEqualTo("invalid_arguments");
              assertThat(r.at("/content/0/json/problems").isArray()).isTrue();
            });
    assertThat(host.delivered).isEmpty();
  }

  @Test
  void run_deeplyNestedToolInput_isRefusedAsInvalidArguments() {
    String deep = "{\"a\":".repeat(250) + "1" + "}".repeat(250);
    host.model.then(ModelTurn.toolUse("plan_actions", deep)).then(ModelTurn.text("Sorry."));

    Transcript t = host.agent().build().run("Plan for C-1.");

    assertThat(t.toolCalls().get(0).result())
        .isInstanceOfSatisfying(
            ToolResult.InvalidArguments.class,
            i ->
                assertThat(i.problems())
                    .extracting(ArgumentProblem::keyword)
                    .containsExactly("json"));
    assertThat(host.delivered).isEmpty();
  }

  @Test
  void run_continuingATranscriptCutShort_answersItsOpenToolUsesAndAddsTheMessage() {
    host.atRisk("C-1", Channel.SMS);
    host.model
        .then(ModelTurn.toolUse("plan_actions", "{\"customerId\": \"C-1\"}"))
        .then(ModelTurn.text("Planned."));
    ConverseAgent oneStep = host.agent().budgets(Budgets.defaults().withMaxModelCalls(1)).build();

    Transcript cut = oneStep.run("Plan for C-1.");
    Transcript next = host.agent().build().run(cut, "Go on.");

    assertThat(cut.ending()).isEqualTo(Ending.STEP_BUDGET);
    assertThat(cut.notRun()).extracting(Transcript.NotRun::name).containsExactly("plan_actions");
    assertThat(next.ending()).isEqualTo(Ending.END_TURN);
    assertThat(next.answer()).isEqualTo("Planned.");
    ReceivedConverse second = host.model.received().get(1);
    JsonNode last = second.messages().get(second.messages().size() - 1);
    assertThat(last.at("/content/0/toolResult/status").asText()).isEqualTo("error");
    assertThat(last.at("/content/0/toolResult/content/0/json/error").asText()).contains("not run");
    assertThat(last.at("/content/1/text").asText()).isEqualTo("Go on.");
    assertThat(host.delivered).isEmpty();
  }

  @Test
  void run_textResultsWithoutStatus_forModelsThatAcceptNoOther() {
    host.model
        .then(ModelTurn.toolUse("read_metrics", "{}"))
        .then(ModelTurn.text("No metrics yet."));

    Transcript t =
        host.agent().toolResultStatus(false).toolResultsAsText(true).build().run("Metrics?");

    assertThat(t.ending()).isEqualTo(Ending.END_TURN);
    JsonNode result = host.model.received().get(1).toolResults().get(0);
    assertThat(result.has("status")).isFalse();
    assertThat(Host.json(result.at("/content/0/text").asText()).get("status").asText())
        .isEqualTo("ok");
  }

  @Test
  void run_onTheAsyncClient_runsTheSameLoop() {
    host.atRisk("C-1", Channel.SMS);
    host.model
        .then(ModelTurn.toolUse("plan_actions", "{\"customerId\": \"C-1\"}"))
        .then(ModelTurn.text("Planned."));
    try (NettyNioAsyncHttpClient http =
            (NettyNioAsyncHttpClient) NettyNioAsyncHttpClient.builder().build();
        BedrockRuntimeAsyncClient async =
            BedrockRuntimeAsyncClient.builder()
                .endpointOverride(host.model.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClient(http)
                .build()) {
      Transcript t =
          ConverseAgent.builder()
              .client(async)
              .modelId("eu.anthropic.claude-3-5-sonnet-20240620-v1:0")
              .tools(host.registry)
              .budgets(Budgets.defaults().withMaxDuration(Duration.ofSeconds(20)))
              .build()
              .run("Plan for C-1.");

      assertThat(t.ending()).isEqualTo(Ending.END_TURN);
      assertThat(t.toolCalls()).singleElement().satisfies(c -> assertThat(c.isError()).isFalse());
      assertThat(host.model.received().get(0).modelId())
          .isEqualTo("eu.anthropic.claude-3-5-sonnet-20240620-v1:0");
      assertThat(host.model.received().get(0).body().has("system")).isFalse();
    }
  }
}
