package dev.opagent.segment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static dev.opagent.segment.AgentWire.ANALYSIS;
import static dev.opagent.segment.AgentWire.ANSWER;
import static dev.opagent.segment.AgentWire.customer;
import static dev.opagent.segment.AgentWire.invocations;
import static dev.opagent.segment.AgentWire.invoke;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClient;

/** Every answer shape the agent may use, through the real AWS SDK client against WireMock. */
@WireMockTest
class ResponseShapesWireMockTest {
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

  private static SegmentAnalysis analyzeAnswer(
      WireMockRuntimeInfo wm,
      com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
    stubFor(invoke().willReturn(answer));
    try (SegmentClient client = AgentWire.client(sdk)) {
      return client.analyze(customer("C-1001"));
    }
  }

  private static void assertSeedAnalysis(SegmentAnalysis a) {
    assertThat(a.churnSegment()).isEqualTo(ChurnSegment.AT_RISK);
    assertThat(a.loyaltyTier()).isEqualTo(LoyaltyTier.GOLD);
    assertThat(a.valueSegment()).isEqualTo(ValueSegment.HIGH_VALUE);
    assertThat(a.diversityProfile()).isEqualTo(DiversityProfile.EXPLORER);
    assertThat(a.affinityType()).isEqualTo(AffinityType.TREND_FOLLOWER);
    assertThat(a.ageSegment()).isEqualTo(AgeSegment.AGE_25_34);
    assertThat(a.missingRegulars())
        .singleElement()
        .satisfies(m -> assertThat(m.daysOverdue()).isEqualTo(24));
  }

  @Test
  void analyze_jsonWithTopLevelAnalysisObject_returnsAnalysis(WireMockRuntimeInfo wm) {
    assertSeedAnalysis(analyzeAnswer(wm, okJson(ANSWER)));
    assertThat(invocations()).isEqualTo(1);
  }

  @Test
  void analyze_jsonObjectWithSegmentFieldsAtTopLevel_returnsAnalysis(WireMockRuntimeInfo wm) {
    assertSeedAnalysis(analyzeAnswer(wm, okJson(ANALYSIS)));
  }

  @Test
  void analyze_answerWithExtraMembers_preservesThem(WireMockRuntimeInfo wm) {
    SegmentAnalysis a =
        analyzeAnswer(
            wm,
            okJson(
                "{\"analysis\":{\"churnSegment\":\"Yeni\",\"confidence\":0.93,\"notes\":{\"k\":[1,2]}}}"));
    assertThat(a.churnSegment()).isEqualTo(ChurnSegment.NEW);
    assertThat(a.extra()).containsOnlyKeys("confidence", "notes");
    assertThat(a.extra().get("confidence").decimalValue()).isEqualByComparingTo("0.93");
    assertThat(a.toJson()).contains("\"notes\":{\"k\":[1,2]}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"result", "output", "response", "message", "content"})
  void analyze_stringMemberHoldingJson_returnsAnalysis(String member, WireMockRuntimeInfo wm) {
    String text = "Here is the analysis:\n```json\n" + ANSWER + "\n```\nDone.";
    assertSeedAnalysis(
        analyzeAnswer(wm, okJson("{\"" + member + "\":" + new TextNode(text) + "}")));
  }

  @Test
  void analyze_stringMemberHoldingBareSegmentObject_returnsAnalysis(WireMockRuntimeInfo wm) {
    assertSeedAnalysis(analyzeAnswer(wm, okJson("{\"output\":" + new TextNode(ANALYSIS) + "}")));
  }

  @Test
  void analyze_plainTextWithFencedJson_returnsAnalysis(WireMockRuntimeInfo wm) {
    assertSeedAnalysis(
        analyzeAnswer(
            wm,
            aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/plain; charset=utf-8")
                .withBody("Sure! The segments are below.\n```json\n" + ANSWER + "\n```\n")));
  }

  @Test
  void analyze_plainTextWithBareJsonInProse_returnsAnalysis(WireMockRuntimeInfo wm) {
    assertSeedAnalysis(
        analyzeAnswer(
            wm,
            aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/plain")
                .withBody("Analysis complete: " + ANALYSIS + " (generated)")));
  }

  @Test
  void analyze_eventStreamWithAnalysisEvent_returnsLastAnalysisEvent(WireMockRuntimeInfo wm) {
    String sse =
        "data: {\"type\":\"progress\",\"text\":\"thinking\"}\n\n"
            + "data: {\"analysis\":{\"churnSegment\":\"Aktif\"}}\n\n"
            + "data: {\"type\":\"status\"}\n\n"
            + "data: "
            + ANSWER
            + "\n\n"
            + "data: {\"type\":\"done\"}\n\n";
    assertSeedAnalysis(
        analyzeAnswer(
            wm,
            aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withBody(sse)));
  }

  @Test
  void analyze_eventStreamOfStringTokens_concatenatesThem(WireMockRuntimeInfo wm) {
    StringBuilder sse = new StringBuilder();
    String text = "```json\n" + ANSWER + "\n```";
    for (int i = 0; i < text.length(); i += 7) {
      String piece = text.substring(i, Math.min(text.length(), i + 7));
      sse.append("data: ").append(new TextNode(piece)).append("\n\n");
    }
    assertSeedAnalysis(
        analyzeAnswer(
            wm,
            aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withBody(sse.toString())));
  }

  /**
   * Regression: a raw text chunk such as {@code ":"Riskli",} parsed as the JSON string {@code ":"}
   * because trailing text was ignored, so the concatenated stream lost characters.
   */
  @Test
  void analyze_eventStreamOfRawTextChunksThatStartLikeJson_concatenatesThemVerbatim(
      WireMockRuntimeInfo wm) {
    StringBuilder sse = new StringBuilder(": keep-alive\r\n\r\n");
    for (int i = 0; i < ANSWER.length(); i += 11) {
      sse.append("data: ").append(ANSWER, i, Math.min(ANSWER.length(), i + 11)).append("\r\n\r\n");
    }
    assertSeedAnalysis(
        analyzeAnswer(
            wm,
            aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withBody(sse.toString())));
  }

  @Test
  void analyze_eventStreamDribbledInChunks_reassemblesEvents(WireMockRuntimeInfo wm) {
    String sse = "event: message\ndata: {\"text\":\"Ilık müşteri\"}\n\ndata: " + ANSWER + "\n\n";
    assertSeedAnalysis(
        analyzeAnswer(
            wm,
            aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withBody(sse)
                .withChunkedDribbleDelay(40, 200)));
  }

  @Test
  void analyze_answerWithoutAnalysis_failsMalformedAfterOneRetry(WireMockRuntimeInfo wm) {
    stubFor(invoke().willReturn(okJson("{\"status\":\"ok\",\"items\":[]}")));
    try (SegmentClient client = AgentWire.client(sdk)) {
      assertThatThrownBy(() -> client.analyze(customer("C-1001")))
          .isInstanceOfSatisfying(
              MalformedResponseException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_RESPONSE);
                assertThat(e.attempts()).isEqualTo(2);
                assertThat(e.getMessage()).contains("\"status\":\"xx\"");
              });
    }
    assertThat(invocations()).isEqualTo(2);
  }

  @Test
  void analyze_malformedWithRetriesOff_sendsOnce(WireMockRuntimeInfo wm) {
    stubFor(invoke().willReturn(okJson("[]")));
    try (SegmentClient client = AgentWire.client(sdk, b -> b.malformedResponseRetries(0))) {
      assertThatThrownBy(() -> client.analyze(customer("C-1001")))
          .isInstanceOf(MalformedResponseException.class);
    }
    assertThat(invocations()).isEqualTo(1);
  }

  @Test
  void analyze_emptyBody_failsMalformed(WireMockRuntimeInfo wm) {
    stubFor(
        invoke()
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("")));
    try (SegmentClient client = AgentWire.client(sdk, b -> b.malformedResponseRetries(0))) {
      assertThatThrownBy(() -> client.analyze(customer("C-1001")))
          .isInstanceOf(MalformedResponseException.class)
          .hasMessageContaining("empty");
    }
  }

  @Test
  void analyze_eventStreamWithoutAnalysis_failsMalformed(WireMockRuntimeInfo wm) {
    stubFor(
        invoke()
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody("data: hello\n\ndata: world\n\n")));
    try (SegmentClient client = AgentWire.client(sdk, b -> b.malformedResponseRetries(0))) {
      assertThatThrownBy(() -> client.analyze(customer("C-1001")))
          .isInstanceOf(MalformedResponseException.class)
          .hasMessageContaining("xxxxx");
    }
  }

  @Test
  void analyze_malformedThenValid_succeedsOnRetry(WireMockRuntimeInfo wm) {
    stubFor(
        invoke()
            .inScenario("flaky")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willReturn(okJson("{\"result\":\"I could not decide\"}"))
            .willSetStateTo("fixed"));
    stubFor(invoke().inScenario("flaky").whenScenarioStateIs("fixed").willReturn(okJson(ANSWER)));
    try (SegmentClient client =
        AgentWire.client(sdk, b -> b.attemptTimeout(Duration.ofSeconds(10)))) {
      SegmentOutcome.Success s = client.analyzeDetailed(customer("C-1001"), false);
      assertSeedAnalysis(s.analysis());
      assertThat(s.attempts()).isEqualTo(2);
      assertThat(s.source()).isEqualTo(Source.AGENT);
    }
  }
}
