package dev.opagent.segment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static dev.opagent.segment.AgentWire.customer;
import static dev.opagent.segment.AgentWire.error;
import static dev.opagent.segment.AgentWire.invocations;
import static dev.opagent.segment.AgentWire.invoke;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClient;

/** The circuit breaker: opens while the agent is down, fails fast, probes and closes again. */
@WireMockTest
class CircuitBreakerWireMockTest {
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

  @Test
  void analyze_agentDown_opensCircuitFailsFastThenRecovers() {
    stubFor(invoke().willReturn(error(500, "InternalServerException")));
    List<Boolean> transitions = new CopyOnWriteArrayList<>();
    try (SegmentClient client =
        AgentWire.client(
            sdk,
            b ->
                b.maxAttempts(1)
                    .circuitBreaker(3, 4, Duration.ofMillis(200))
                    .addListener(
                        new SegmentClientListener() {
                          @Override
                          public void onCircuitStateChange(boolean open) {
                            transitions.add(open);
                          }
                        }))) {
      for (int i = 0; i < 3; i++) {
        SegmentException e =
            catchThrowableOfType(
                SegmentException.class, () -> client.analyze(customer("C-" + System.nanoTime())));
        assertThat(e.code()).isEqualTo(ErrorCode.AGENT_UNAVAILABLE);
      }
      assertThat(transitions).containsExactly(true);
      int sent = invocations();
      SegmentException fast =
          catchThrowableOfType(SegmentException.class, () -> client.analyze(customer("C-fast")));
      assertThat(fast.code()).isEqualTo(ErrorCode.CIRCUIT_OPEN);
      assertThat(fast.attempts()).isZero();
      assertThat(invocations()).as("no request while open").isEqualTo(sent);

      stubFor(invoke().willReturn(okJson(AgentWire.ANSWER)));
      Await.until(
          Duration.ofSeconds(5),
          () -> {
            try {
              client.analyzeDetailed(customer("C-probe"), true);
              return true;
            } catch (SegmentException e) {
              assertThat(e.code()).isEqualTo(ErrorCode.CIRCUIT_OPEN);
              return false;
            }
          });
      for (int i = 0; i < 4; i++) {
        client.analyzeDetailed(customer("C-probe"), true);
      }
      assertThat(transitions).containsExactly(true, false);
    }
  }

  @Test
  void analyze_throttlingAndClientErrors_doNotOpenCircuit() {
    stubFor(invoke().willReturn(error(429, "ThrottlingException")));
    try (SegmentClient client =
        AgentWire.client(sdk, b -> b.maxAttempts(1).circuitBreaker(2, 2, Duration.ofSeconds(30)))) {
      for (int i = 0; i < 4; i++) {
        assertThat(
                catchThrowableOfType(SegmentException.class, () -> client.analyze(customer("C-1")))
                    .code())
            .isEqualTo(ErrorCode.THROTTLED);
      }
      stubFor(invoke().willReturn(error(404, "ResourceNotFoundException")));
      for (int i = 0; i < 3; i++) {
        assertThat(
                catchThrowableOfType(SegmentException.class, () -> client.analyze(customer("C-1")))
                    .code())
            .isEqualTo(ErrorCode.NOT_FOUND);
      }
    }
    assertThat(invocations()).isEqualTo(7);
  }

  @Test
  void analyze_circuitOpenWithFallback_answersLocally() {
    stubFor(invoke().willReturn(error(500, "InternalServerException")));
    SegmentAnalysis local =
        new SegmentAnalysis(null, ChurnSegment.ACTIVE, null, null, null, null, List.of());
    try (SegmentClient client =
        AgentWire.client(
            sdk,
            b ->
                b.maxAttempts(1)
                    .circuitBreaker(1, 1, Duration.ofSeconds(30))
                    .fallback(d -> local))) {
      assertThat(client.analyzeDetailed(customer("C-1"), true).source()).isEqualTo(Source.FALLBACK);
      int sent = invocations();
      SegmentOutcome.Success s = client.analyzeDetailed(customer("C-2"), true);
      assertThat(s.source()).isEqualTo(Source.FALLBACK);
      assertThat(s.analysis().churnSegment()).isEqualTo(ChurnSegment.ACTIVE);
      assertThat(invocations()).isEqualTo(sent);
    }
  }

  /**
   * Kept-alive connections closed or reset by the server while a request is on them (a server's
   * idle-connection limit, a load balancer's keep-alive timeout) are retried and never open the
   * circuit: two of every three requests here lose their connection, which with attempts counted as
   * outages opened a 3-of-4 circuit within a few customers.
   */
  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE"})
  void analyze_connectionsLostUnderRequests_retriedWithoutOpeningCircuit(Fault fault) {
    stubFor(
        invoke()
            .inScenario("lost")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withFault(fault))
            .willSetStateTo("again"));
    stubFor(
        invoke()
            .inScenario("lost")
            .whenScenarioStateIs("again")
            .willReturn(aResponse().withFault(fault))
            .willSetStateTo("ok"));
    stubFor(
        invoke()
            .inScenario("lost")
            .whenScenarioStateIs("ok")
            .willReturn(okJson(AgentWire.ANSWER))
            .willSetStateTo(Scenario.STARTED));
    List<Boolean> transitions = new CopyOnWriteArrayList<>();
    try (SegmentClient client =
        AgentWire.client(
            sdk,
            b ->
                b.circuitBreaker(3, 4, Duration.ofSeconds(30))
                    .addListener(
                        new SegmentClientListener() {
                          @Override
                          public void onCircuitStateChange(boolean open) {
                            transitions.add(open);
                          }
                        }))) {
      for (int i = 0; i < 12; i++) {
        SegmentOutcome.Success s = client.analyzeDetailed(customer("C-" + i), true);
        assertThat(s.source()).isEqualTo(Source.AGENT);
        assertThat(s.attempts()).isEqualTo(3);
      }
      assertThat(client.stats().retries()).isEqualTo(24);
    }
    assertThat(transitions).as("circuit transitions").isEmpty();
    assertThat(invocations()).isEqualTo(36);
  }

  /** A refused connection is an outage: the agent is not there at all. */
  @Test
  void analyze_connectionRefused_opensCircuit() throws Exception {
    // A bound socket that never listens keeps the port from other processes and refuses
    // connections.
    try (java.net.Socket reserved = new java.net.Socket();
        SegmentClient client =
            SegmentClient.builder()
                .agentRuntimeArn(AgentWire.ARN)
                .endpointOverride(java.net.URI.create("http://127.0.0.1:" + reserve(reserved)))
                .region(software.amazon.awssdk.regions.Region.US_WEST_2)
                .credentialsProvider(
                    software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                            "a", "b")))
                .maxAttempts(1)
                .circuitBreaker(2, 2, Duration.ofSeconds(30))
                .build()) {
      for (int i = 0; i < 2; i++) {
        assertThat(
                catchThrowableOfType(SegmentException.class, () -> client.analyze(customer("C-1")))
                    .code())
            // The SDK's connection pool now and then leaves the acquire after a refused connect
            // pending until its acquisition timeout; the attempt's deadline ends it first.
            .isIn(ErrorCode.AGENT_UNAVAILABLE, ErrorCode.TIMEOUT);
      }
      assertThat(
              catchThrowableOfType(SegmentException.class, () -> client.analyze(customer("C-1")))
                  .code())
          .isEqualTo(ErrorCode.CIRCUIT_OPEN);
    }
  }

  private static int reserve(java.net.Socket socket) throws java.io.IOException {
    socket.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
    return socket.getLocalPort();
  }
}
