package dev.opagent.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.segment.spi.AgentResponse;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Examples and properties of the extractor of untrusted agent answers. */
class AnalysisExtractorTest {
  private static final String ANALYSIS = "{\"churnSegment\":\"Riskli\",\"loyaltyTier\":\"Altın\"}";

  private static SegmentAnalysis json(String body) {
    return AnalysisExtractor.extract(AgentResponse.of("application/json", body, "req-1"), false);
  }

  private static SegmentAnalysis sse(List<String> events) {
    return AnalysisExtractor.extract(
        new AgentResponse("text/event-stream", "", events, null), false);
  }

  @Test
  void extract_analysisAsJsonString_readsIt() {
    assertThat(
            json("{\"analysis\":"
                    + new com.fasterxml.jackson.databind.node.TextNode(ANALYSIS)
                    + "}")
                .churnSegment())
        .isEqualTo(ChurnSegment.AT_RISK);
  }

  @Test
  void extract_nestedOutputObject_readsIt() {
    assertThat(json("{\"output\":{\"message\":{\"analysis\":" + ANALYSIS + "}}}").churnSegment())
        .isEqualTo(ChurnSegment.AT_RISK);
  }

  @Test
  void extract_eventStreamWithEarlierAnalysisOnly_usesLastEventThatHasOne() {
    assertThat(
            sse(List.of(
                    "{\"analysis\":{\"churnSegment\":\"Aktif\"}}",
                    "{\"analysis\":{\"churnSegment\":\"Kayıp\"}}",
                    "{\"done\":true}"))
                .churnSegment())
        .isEqualTo(ChurnSegment.LOST);
  }

  @Test
  void extract_eventsWithTextDeltas_concatenatesThem() {
    assertThat(
            sse(List.of("{\"delta\":\"{\\\"churnSegment\\\":\"}", "{\"delta\":\"\\\"Yeni\\\"}\"}"))
                .churnSegment())
        .isEqualTo(ChurnSegment.NEW);
  }

  /** Regression: a raw chunk that merely starts like JSON was read as a (shorter) JSON value. */
  @Test
  void extract_rawChunksStartingLikeJson_keepsThemVerbatim() {
    assertThat(sse(List.of("{\"churnSegment\"", ":\"Riskli\"", "}")).churnSegment())
        .isEqualTo(ChurnSegment.AT_RISK);
  }

  @Test
  void extract_unknownLabel_isCarriedThrough() {
    SegmentAnalysis a = json("{\"analysis\":{\"churnSegment\":\"Uyuyan\"}}");
    assertThat(a.churnSegment().wireValue()).isEqualTo("Uyuyan");
    assertThat(a.churnSegment().isKnown()).isFalse();
  }

  @Test
  void extract_wrongTypes_failsMalformedWithRequestId() {
    assertThatThrownBy(() -> json("{\"analysis\":{\"churnSegment\":{\"x\":1}}}"))
        .isInstanceOfSatisfying(
            MalformedResponseException.class, e -> assertThat(e.requestId()).isEqualTo("req-1"));
  }

  @Test
  void extract_deeplyNestedJson_failsMalformed() {
    String deep = "{\"result\":".repeat(2_000) + "1" + "}".repeat(2_000);
    assertThatThrownBy(() -> json(deep)).isInstanceOf(MalformedResponseException.class);
  }

  // ------------------------------------------------------------------ properties

  /** Either an analysis or the typed error: nothing else ever escapes. */
  private static void extractsOrFailsTyped(AgentResponse response) {
    try {
      assertThat(AnalysisExtractor.extract(response, false)).isNotNull();
    } catch (MalformedResponseException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 400)
  void extract_anyText_returnsAnalysisOrMalformed(
      @ForAll String body, @ForAll boolean eventStream) {
    extractsOrFailsTyped(
        AgentResponse.of(eventStream ? "text/event-stream" : "application/json", body, null));
  }

  @Property(tries = 300)
  void extract_anyBytesAsUtf8_returnsAnalysisOrMalformed(
      @ForAll byte[] bytes, @ForAll boolean eventStream) {
    String body = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    extractsOrFailsTyped(
        AgentResponse.of(eventStream ? "text/event-stream" : "text/plain", body, null));
  }

  @Property(tries = 600)
  void extract_jsonIshText_returnsAnalysisOrMalformed(
      @ForAll("jsonIsh") String body, @ForAll boolean eventStream) {
    extractsOrFailsTyped(
        AgentResponse.of(eventStream ? "text/event-stream" : "application/json", body, null));
  }

  @Property(tries = 300)
  void extract_anyEvents_returnsAnalysisOrMalformed(@ForAll("events") List<String> events) {
    extractsOrFailsTyped(
        new AgentResponse("text/event-stream", String.join("\n", events), events, null));
  }

  @Property(tries = 200)
  void extract_validAnswerInAnyWrapper_findsTheAnalysis(@ForAll("wrapped") String body) {
    assertThat(json(body).churnSegment()).isEqualTo(ChurnSegment.AT_RISK);
  }

  @Provide
  Arbitrary<String> jsonIsh() {
    Arbitrary<String> tokens =
        Arbitraries.of(
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            "\"",
            "\\",
            "```",
            "```json\n",
            "\"analysis\"",
            "\"churnSegment\"",
            "\"missingRegulars\"",
            "\"result\"",
            "\"content\"",
            "\"Riskli\"",
            "null",
            "true",
            "1e999999",
            "-0.0",
            "123456789012345678901",
            "\"lastPurchase\"",
            "\"2026-13-45T99:99\"",
            "data: ",
            "\n",
            "\r\n",
            "\n\n",
            "ı",
            "🙂",
            "\u0000",
            " ");
    return tokens.list().ofMaxSize(60).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<List<String>> events() {
    return Arbitraries.oneOf(jsonIsh(), Arbitraries.strings().ofMaxLength(40)).list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<String> wrapped() {
    Arbitrary<String> prose =
        Arbitraries.strings().alpha().numeric().withChars(' ', '.', '\n').ofMaxLength(30);
    Arbitrary<String> member = Arbitraries.of("result", "output", "response", "message", "content");
    return Combinators.combine(prose, prose, member, Arbitraries.of(0, 1, 2, 3))
        .as(
            (before, after, m, shape) -> {
              String answer = "{\"analysis\":" + ANALYSIS + "}";
              String text = before + "\n```json\n" + answer + "\n```\n" + after;
              return switch (shape) {
                case 0 -> answer;
                case 1 -> ANALYSIS;
                case 2 ->
                    "{\""
                        + m
                        + "\":"
                        + new com.fasterxml.jackson.databind.node.TextNode(text)
                        + "}";
                default -> text;
              };
            });
  }
}
