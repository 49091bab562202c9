package dev.opagent.segment;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static dev.opagent.segment.AgentWire.customer;
import static dev.opagent.segment.AgentWire.error;
import static dev.opagent.segment.AgentWire.invocations;
import static dev.opagent.segment.AgentWire.invoke;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
}
