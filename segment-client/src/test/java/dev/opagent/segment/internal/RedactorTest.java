package dev.opagent.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void excerpt_json_keepsMemberNamesAndMasksValues() {
    assertThat(
            Redactor.excerpt(
                "{\"customerId\":\"C-1001\",\"name\":\"Ayşe Yılmaz\",\"age\":32}", false))
        .isEqualTo("{\"customerId\":\"x-####\",\"name\":\"xxxx xxxxxx\",\"age\":##}");
  }

  @Test
  void excerpt_memberNamedByCustomerData_masksTheName() {
    assertThat(Redactor.excerpt("{\"Ayşe Yılmaz\":{\"churnSegment\":\"Riskli\"}}", false))
        .isEqualTo("{\"xxxx xxxxxx\":{\"churnSegment\":\"xxxxxx\"}}");
  }

  @Test
  void excerpt_prose_masksLettersAndDigits() {
    assertThat(Redactor.excerpt("  Customer C-1001 is Riskli.  ", false))
        .isEqualTo("xxxxxxxx x-#### xx xxxxxx.");
  }

  @Test
  void excerpt_longText_cutsAtLimitWithEllipsis() {
    String text = "a".repeat(Redactor.EXCERPT_CHARS + 20);
    assertThat(Redactor.excerpt(text, false)).isEqualTo("x".repeat(Redactor.EXCERPT_CHARS) + "…");
  }

  @Test
  void excerpt_reveal_showsRawStart() {
    assertThat(Redactor.excerpt("{\"name\":\"Ayşe\"}", true)).isEqualTo("{\"name\":\"Ayşe\"}");
  }

  @Test
  void excerpt_escapedQuotesAndUnterminatedString_masksEverythingInside() {
    assertThat(Redactor.excerpt("{\"k\":\"a\\\"b\",\"open\":\"Ayş", false))
        .isEqualTo("{\"x\":\"x\\\"x\",\"xxxx\":\"xxx");
  }

  @Test
  void excerpt_empty_isEmpty() {
    assertThat(Redactor.excerpt("   ", false)).isEmpty();
  }
}
