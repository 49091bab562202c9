package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.internal.wire.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockagentcore.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockagentcore.model.BedrockAgentCoreException;
import software.amazon.awssdk.services.bedrockagentcore.model.InternalServerException;
import software.amazon.awssdk.services.bedrockagentcore.model.InvokeAgentRuntimeRequest;
import software.amazon.awssdk.services.bedrockagentcore.model.InvokeAgentRuntimeResponse;
import software.amazon.awssdk.services.bedrockagentcore.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockagentcore.model.RuntimeClientErrorException;
import software.amazon.awssdk.services.bedrockagentcore.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockagentcore.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockagentcore.model.ValidationException;

/** The simulator as the real AWS SDK client sees it: every answer shape and every error path. */
class AgentSimulatorSdkTest {
  private static final String ACTIVE = Fixtures.payload(Fixtures.seedActiveCustomer());
  private static final String NEW = Fixtures.payload(Fixtures.seedNewCustomer());
  private static final SegmentAnalysis EXPECTED_ACTIVE =
      new ReferenceSegmenter(Fixtures.seedClock()).analyze(Fixtures.seedActiveCustomer());

  private static SimulatorConfig.Builder seedDay() {
    return SimulatorConfig.builder().clock(Fixtures.seedClock());
  }

  @Nested
  class Answers {
    @Test
    void invoke_json_answersTheReferenceAnalysis() throws Exception {
      try (AgentSimulator sim = AgentSimulator.start(seedDay().build());
          Sdk sdk = Sdk.against(sim)) {
        ResponseBytes<InvokeAgentRuntimeResponse> answer = sdk.invoke(ACTIVE);

        assertThat(answer.response().contentType()).isEqualTo("application/json");
        assertThat(answer.response().runtimeSessionId()).isEqualTo(Sdk.SESSION);
        assertThat(answer.response().sdkHttpResponse().firstMatchingHeader("x-amzn-RequestId"))
            .isPresent();
        JsonNode body = Json.MAPPER.readTree(answer.asUtf8String());
        assertThat(body.fieldNames()).toIterable().containsExactly("analysis");
        assertThat(Json.MAPPER.treeToValue(body.get("analysis"), SegmentAnalysis.class).toJson())
            .isEqualTo(EXPECTED_ACTIVE.toJson());
        assertThat(body.at("/analysis/churnSegment").asText()).isEqualTo("Ilık");
        assertThat(body.at("/analysis/missingRegulars/0/daysOverdue").asInt()).isEqualTo(24);
      }
    }

    @Test
    void invoke_newCustomer_answersNewSegments() throws Exception {
      try (AgentSimulator sim = AgentSimulator.start(seedDay().build());
          Sdk sdk = Sdk.against(sim)) {
        JsonNode analysis = Json.MAPPER.readTree(sdk.invoke(NEW).asUtf8String()).get("analysis");

        assertThat(analysis.get("churnSegment").asText()).isEqualTo("Yeni");
        assertThat(analysis.get("valueSegment").asText()).isEqualTo("New");
        assertThat(analysis.get("ageSegment").asText()).isEqualTo("25-34");
        assertThat(analysis.get("missingRegulars")).isEmpty();
      }
    }

    @Test
    void invoke_eventStream_sendsProgressEventsThenTheAnalysisIncrementally() throws Exception {
      SimulatorConfig config =
          seedDay()
              .responseShape(ResponseShape.EVENT_STREAM)
              .streamProgressEvents(3)
              .latency(Latency.fixed(Duration.ofMillis(600)))
              .build();
      try (AgentSimulator sim = AgentSimulator.start(config);
          Sdk sdk = Sdk.against(sim)) {
        Sdk.Streamed streamed = sdk.stream(sdk.request(ACTIVE, Sdk.SESSION));

        assertThat(streamed.response.contentType()).isEqualTo("text/event-stream");
        List<String> data = sseData(streamed.body());
        assertThat(data).hasSize(4);
        assertThat(data.subList(0, 3)).allSatisfy(d -> assertThat(d).startsWith("\""));
        JsonNode last = Json.MAPPER.readTree(data.get(3));
        assertThat(Json.MAPPER.treeToValue(last.get("analysis"), SegmentAnalysis.class).toJson())
            .isEqualTo(EXPECTED_ACTIVE.toJson());
        // Events are flushed one by one, 150 ms apart: the stream is not buffered to the end.
        assertThat(streamed.chunks.size()).isGreaterThanOrEqualTo(3);
        long spreadMillis =
            (streamed.arrivals.get(streamed.arrivals.size() - 1) - streamed.arrivals.get(0))
                / 1_000_000;
        assertThat(spreadMillis).isGreaterThanOrEqualTo(200);
      }
    }

    @Test
    void invoke_eventStreamWithoutLatency_sendsTheWholeStream() throws Exception {
      SimulatorConfig config = seedDay().responseShape(ResponseShape.EVENT_STREAM).build();
      try (AgentSimulator sim = AgentSimulator.start(config);
          Sdk sdk = Sdk.against(sim)) {
        List<String> data = sseData(sdk.invoke(ACTIVE).asUtf8String());

        assertThat(data).hasSize(4);
        assertThat(Json.MAPPER.readTree(data.get(3)).at("/analysis/loyaltyTier").asText())
            .isEqualTo("Gümüş");
      }
    }
  }

  @Nested
  class Errors {
    @Test
    void invoke_sessionIdTooShortOrTooLong_validationException400() {
      try (AgentSimulator sim = AgentSimulator.start();
          Sdk sdk = Sdk.against(sim)) {
        Throwable tooShort = sdk.failure(sdk.request(ACTIVE, "s".repeat(32)));
        Throwable tooLong = sdk.failure(sdk.request(ACTIVE, "s".repeat(257)));

        assertService(tooShort, ValidationException.class, 400, "ValidationException");
        assertThat(tooShort).hasMessageContaining("between 33 and 256");
        assertService(tooLong, ValidationException.class, 400, "ValidationException");
        assertThat(sdk.invoke(sdk.request(ACTIVE, "s".repeat(33))).response().statusCode())
            .isEqualTo(200);
        assertThat(sdk.invoke(sdk.request(ACTIVE, "s".repeat(256))).response().statusCode())
            .isEqualTo(200);
        assertThat(sim.stats().count(Outcome.VALIDATION_ERROR)).isEqualTo(2);
      }
    }

    @Test
    void invoke_invalidPayload_validationException400NamingTheField() {
      try (AgentSimulator sim = AgentSimulator.start();
          Sdk sdk = Sdk.against(sim)) {
        Throwable badAge =
            sdk.failure(
                sdk.request(
                    Sdk.payload("{\"customerId\": \"C-1\", \"customer\": {\"age\": 200}}"),
                    Sdk.SESSION));
        Throwable notJson = sdk.failure(sdk.request("{\"customerData\": {", Sdk.SESSION));
        Throwable noWrapper = sdk.failure(sdk.request("{\"customerId\": \"C-1\"}", Sdk.SESSION));

        assertService(badAge, ValidationException.class, 400, "ValidationException");
        assertThat(badAge).hasMessageContaining("customerData.customer.age");
        assertService(notJson, ValidationException.class, 400, "ValidationException");
        assertService(noWrapper, ValidationException.class, 400, "ValidationException");
        assertThat(sim.stats().callsPerCustomer()).isEmpty();
      }
    }

    @Test
    void invoke_payloadAboveTheLimit_validationException400() {
      try (AgentSimulator sim = AgentSimulator.start(c -> c.maxPayloadBytes(100));
          Sdk sdk = Sdk.against(sim)) {
        assertService(
            sdk.failure(sdk.request(ACTIVE, Sdk.SESSION)),
            ValidationException.class,
            400,
            "ValidationException");
      }
    }

    @Test
    void invoke_deniedAccessKey_accessDeniedException403() {
      try (AgentSimulator sim = AgentSimulator.start(c -> c.addDeniedAccessKeyId("AKIDDENIED"));
          Sdk denied = Sdk.against(sim, "AKIDDENIED");
          Sdk allowed = Sdk.against(sim, "AKIDALLOWED")) {
        assertService(
            denied.failure(denied.request(ACTIVE, Sdk.SESSION)),
            AccessDeniedException.class,
            403,
            "AccessDeniedException");
        assertThat(allowed.invoke(ACTIVE).response().statusCode()).isEqualTo(200);
        assertThat(sim.stats().count(Outcome.ACCESS_DENIED)).isEqualTo(1);
      }
    }

    @Test
    void invoke_unknownArnOrQualifier_resourceNotFoundException404() {
      try (AgentSimulator sim = AgentSimulator.start();
          Sdk sdk = Sdk.against(sim)) {
        InvokeAgentRuntimeRequest otherArn =
            sdk.request(ACTIVE, Sdk.SESSION).toBuilder()
                .agentRuntimeArn(Fixtures.SEED_AGENT_RUNTIME_ARN)
                .build();
        InvokeAgentRuntimeRequest otherQualifier =
            sdk.request(ACTIVE, Sdk.SESSION).toBuilder().qualifier("canary").build();
        InvokeAgentRuntimeRequest noQualifier =
            sdk.request(ACTIVE, Sdk.SESSION).toBuilder().qualifier(null).build();

        assertService(
            sdk.failure(otherArn),
            ResourceNotFoundException.class,
            404,
            "ResourceNotFoundException");
        assertService(
            sdk.failure(otherQualifier),
            ResourceNotFoundException.class,
            404,
            "ResourceNotFoundException");
        assertThat(sdk.invoke(noQualifier).response().statusCode()).isEqualTo(200);
      }
    }

    @Test
    void invoke_anyArnAccepted_answersEveryArn() {
      try (AgentSimulator sim =
              AgentSimulator.start(c -> c.acceptAnyArn(true).addQualifier("canary"));
          Sdk sdk = Sdk.against(sim)) {
        InvokeAgentRuntimeRequest seedArn =
            sdk.request(ACTIVE, Sdk.SESSION).toBuilder()
                .agentRuntimeArn(Fixtures.SEED_AGENT_RUNTIME_ARN)
                .qualifier("canary")
                .build();

        assertThat(sdk.invoke(seedArn).response().statusCode()).isEqualTo(200);
      }
    }

    @Test
    void invoke_rateQuotaExhausted_throttlingException429UntilTheBucketRefills() {
      AtomicLong nanos = new AtomicLong();
      SimulatorConfig config =
          SimulatorConfig.builder().requestsPerSecond(2).burst(2).ticker(nanos::get).build();
      try (AgentSimulator sim = AgentSimulator.start(config);
          Sdk sdk = Sdk.against(sim)) {
        sdk.invoke(ACTIVE);
        sdk.invoke(ACTIVE);
        Throwable third = sdk.failure(sdk.request(ACTIVE, Sdk.SESSION));
        nanos.addAndGet(500_000_000L); // half a second: one token at 2 per second

        assertService(third, ThrottlingException.class, 429, "ThrottlingException");
        assertThat(sdk.invoke(ACTIVE).response().statusCode()).isEqualTo(200);
        assertService(
            sdk.failure(sdk.request(ACTIVE, Sdk.SESSION)),
            ThrottlingException.class,
            429,
            "ThrottlingException");
        assertThat(sim.stats().count(Outcome.THROTTLED)).isEqualTo(2);
        assertThat(sim.stats().count(Outcome.OK)).isEqualTo(3);
      }
    }

    @Test
    void invoke_activeSessionQuotaReached_serviceQuotaExceeded402UntilASessionIdlesOut() {
      AtomicLong nanos = new AtomicLong();
      SimulatorConfig config =
          SimulatorConfig.builder()
              .maxActiveSessions(2)
              .sessionIdleTimeout(Duration.ofMinutes(15))
              .ticker(nanos::get)
              .build();
      try (AgentSimulator sim = AgentSimulator.start(config);
          Sdk sdk = Sdk.against(sim)) {
        sdk.invoke(sdk.request(ACTIVE, session(1)));
        nanos.addAndGet(Duration.ofMinutes(10).toNanos());
        sdk.invoke(sdk.request(ACTIVE, session(2)));
        Throwable third = sdk.failure(sdk.request(ACTIVE, session(3)));
        sdk.invoke(sdk.request(ACTIVE, session(1))); // a live session is always served

        assertService(
            third, ServiceQuotaExceededException.class, 402, "ServiceQuotaExceededException");
        assertThat(sim.stats().liveSessions()).isEqualTo(2);

        nanos.addAndGet(Duration.ofMinutes(15).toNanos() + 1); // both idle out
        assertThat(sim.stats().liveSessions()).isZero();
        assertThat(sdk.invoke(sdk.request(ACTIVE, session(3))).response().statusCode())
            .isEqualTo(200);
        assertThat(sim.stats().distinctSessions()).isEqualTo(3);
        assertThat(sim.stats().count(Outcome.SESSION_QUOTA_EXCEEDED)).isEqualTo(1);
      }
    }

    @Test
    void stopRuntimeSession_freesTheSessionForTheQuota() {
      try (AgentSimulator sim = AgentSimulator.start(c -> c.maxActiveSessions(1));
          Sdk sdk = Sdk.against(sim)) {
        sdk.invoke(sdk.request(ACTIVE, session(1)));
        assertService(
            sdk.failure(sdk.request(ACTIVE, session(2))),
            ServiceQuotaExceededException.class,
            402,
            "ServiceQuotaExceededException");

        var stopped =
            sdk.client
                .stopRuntimeSession(
                    b ->
                        b.agentRuntimeArn(sim.agentRuntimeArn())
                            .qualifier(sim.qualifier())
                            .runtimeSessionId(session(1)))
                .join();

        assertThat(stopped.statusCode()).isEqualTo(200);
        assertThat(stopped.runtimeSessionId()).isEqualTo(session(1));
        assertThat(sim.stats().liveSessions()).isZero();
        assertThat(sim.stats().stoppedSessions()).isEqualTo(1);
        assertThat(sdk.invoke(sdk.request(ACTIVE, session(2))).response().statusCode())
            .isEqualTo(200);
      }
    }

    @Test
    void stopRuntimeSession_unknownSession_resourceNotFound404() {
      try (AgentSimulator sim = AgentSimulator.start();
          Sdk sdk = Sdk.against(sim)) {
        CompletableFuture<?> stop =
            sdk.client.stopRuntimeSession(
                b -> b.agentRuntimeArn(sim.agentRuntimeArn()).runtimeSessionId(session(9)));

        assertThatThrownBy(stop::join)
            .isInstanceOf(CompletionException.class)
            .cause()
            .isInstanceOf(ResourceNotFoundException.class);
      }
    }

    @Test
    void invoke_agentErrorRateOne_runtimeClientError424() {
      try (AgentSimulator sim = AgentSimulator.start(c -> c.agentErrorRate(1));
          Sdk sdk = Sdk.against(sim)) {
        Throwable failure = sdk.failure(sdk.request(ACTIVE, Sdk.SESSION));

        assertService(failure, RuntimeClientErrorException.class, 424, "RuntimeClientError");
        assertThat(sim.stats().count(Outcome.AGENT_ERROR)).isEqualTo(1);
      }
    }

    @Test
    void invoke_internalErrorRateOne_internalServerException500() {
      try (AgentSimulator sim = AgentSimulator.start(c -> c.internalErrorRate(1));
          Sdk sdk = Sdk.against(sim)) {
        assertService(
            sdk.failure(sdk.request(ACTIVE, Sdk.SESSION)),
            InternalServerException.class,
            500,
            "InternalServerException");
      }
    }

    @Test
    void invoke_dropRateOne_clientSeesAnIoError() {
      try (AgentSimulator sim = AgentSimulator.start(c -> c.dropRate(1));
          Sdk sdk = Sdk.against(sim)) {
        Throwable failure = sdk.failure(sdk.request(ACTIVE, Sdk.SESSION));

        assertThat(failure)
            .isInstanceOf(SdkClientException.class)
            .isNotInstanceOf(BedrockAgentCoreException.class);
        assertThat(failure).hasRootCauseInstanceOf(IOException.class);
        assertThat(sim.stats().count(Outcome.DROPPED_CONNECTION)).isEqualTo(1);
        assertThat(sim.stats().inFlight()).isZero();
      }
    }

    @Test
    void invoke_eventStreamDropped_streamFailsAfterTheFirstEvent() {
      SimulatorConfig config =
          SimulatorConfig.builder()
              .responseShape(ResponseShape.EVENT_STREAM)
              .latency(Latency.fixed(Duration.ofMillis(100)))
              .dropRate(1)
              .build();
      try (AgentSimulator sim = AgentSimulator.start(config);
          Sdk sdk = Sdk.against(sim)) {
        // Read with toBytes(): the SDK's toPublisher() never signals its subscriber when the
        // connection closes mid-body, so a streaming reader needs its own idle timeout.
        Throwable failure = sdk.failure(sdk.request(ACTIVE, Sdk.SESSION));

        assertThat(failure)
            .isInstanceOf(SdkClientException.class)
            .isNotInstanceOf(BedrockAgentCoreException.class)
            .hasMessageContaining("before the connection was closed");
        assertThat(sim.stats().count(Outcome.DROPPED_CONNECTION)).isEqualTo(1);
      }
    }

    @Test
    void invoke_malformedRateOne_200WithoutAReadableAnalysis() throws Exception {
      try (AgentSimulator sim = AgentSimulator.start(c -> c.malformedRate(1));
          Sdk sdk = Sdk.against(sim)) {
        List<String> contentTypes = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
          ResponseBytes<InvokeAgentRuntimeResponse> answer = sdk.invoke(ACTIVE);
          assertThat(answer.response().statusCode()).isEqualTo(200);
          assertThat(readableAnalysis(answer.asUtf8String())).as(answer.asUtf8String()).isFalse();
          contentTypes.add(answer.response().contentType());
        }

        assertThat(contentTypes).contains("application/json", "text/html; charset=utf-8");
        assertThat(sim.stats().count(Outcome.MALFORMED_BODY)).isEqualTo(24);
      }
    }

    @Test
    void invoke_malformedEventStream_hasNoReadableFinalEvent() throws Exception {
      SimulatorConfig config =
          SimulatorConfig.builder()
              .responseShape(ResponseShape.EVENT_STREAM)
              .malformedRate(1)
              .build();
      try (AgentSimulator sim = AgentSimulator.start(config);
          Sdk sdk = Sdk.against(sim)) {
        for (int i = 0; i < 16; i++) {
          for (String data : sseData(sdk.invoke(ACTIVE).asUtf8String())) {
            assertThat(readableAnalysis(data)).as(data).isFalse();
          }
        }
      }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void invoke_poisonCustomer_alwaysFailsWhileOthersSucceed(Fault fault) throws Exception {
      try (AgentSimulator sim = AgentSimulator.start(c -> c.putPoisonCustomer("C-1001", fault));
          Sdk sdk = Sdk.against(sim)) {
        for (int i = 0; i < 3; i++) {
          assertFails(sdk, fault);
          assertThat(sdk.invoke(NEW).response().statusCode()).isEqualTo(200);
        }

        assertThat(sim.stats().count(Outcome.of(fault))).isEqualTo(3);
        assertThat(sim.stats().callsFor("C-1001")).isEqualTo(3);
        assertThat(sim.stats().count(Outcome.OK)).isEqualTo(3);
      }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void takeDown_everyCallFailsUntilBroughtUp(Fault fault) throws Exception {
      try (AgentSimulator sim = AgentSimulator.start();
          Sdk sdk = Sdk.against(sim)) {
        assertThat(sdk.invoke(ACTIVE).response().statusCode()).isEqualTo(200);

        sim.takeDown(fault);
        assertThat(sim.outage()).contains(fault);
        assertFails(sdk, fault);
        assertFails(sdk, fault);
        sim.bringUp();

        assertThat(sim.outage()).isEmpty();
        assertThat(sdk.invoke(ACTIVE).response().statusCode()).isEqualTo(200);
        assertThat(sim.stats().count(Outcome.OK)).isEqualTo(2);
        assertThat(sim.stats().count(Outcome.of(fault))).isEqualTo(2);
      }
    }
  }

  @Nested
  class CountersAndReproducibility {
    @Test
    void slowCalls_holdNoThread_hundredsInFlightOnTwoHandlerThreads() {
      SimulatorConfig config =
          SimulatorConfig.builder()
              .handlerThreads(2)
              .latency(Latency.fixed(Duration.ofMillis(1500)))
              .build();
      try (AgentSimulator sim = AgentSimulator.start(config);
          Sdk sdk = Sdk.against(sim)) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          calls.add(sdk.invokeAsync(sdk.request(ACTIVE, session(i))));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();

        SimulatorStats stats = sim.stats();
        assertThat(stats.maxInFlight()).isGreaterThanOrEqualTo(150);
        assertThat(stats.count(Outcome.OK)).isEqualTo(200);
        assertThat(stats.inFlight()).isZero();
        assertThat(stats.distinctSessions()).isEqualTo(200);
        assertThat(stats.liveSessions()).isEqualTo(200);
        assertThat(stats.callsFor("C-1001")).isEqualTo(200);
      }
    }

    @Test
    void sameSeed_sameOutcomesForTheSameCalls_otherSeedDiffers() {
      List<Outcome> first = outcomes(11);
      List<Outcome> again = outcomes(11);
      List<Outcome> other = outcomes(12);

      assertThat(again).isEqualTo(first);
      assertThat(other).isNotEqualTo(first);
      assertThat(first)
          .contains(
              Outcome.OK,
              Outcome.INTERNAL_ERROR,
              Outcome.AGENT_ERROR,
              Outcome.MALFORMED_BODY,
              Outcome.DROPPED_CONNECTION);
    }

    @Test
    void resetStats_zeroesCountersAndReplaysTheSameFaults() {
      try (AgentSimulator sim = AgentSimulator.start(c -> c.seed(5).internalErrorRate(0.5));
          Sdk sdk = Sdk.against(sim)) {
        List<Outcome> before = run(sim, sdk);
        sim.resetStats();

        assertThat(sim.stats().requests()).isZero();
        assertThat(sim.stats().callsPerCustomer()).isEmpty();
        assertThat(sim.stats().distinctSessions()).isZero();
        assertThat(run(sim, sdk)).isEqualTo(before);
        assertThat(sim.stats().requests()).isEqualTo(before.size());
      }
    }

    private List<Outcome> outcomes(long seed) {
      try (AgentSimulator sim =
              AgentSimulator.start(
                  c ->
                      c.seed(seed)
                          .internalErrorRate(0.15)
                          .agentErrorRate(0.15)
                          .malformedRate(0.15)
                          .dropRate(0.15));
          Sdk sdk = Sdk.against(sim)) {
        return run(sim, sdk);
      }
    }

    private List<Outcome> run(AgentSimulator sim, Sdk sdk) {
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String payload = i % 2 == 0 ? ACTIVE : NEW;
        long before = sim.stats().requests();
        try {
          String body = sdk.invoke(payload).asUtf8String();
          outcomes.add(readableAnalysis(body) ? Outcome.OK : Outcome.MALFORMED_BODY);
        } catch (CompletionException e) {
          Throwable cause = e.getCause();
          outcomes.add(
              cause instanceof InternalServerException
                  ? Outcome.INTERNAL_ERROR
                  : cause instanceof RuntimeClientErrorException
                      ? Outcome.AGENT_ERROR
                      : Outcome.DROPPED_CONNECTION);
        }
        assertThat(sim.stats().requests()).isEqualTo(before + 1);
      }
      return outcomes;
    }
  }

  private static void assertFails(Sdk sdk, Fault fault) throws Exception {
    switch (fault) {
      case INTERNAL_ERROR ->
          assertService(
              sdk.failure(sdk.request(ACTIVE, Sdk.SESSION)),
              InternalServerException.class,
              500,
              "InternalServerException");
      case AGENT_ERROR ->
          assertService(
              sdk.failure(sdk.request(ACTIVE, Sdk.SESSION)),
              RuntimeClientErrorException.class,
              424,
              "RuntimeClientError");
      case DROPPED_CONNECTION ->
          assertThat(sdk.failure(sdk.request(ACTIVE, Sdk.SESSION)))
              .isInstanceOf(SdkClientException.class)
              .hasRootCauseInstanceOf(IOException.class);
      case MALFORMED_BODY ->
          assertThat(readableAnalysis(sdk.invoke(ACTIVE).asUtf8String())).isFalse();
      default -> throw new AssertionError(fault);
    }
  }

  private static void assertService(
      Throwable failure,
      Class<? extends BedrockAgentCoreException> type,
      int status,
      String errorCode) {
    assertThat(failure).isInstanceOf(type);
    BedrockAgentCoreException e = (BedrockAgentCoreException) failure;
    assertThat(e.statusCode()).isEqualTo(status);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(errorCode);
    assertThat(e.awsErrorDetails().errorMessage()).isNotBlank();
    assertThat(e.requestId()).isNotBlank();
  }

  /** Whether {@code text} is JSON with an {@code analysis} object holding segment fields. */
  static boolean readableAnalysis(String text) {
    try {
      JsonNode node = Json.MAPPER.readTree(text);
      return node != null
          && node.path("analysis").isObject()
          && node.path("analysis").has("churnSegment");
    } catch (IOException e) {
      return false;
    }
  }

  static List<String> sseData(String body) {
    List<String> data = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      if (event.startsWith("data: ")) {
        data.add(event.substring("data: ".length()));
      }
    }
    return data;
  }

  static String session(int n) {
    return String.format("session-%029d", n);
  }
}
