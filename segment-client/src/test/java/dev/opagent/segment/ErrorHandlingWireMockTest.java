package dev.opagent.segment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static dev.opagent.segment.AgentWire.ANSWER;
import static dev.opagent.segment.AgentWire.customer;
import static dev.opagent.segment.AgentWire.error;
import static dev.opagent.segment.AgentWire.invocations;
import static dev.opagent.segment.AgentWire.invoke;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClient;

/**
 * Every error status of the agent's wire mapped to its code and retried (or not) as specified,
 * counting the requests WireMock received. The circuit breaker is off so that only the retry policy
 * decides.
 */
@WireMockTest
class ErrorHandlingWireMockTest {
  private static BedrockAgentCoreAsyncClient sdk;

  @BeforeAll
  static void startSdk(WireMockRuntimeInfo wm) {
    sdk = AgentWire.sdk(wm);
  }

  @AfterAll
  static void closeSdk() {
    sdk.close();
  }

  @BeforeEach
  void resetWire() {
    WireMock.reset();
  }

  private static SegmentException failure(
      WireMockRuntimeInfo wm, java.util.function.Consumer<SegmentClientBuilder> options) {
    try (SegmentClient client =
        AgentWire.client(
            sdk,
            b -> {
              b.disableCircuitBreaker();
              options.accept(b);
            })) {
      Throwable t =
          org.assertj.core.api.Assertions.catchThrowable(() -> client.analyze(customer("C-1001")));
      assertThat(t).isInstanceOf(SegmentException.class);
      return (SegmentException) t;
    }
  }

  @ParameterizedTest(name = "{0} {1} -> {2} after {3} requests")
  @CsvSource({
    "429, ThrottlingException,           THROTTLED,         4",
    "500, InternalServerException,       AGENT_UNAVAILABLE, 4",
    "503, ServiceUnavailableException,   AGENT_UNAVAILABLE, 4",
    "424, RuntimeClientError,            AGENT_ERROR,       2",
    "400, ValidationException,           INVALID_INPUT,     1",
    "403, AccessDeniedException,         ACCESS_DENIED,     1",
    "404, ResourceNotFoundException,     NOT_FOUND,         1",
    "402, ServiceQuotaExceededException, QUOTA_EXCEEDED,    1",
  })
  void analyze_errorStatus_mapsCodeAndRetriesAsSpecified(
      int status, String type, ErrorCode code, int requests, WireMockRuntimeInfo wm) {
    stubFor(invoke().willReturn(error(status, type)));
    SegmentException e = failure(wm, b -> {});
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.statusCode()).isEqualTo(status);
    assertThat(e.attempts()).isEqualTo(requests);
    assertThat(e.retryable()).isEqualTo(code.retryable());
    assertThat(invocations()).as("requests sent").isEqualTo(requests);
  }

  @Test
  void analyze_configurationErrors_explainWhatToFix(WireMockRuntimeInfo wm) {
    stubFor(invoke().willReturn(error(403, "AccessDeniedException")));
    assertThat(failure(wm, b -> {}).getMessage())
        .contains("403", "AccessDeniedException", "bedrock-agentcore:InvokeAgentRuntime");
  }

  @Test
  void analyze_maxAttemptsConfigured_boundsRetriesOfThrottling(WireMockRuntimeInfo wm) {
    stubFor(invoke().willReturn(error(429, "ThrottlingException")));
    assertThat(failure(wm, b -> b.maxAttempts(2)).attempts()).isEqualTo(2);
    assertThat(invocations()).isEqualTo(2);
  }

  @Test
  void analyze_singleAttempt_sdkDoesNotRetryOnItsOwn(WireMockRuntimeInfo wm) {
    stubFor(invoke().willReturn(error(500, "InternalServerException")));
    failure(wm, b -> b.maxAttempts(1));
    assertThat(invocations()).isEqualTo(1);
  }

  @Test
  void analyze_agentErrorRetriesOff_sendsOnce(WireMockRuntimeInfo wm) {
    stubFor(invoke().willReturn(error(424, "RuntimeClientError")));
    assertThat(failure(wm, b -> b.agentErrorRetries(0)).code()).isEqualTo(ErrorCode.AGENT_ERROR);
    assertThat(invocations()).isEqualTo(1);
  }

  @Test
  void analyze_agentErrorRetriesRaised_stillBoundedByMaxAttempts(WireMockRuntimeInfo wm) {
    stubFor(invoke().willReturn(error(424, "RuntimeClientError")));
    failure(wm, b -> b.agentErrorRetries(10));
    assertThat(invocations()).isEqualTo(4);
  }

  @Test
  void analyze_agentErrorWithoutTypeHeader_mapsByStatus(WireMockRuntimeInfo wm) {
    stubFor(invoke().willReturn(aResponse().withStatus(424).withBody("{}")));
    assertThat(failure(wm, b -> {}).code()).isEqualTo(ErrorCode.AGENT_ERROR);
  }

  @Test
  void analyze_failsTwiceThenSucceeds_returnsAnswerAfterThreeRequests(WireMockRuntimeInfo wm) {
    stubFor(
        invoke()
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(error(429, "ThrottlingException"))
            .willSetStateTo("second"));
    stubFor(
        invoke()
            .inScenario("flaky")
            .whenScenarioStateIs("second")
            .willReturn(error(500, "InternalServerException"))
            .willSetStateTo("ok"));
    stubFor(invoke().inScenario("flaky").whenScenarioStateIs("ok").willReturn(okJson(ANSWER)));
    List<String> retries = new CopyOnWriteArrayList<>();
    try (SegmentClient client =
        AgentWire.client(
            sdk,
            b ->
                b.addListener(
                    new SegmentClientListener() {
                      @Override
                      public void onRetry(ErrorCode code, int nextAttempt, Duration delay) {
                        retries.add(code + "->" + nextAttempt);
                        assertThat(delay).isBetween(Duration.ZERO, Duration.ofMillis(50));
                      }
                    }))) {
      SegmentOutcome.Success s = client.analyzeDetailed(customer("C-1001"), false);
      assertThat(s.attempts()).isEqualTo(3);
      assertThat(client.stats().retries()).isEqualTo(2);
      assertThat(client.stats().throttled()).isEqualTo(1);
    }
    assertThat(invocations()).isEqualTo(3);
    assertThat(retries).containsExactly("THROTTLED->2", "AGENT_UNAVAILABLE->3");
  }

  @ParameterizedTest
  @CsvSource({"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "RANDOM_DATA_THEN_CLOSE"})
  void analyze_brokenConnection_retriedAsUnavailable(Fault fault, WireMockRuntimeInfo wm) {
    stubFor(invoke().willReturn(aResponse().withFault(fault)));
    SegmentException e = failure(wm, b -> {});
    assertThat(e.code()).isEqualTo(ErrorCode.AGENT_UNAVAILABLE);
    assertThat(invocations()).isEqualTo(4);
  }

  @Test
  void analyze_resetThenAnswer_recovers(WireMockRuntimeInfo wm) {
    stubFor(
        invoke()
            .inScenario("reset")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
            .willSetStateTo("ok"));
    stubFor(invoke().inScenario("reset").whenScenarioStateIs("ok").willReturn(okJson(ANSWER)));
    try (SegmentClient client = AgentWire.client(sdk)) {
      assertThat(client.analyzeDetailed(customer("C-1001"), false).attempts()).isEqualTo(2);
    }
  }

  @Test
  void analyze_agentSlowerThanAttemptTimeout_failsTimeoutAfterMaxAttempts(WireMockRuntimeInfo wm) {
    stubFor(invoke().willReturn(okJson(ANSWER).withFixedDelay(3_000)));
    SegmentException e = failure(wm, b -> b.attemptTimeout(Duration.ofMillis(150)).maxAttempts(2));
    assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(e.getMessage()).contains("attemptTimeout");
    assertThat(e.attempts()).isEqualTo(2);
    assertThat(invocations()).isEqualTo(2);
  }

  @Test
  void analyze_slowFirstAnswerThenFast_retriesTimeoutAndSucceeds(WireMockRuntimeInfo wm) {
    stubFor(
        invoke()
            .inScenario("slow")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(okJson(ANSWER).withFixedDelay(6_000))
            .willSetStateTo("fast"));
    stubFor(invoke().inScenario("slow").whenScenarioStateIs("fast").willReturn(okJson(ANSWER)));
    try (SegmentClient client =
        AgentWire.client(sdk, b -> b.attemptTimeout(Duration.ofMillis(1_500)))) {
      SegmentOutcome.Success s = client.analyzeDetailed(customer("C-1001"), false);
      assertThat(s.attempts()).isEqualTo(2);
    }
  }

  @Test
  void analyze_timedOutAttempt_stopsItsSessionInsteadOfReusingIt(WireMockRuntimeInfo wm) {
    stubFor(
        invoke()
            .inScenario("slow")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(okJson(ANSWER).withFixedDelay(6_000))
            .willSetStateTo("fast"));
    stubFor(invoke().inScenario("slow").whenScenarioStateIs("fast").willReturn(okJson(ANSWER)));
    stubFor(AgentWire.stop().willReturn(okJson("{}")));
    try (SegmentClient client =
        AgentWire.client(sdk, b -> b.attemptTimeout(Duration.ofMillis(1_500)))) {
      client.analyze(customer("C-TIMED-OUT"));
      List<String> sessions = AgentWire.invocationSessionsFor("C-TIMED-OUT");
      assertThat(sessions).hasSize(2);
      assertThat(sessions.get(0)).isNotEqualTo(sessions.get(1));
      Await.until(
          Duration.ofSeconds(10), () -> AgentWire.stoppedSessions().contains(sessions.get(0)));
    }
  }
}
