package dev.opagent.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private static List<String> parseSplitAt(byte[] body, int... cuts) {
    SseParser p = new SseParser();
    int from = 0;
    for (int cut : cuts) {
      p.feed(ByteBuffer.wrap(Arrays.copyOfRange(body, from, cut)));
      from = cut;
    }
    p.feed(ByteBuffer.wrap(Arrays.copyOfRange(body, from, body.length)));
    return p.finish();
  }

  @Test
  void feed_splitAtEveryPossibleBoundary_yieldsSameEvents() {
    byte[] body =
        ("data: {\"analysis\":{\"churnSegment\":\"Ilık\"}}\n\n: comment\nevent: x\n"
                + "data: Kaşif\r\ndata: Gümüş\r\n\r\ndata:no-space\rdata\r\r")
            .getBytes(StandardCharsets.UTF_8);
    List<String> expected =
        List.of("{\"analysis\":{\"churnSegment\":\"Ilık\"}}", "Kaşif\nGümüş", "no-space\n");
    for (int a = 0; a <= body.length; a++) {
      for (int b = a; b <= body.length; b += 7) {
        assertThat(parseSplitAt(body, a, b)).as("cuts %d,%d", a, b).isEqualTo(expected);
      }
    }
  }

  @Test
  void feed_byteByByteWithMultiByteCharacters_decodesWholeCharacters() {
    byte[] body = "data: Altın Gümüş 🙂\n\n".getBytes(StandardCharsets.UTF_8);
    SseParser p = new SseParser();
    for (byte b : body) {
      p.feed(new byte[] {b});
    }
    assertThat(p.finish()).containsExactly("Altın Gümüş 🙂");
  }

  @Test
  void feed_crlfSplitBetweenChunks_endsLineOnce() {
    assertThat(
            parseSplitAt("data: a\r\n\r\ndata: b\r\n\r\n".getBytes(StandardCharsets.UTF_8), 8, 10))
        .containsExactly("a", "b");
  }

  @Test
  void feed_multiLineData_joinsWithNewline() {
    assertThat(
            parseSplitAt("data: {\ndata: \"a\": 1\ndata: }\n\n".getBytes(StandardCharsets.UTF_8)))
        .containsExactly("{\n\"a\": 1\n}");
  }

  @Test
  void finish_lastEventWithoutBlankLine_isStillDelivered() {
    assertThat(parseSplitAt("data: a\n\ndata: tail".getBytes(StandardCharsets.UTF_8)))
        .containsExactly("a", "tail");
  }

  @Test
  void events_beforeFinish_holdOnlyCompletedEvents() {
    SseParser p = new SseParser();
    p.feed("data: one\n\ndata: tw".getBytes(StandardCharsets.UTF_8));
    assertThat(p.events()).containsExactly("one");
    p.feed("o\n\n".getBytes(StandardCharsets.UTF_8));
    assertThat(p.events()).containsExactly("one", "two");
  }

  @Test
  void feed_commentsAndOtherFieldsOnly_yieldsNoEvents() {
    assertThat(
            parseSplitAt(": ping\nevent: x\nid: 3\nretry: 10\n\n".getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
  }
}
