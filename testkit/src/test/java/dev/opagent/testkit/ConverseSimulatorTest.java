package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultStatus;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** The simulated model through the real Bedrock Runtime client. */
class ConverseSimulatorTest {
  private final ConverseSimulator model = ConverseSimulator.start();
  private final BedrockRuntimeClient client =
      BedrockRuntimeClient.builder()
          .endpointOverride(model.endpoint())
          .region(Region.US_EAST_1)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
          .httpClient(UrlConnectionHttpClient.create())
          .build();

  @AfterEach
  void close() {
    client.close();
    model.close();
  }

  private static final ToolConfiguration TOOLS =
      ToolConfiguration.builder()
          .tools(
              Tool.fromToolSpec(
                  ToolSpecification.builder()
                      .name("read_metrics")
                      .description("Reads metrics.")
                      .inputSchema(
                          ToolInputSchema.fromJson(
                              Document.fromMap(Map.of("type", Document.fromString("object")))))
                      .build()))
          .build();

  private static Message user(String text) {
    return Message.builder()
        .role(ConversationRole.USER)
        .content(ContentBlock.fromText(text))
        .build();
  }

  private ConverseResponse converse(Message... messages) {
    return client.converse(
        ConverseRequest.builder()
            .modelId(ConverseSimulator.MODEL_ID)
            .messages(messages)
            .toolConfig(TOOLS)
            .system(s -> s.text("Be brief."))
            .build());
  }

  @Test
  void scriptedTurns_answerInOrderWithToolUsesUsageAndMetrics() {
    model
        .then(
            ModelTurn.text("Checking.")
                .andToolUse("read_metrics", "{\"campaign\": \"winback\", \"n\": 2.5}")
                .withToolUseIds("tu-1")
                .withUsage(120, 30))
        .then(
            request ->
                ModelTurn.text(
                    "Delivered: " + request.toolResults().get(0).at("/content/0/json/delivered")));
    model.latency(Duration.ofMillis(5));

    ConverseResponse first = converse(user("Metrics?"));
    ToolUseBlock use = first.output().message().content().get(1).toolUse();
    Message answer = first.output().message();
    Message results =
        Message.builder()
            .role(ConversationRole.USER)
            .content(
                ContentBlock.fromToolResult(
                    ToolResultBlock.builder()
                        .toolUseId(use.toolUseId())
                        .status(ToolResultStatus.SUCCESS)
                        .content(
                            ToolResultContentBlock.fromJson(
                                Document.fromMap(Map.of("delivered", Document.fromNumber(3)))))
                        .build()))
            .build();
    ConverseResponse second = converse(user("Metrics?"), answer, results);

    assertThat(first.stopReason()).isEqualTo(StopReason.TOOL_USE);
    assertThat(first.output().message().role()).isEqualTo(ConversationRole.ASSISTANT);
    assertThat(first.output().message().content().get(0).text()).isEqualTo("Checking.");
    assertThat(use.toolUseId()).isEqualTo("tu-1");
    assertThat(use.name()).isEqualTo("read_metrics");
    assertThat(use.input().asMap().get("campaign").asString()).isEqualTo("winback");
    assertThat(use.input().asMap().get("n").asNumber().doubleValue()).isEqualTo(2.5);
    assertThat(first.usage().inputTokens()).isEqualTo(120);
    assertThat(first.usage().outputTokens()).isEqualTo(30);
    assertThat(first.usage().totalTokens()).isEqualTo(150);
    assertThat(first.metrics().latencyMs()).isEqualTo(5);
    assertThat(second.stopReason()).isEqualTo(StopReason.END_TURN);
    assertThat(second.output().message().content().get(0).text()).isEqualTo("Delivered: 3");
    assertThat(second.usage().totalTokens()).isPositive();

    List<ReceivedConverse> received = model.received();
    assertThat(received).hasSize(2);
    assertThat(received.get(0).modelId()).isEqualTo(ConverseSimulator.MODEL_ID);
    assertThat(received.get(0).toolNames()).containsExactly("read_metrics");
    assertThat(received.get(0).systemText()).isEqualTo("Be brief.");
    assertThat(received.get(0).toolResults()).isEmpty();
    JsonNode result = received.get(1).toolResults().get(0);
    assertThat(result.get("toolUseId").asText()).isEqualTo("tu-1");
    assertThat(result.get("status").asText()).isEqualTo("success");
    assertThat(received.get(1).allToolResults()).hasSize(1);
    assertThat(model.remainingTurns()).isZero();
  }

  @Test
  void toolUseIds_areNumberedWhenNotGiven() {
    model.then(ModelTurn.toolUse("read_metrics", "{}").andToolUse("read_metrics", "{}"));

    List<ContentBlock> content = converse(user("Metrics?")).output().message().content();

    assertThat(content.get(0).toolUse().toolUseId())
        .isNotEqualTo(content.get(1).toolUse().toolUseId())
        .startsWith("tooluse_");
  }

  @Test
  void faults_answerBeforeTheScriptAndAreRecorded() {
    model.failNext(2, ModelFault.THROTTLING).then(ModelTurn.text("Hello."));

    ThrottlingException throttled =
        catchThrowableOfType(ThrottlingException.class, () -> converse(user("Hi")));
    catchThrowableOfType(ThrottlingException.class, () -> converse(user("Hi")));
    ConverseResponse ok = converse(user("Hi"));

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.awsErrorDetails().errorMessage())
        .isEqualTo(ModelFault.THROTTLING.message());
    assertThat(ok.output().message().content().get(0).text()).isEqualTo("Hello.");
    assertThat(model.requestCount()).isEqualTo(3);
    assertThat(model.received()).hasSize(3);
    assertThat(model.remainingFaults()).isZero();
  }

  @Test
  void everyFault_reachesTheClientAsItsServiceException() {
    for (ModelFault fault : ModelFault.values()) {
      model.failNext(1, fault);
      var e =
          catchThrowableOfType(
              software.amazon.awssdk.awscore.exception.AwsServiceException.class,
              () -> converse(user("Hi")));
      assertThat(e.statusCode()).as(fault.name()).isEqualTo(fault.status());
      assertThat(e.awsErrorDetails().errorCode()).as(fault.name()).isEqualTo(fault.errorType());
      assertThat(e.getClass().getSimpleName()).isEqualTo(fault.errorType());
    }
  }

  @Test
  void aConversationBedrockWouldRefuse_answersValidationException() {
    model.then(ModelTurn.text("never"));
    Message assistant =
        Message.builder()
            .role(ConversationRole.ASSISTANT)
            .content(
                ContentBlock.fromToolUse(
                    ToolUseBlock.builder()
                        .toolUseId("tu-9")
                        .name("read_metrics")
                        .input(Document.fromMap(Map.of()))
                        .build()))
            .build();

    ValidationException startsWithAssistant =
        catchThrowableOfType(ValidationException.class, () -> converse(assistant, user("Hi")));
    ValidationException unanswered =
        catchThrowableOfType(
            ValidationException.class, () -> converse(user("Hi"), assistant, user("And?")));

    assertThat(startsWithAssistant.awsErrorDetails().errorMessage())
        .contains("must start with a user message");
    assertThat(unanswered.awsErrorDetails().errorMessage())
        .contains("Expected toolResult blocks at messages.2");
    assertThat(model.remainingTurns()).isEqualTo(1);
  }

  @Test
  void anExhaustedScript_answersValidationExceptionSayingSo() {
    ValidationException e =
        catchThrowableOfType(ValidationException.class, () -> converse(user("Hi")));

    assertThat(e.awsErrorDetails().errorMessage()).contains("no scripted turn left");
  }

  @Test
  void otherOperations_andReset() throws Exception {
    model.then(ModelTurn.text("x")).failNext(1, ModelFault.THROTTLING);
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(model.endpoint() + "/model/m/converse-stream"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("UnknownOperationException");

    model.reset();
    assertThat(model.remainingTurns()).isZero();
    assertThat(model.remainingFaults()).isZero();
    assertThat(model.requestCount()).isZero();
    assertThat(model.received()).isEmpty();
    assertThat(model.toString()).contains(model.endpoint().toString());
  }
}
