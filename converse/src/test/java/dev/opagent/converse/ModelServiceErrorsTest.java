package dev.opagent.converse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.opagent.agent.Channel;
import dev.opagent.testkit.ModelFault;
import dev.opagent.testkit.ModelTurn;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/** Failures of the model service: which are retried, and what the exception tells. */
class ModelServiceErrorsTest {
  /** Personal data in the prompt: never in an error message without payload logging. */
  private static final String PROMPT = "Write to jane.doe@example.com about her overdue bill.";

  private final Host host = new Host();

  @AfterEach
  void close() {
    host.close();
  }

  @Test
  void throttledTwice_isRetriedAndThenSucceeds() {
    host.model.failNext(2, ModelFault.THROTTLING).then(ModelTurn.text("Done."));

    Transcript t = host.agent().maxAttempts(4).build().run(PROMPT);

    assertThat(t.ending()).isEqualTo(Ending.END_TURN);
    assertThat(t.answer()).isEqualTo("Done.");
    assertThat(t.modelCalls()).isEqualTo(1);
    assertThat(t.attempts()).isEqualTo(3);
    assertThat(host.model.requestCount()).isEqualTo(3);
  }

  @Test
  void serverErrors_areRetried() {
    host.model
        .failNext(1, ModelFault.INTERNAL_ERROR)
        .failNext(1, ModelFault.SERVICE_UNAVAILABLE)
        .failNext(1, ModelFault.MODEL_TIMEOUT)
        .then(ModelTurn.text("Done."));

    Transcript t = host.agent().maxAttempts(4).build().run(PROMPT);

    assertThat(t.answer()).isEqualTo("Done.");
    assertThat(t.attempts()).isEqualTo(4);
  }

  @Test
  void throttledThroughout_failsTypedAfterTheRetryBudget() {
    host.model.failNext(10, ModelFault.THROTTLING).then(ModelTurn.text("never"));

    ConverseException e =
        catchThrowableOfType(
            ConverseException.class, () -> host.agent().maxAttempts(3).build().run(PROMPT));

    assertThat(e.code()).isEqualTo(ConverseErrorCode.THROTTLED);
    assertThat(e.retryable()).isTrue();
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(e.statusCode()).isEqualTo(429);
    assertThat(e.requestId()).isNotBlank();
    assertThat(host.model.requestCount()).isEqualTo(3);
    assertThat(e.getMessage())
        .contains("429 ThrottlingException", "after 3 attempts", "quota increase")
        .doesNotContain("jane", "overdue");
    assertThat(e.transcript()).isNotNull();
    assertThat(e.transcript().ending()).isEqualTo(Ending.FAILED);
    assertThat(e.transcript().attempts()).isEqualTo(3);
  }

  @Test
  void validationError_isNotRetriedAndHidesTheServiceReasonWithoutPayloadLogging() {
    host.model.failNext(1, ModelFault.VALIDATION).then(ModelTurn.text("never"));

    ConverseException e =
        catchThrowableOfType(ConverseException.class, () -> host.agent().build().run(PROMPT));

    assertThat(e.code()).isEqualTo(ConverseErrorCode.INVALID_REQUEST);
    assertThat(e.retryable()).isFalse();
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(host.model.requestCount()).isEqualTo(1);
    assertThat(e.getMessage())
        .contains("400 ValidationException", "supports tool use", "turn payload logging on")
        .doesNotContain(ModelFault.VALIDATION.message())
        .doesNotContain("jane");
  }

  @Test
  void validationError_withPayloadLogging_carriesTheServiceReason() {
    host.model.failNext(1, ModelFault.VALIDATION);

    ConverseException e =
        catchThrowableOfType(
            ConverseException.class, () -> host.agent().payloadLogging(true).build().run(PROMPT));

    assertThat(e.getMessage()).contains(ModelFault.VALIDATION.message());
  }

  @Test
  void accessDenied_isNotRetriedAndSaysWhichPermission() {
    host.model.failNext(3, ModelFault.ACCESS_DENIED);

    ConverseException e =
        catchThrowableOfType(
            ConverseException.class, () -> host.agent().maxAttempts(3).build().run(PROMPT));

    assertThat(e.code()).isEqualTo(ConverseErrorCode.ACCESS_DENIED);
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(host.model.requestCount()).isEqualTo(1);
    assertThat(e.getMessage()).contains("403 AccessDeniedException", "bedrock:InvokeModel");
  }

  @Test
  void notFound_namesTheModelAndWhatToCheck() {
    host.model.failNext(1, ModelFault.NOT_FOUND);

    ConverseException e =
        catchThrowableOfType(ConverseException.class, () -> host.agent().build().run(PROMPT));

    assertThat(e.code()).isEqualTo(ConverseErrorCode.NOT_FOUND);
    assertThat(e.getMessage()).contains("model id or inference profile and the region");
  }

  @Test
  void failureAfterToolsRan_keepsWhatRanInTheExceptionsTranscript() {
    host.atRisk("C-1", Channel.SMS);
    host.model.then(ModelTurn.toolUse("plan_actions", "{\"customerId\": \"C-1\"}"));
    // the second call finds the script exhausted: the simulator refuses it as invalid

    ConverseException e =
        catchThrowableOfType(ConverseException.class, () -> host.agent().build().run(PROMPT));

    assertThat(e.code()).isEqualTo(ConverseErrorCode.INVALID_REQUEST);
    assertThat(e.transcript().toolCalls())
        .extracting(ToolCall::name)
        .containsExactly("plan_actions");
    assertThat(e.transcript().modelCalls()).isEqualTo(2);
  }

  @Test
  void unreachableService_failsAsConnectionFailedAfterRetries() {
    int port = host.model.endpoint().getPort();
    host.model.close(); // nothing listens there any more
    try (BedrockRuntimeClient gone =
        BedrockRuntimeClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + port))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      ConverseException e =
          catchThrowableOfType(
              ConverseException.class,
              () ->
                  ConverseAgent.builder()
                      .client(gone)
                      .modelId("m")
                      .tools(host.registry)
                      .maxAttempts(2)
                      .backoff(Duration.ZERO, Duration.ofMillis(1))
                      .build()
                      .run(PROMPT));

      assertThat(e.code()).isEqualTo(ConverseErrorCode.CONNECTION_FAILED);
      assertThat(e.attempts()).isEqualTo(2);
      assertThat(e.getMessage()).contains("could not be reached").doesNotContain("jane");
    }
  }

  @Test
  void codes_coverTheServicesErrorTypesAndStatuses() {
    assertThat(ModelErrors.codeFor("ModelNotReadyException", 429))
        .isEqualTo(ConverseErrorCode.MODEL_NOT_READY);
    assertThat(ModelErrors.codeFor("ModelErrorException", 424))
        .isEqualTo(ConverseErrorCode.MODEL_ERROR);
    assertThat(ModelErrors.codeFor("ServiceQuotaExceededException", 400))
        .isEqualTo(ConverseErrorCode.QUOTA_EXCEEDED);
    assertThat(ModelErrors.codeFor("", 429)).isEqualTo(ConverseErrorCode.THROTTLED);
    assertThat(ModelErrors.codeFor("", 502)).isEqualTo(ConverseErrorCode.SERVICE_UNAVAILABLE);
    assertThat(ModelErrors.codeFor("", 401)).isEqualTo(ConverseErrorCode.ACCESS_DENIED);
    assertThat(ModelErrors.codeFor("", 404)).isEqualTo(ConverseErrorCode.NOT_FOUND);
    assertThat(ModelErrors.codeFor("", 408)).isEqualTo(ConverseErrorCode.MODEL_TIMEOUT);
    assertThat(ModelErrors.codeFor("", 424)).isEqualTo(ConverseErrorCode.MODEL_ERROR);
    assertThat(ModelErrors.codeFor("", 400)).isEqualTo(ConverseErrorCode.INVALID_REQUEST);
  }
}
