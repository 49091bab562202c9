package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionType;
import java.math.BigDecimal;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InteractionLinesTest {
  /** jqwik's notes about edge cases go to java.util.logging; tests print only failures. */
  private static final java.util.logging.Logger JQWIK = Quiet.jqwik();

  private static final Instant AT = Instant.parse("2026-03-15T10:00:00Z");

  @Test
  void parse_keyedOpen_readsEveryField() {
    Interaction i =
        InteractionLines.parse(
            "{\"type\": \"opened\", \"customerId\": \"C-1001\","
                + " \"campaign\": \"winback\", \"at\": \"2026-03-15T10:00:00Z\", \"idempotencyKey\":"
                + " \"ik-1\", \"source\": \"esp\"}",
            1);

    assertThat(i)
        .isEqualTo(new Interaction("ik-1", "C-1001", "winback", InteractionType.OPENED, AT, null));
  }

  @Test
  void parse_conversionWithRevenue_keepsTheDecimalExactly() {
    Interaction i =
        InteractionLines.parse(
            "{\"type\": \"conversion\", \"customerId\": \"C-1\","
                + " \"campaign\": \"winback\", \"at\": \"2026-03-15T13:00:00+03:00\", \"revenue\":"
                + " 249.90}",
            1);

    assertThat(i.type()).isEqualTo(InteractionType.CONVERTED);
    assertThat(i.at()).isEqualTo(AT);
    assertThat(i.revenue()).isEqualTo(new BigDecimal("249.90"));
    assertThat(i.idempotencyKey()).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "delivered, DELIVERED",
    "open, OPENED",
    "OPENED, OPENED",
    "email_open, OPENED",
    "click, CLICKED",
    "sms_click, CLICKED",
    "clicked, CLICKED",
    "coupon_used, COUPON_USED",
    "coupon_use, COUPON_USED",
    "conversion, CONVERTED",
    "converted, CONVERTED"
  })
  void parse_typeSpellings_mapToTheType(String spelling, InteractionType type) {
    assertThat(
            InteractionLines.parse(
                    "{\"type\": \""
                        + spelling
                        + "\", \"customerId\": \"C-1\","
                        + " \"campaign\": \"winback\", \"at\": \"2026-03-15T10:00:00Z\"}",
                    1)
                .type())
        .isEqualTo(type);
  }

  @Test
  void parse_theSeedsSpelling_isAccepted() {
    Interaction click =
        InteractionLines.parse(
            "{\"user_id\": \"C-1\", \"action_id\": \"ik-9\","
                + " \"interaction_type\": \"email_click\", \"timestamp\": \"2026-03-15T10:00:00Z\","
                + " \"conversion\": false, \"campaign\": \"winback\"}",
            1);
    Interaction order =
        InteractionLines.parse(
            "{\"user_id\": \"C-1\", \"action_id\": \"ik-9\","
                + " \"timestamp\": \"2026-03-15T10:00:00Z\", \"conversion\": true, \"campaign\":"
                + " \"winback\"}",
            2);

    assertThat(click)
        .isEqualTo(new Interaction("ik-9", "C-1", "winback", InteractionType.CLICKED, AT, null));
    assertThat(order.type()).isEqualTo(InteractionType.CONVERTED);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\": \"opened\", \"campaign\": \"winback\", \"at\": \"2026-03-15T10:00:00Z\"}"
            + "| line 4: field customerId is missing",
        "{\"type\": \"opened\", \"customerId\": \"C-SECRET\", \"at\": \"2026-03-15T10:00:00Z\"}"
            + "| line 4: field campaign is missing",
        "{\"type\": \"opened\", \"customerId\": \"C-SECRET\", \"campaign\": \"w\", \"at\": "
            + "\"yesterday\"}| line 4: field at must be an ISO-8601 instant",
        "{\"type\": \"opened\", \"customerId\": \"C-SECRET\", \"campaign\": \"w\", \"at\": "
            + "1773568800}| line 4: field at must be an ISO-8601 instant",
        "{\"type\": \"bounced\", \"customerId\": \"C-SECRET\", \"campaign\": \"w\", \"at\": "
            + "\"2026-03-15T10:00:00Z\"}| line 4: field type must be delivered, opened",
        "{\"customerId\": \"C-SECRET\", \"campaign\": \"w\", \"at\": \"2026-03-15T10:00:00Z\"}"
            + "| line 4: field type is missing",
        "{\"type\": \"opened\", \"customerId\": \"C-SECRET\", \"campaign\": \"w\", \"at\": "
            + "\"2026-03-15T10:00:00Z\", \"revenue\": 10}| line 4: field revenue is only for"
            + " conversions",
        "{\"type\": \"conversion\", \"customerId\": \"C-SECRET\", \"campaign\": \"w\", \"at\": "
            + "\"2026-03-15T10:00:00Z\", \"revenue\": -1}| line 4: field revenue must not be"
            + " negative",
        "{\"type\": \"conversion\", \"customerId\": \"C-SECRET\", \"campaign\": \"w\", \"at\": "
            + "\"2026-03-15T10:00:00Z\", \"revenue\": \"lots\"}| line 4: field revenue must be a"
            + " number",
        "{\"type\": \"opened\", \"customerId\": \"C-SECRET\", \"user_id\": \"C-SECRET\","
            + " \"campaign\": \"w\", \"at\": \"2026-03-15T10:00:00Z\"}| line 4: fields customerId"
            + " and user_id say the same thing",
        "{\"type\": \"opened\", \"conversion\": true, \"customerId\": \"C-SECRET\", \"campaign\":"
            + " \"w\", \"at\": \"2026-03-15T10:00:00Z\"}| line 4: field conversion is true but"
            + " type is not a conversion",
        "{\"type\": \"opened\", \"customerId\": \"C-SECRET\", \"customerId\": \"C-SECRET\"}"
            + "| line 4: not valid JSON at column",
        "{\"type\": \"opened\", \"customerId\": \"C-SECRET\"| line 4: not valid JSON",
        "[\"C-SECRET\"]| line 4: not a JSON object",
        "{\"type\": \"opened\", \"customerId\": \"C-SECRET\", \"campaign\": \"w\", \"at\": "
            + "\"2026-03-15T10:00:00Z\"} {}| line 4: not valid JSON",
        "{\"type\": \"opened\", \"customerId\": 1001, \"campaign\": \"w\", \"at\": "
            + "\"2026-03-15T10:00:00Z\"}| line 4: field customerId must be a non-blank string"
      })
  void parse_badLine_namesTheLineAndTheFieldNeverTheValue(String line, String message) {
    assertThatThrownBy(() -> InteractionLines.parse(line, 4))
        .isInstanceOf(InteractionLines.LineException.class)
        .hasMessageStartingWith(message.strip())
        .hasMessageNotContaining("SECRET")
        .hasMessageNotContaining("1001")
        .hasMessageNotContaining("bounced")
        .hasMessageNotContaining("yesterday");
  }

  @Test
  void parse_customerIdLongerThanTheStoreKeeps_failsTheLine() {
    String id = "C-" + "7".repeat(300);
    assertThatThrownBy(
            () ->
                InteractionLines.parse(
                    "{\"type\": \"opened\", \"customerId\": \""
                        + id
                        + "\", \"campaign\": \"w\", \"at\": \"2026-03-15T10:00:00Z\"}",
                    9))
        .hasMessage("line 9: field customerId is longer than 200 characters");
  }

  @Provide
  Arbitrary<String> lines() {
    Arbitrary<String> fragments =
        Arbitraries.of(
            "{",
            "}",
            "\"type\"",
            "\"opened\"",
            "\"conversion\"",
            "\"customerId\"",
            "\"campaign\"",
            "\"at\"",
            "\"revenue\"",
            ":",
            ",",
            "\"2026-03-15T10:00:00Z\"",
            "\"C-PRIVATE\"",
            "249.90",
            "-3",
            "true",
            "null",
            "[",
            "]",
            "\"user_id\"",
            "\"timestamp\"",
            "\"action_id\"",
            "\"x\"",
            " ",
            "\u0000",
            "1e999");
    return Arbitraries.oneOf(
        fragments.list().ofMaxSize(25).map(l -> String.join("", l)),
        Arbitraries.strings().ofMaxLength(60));
  }

  @Property(tries = 2_000)
  void parse_anyText_givesAnInteractionOrALineErrorWithoutTheCustomersData(
      @ForAll("lines") String text) {
    try {
      Interaction i = InteractionLines.parse(text, 1);
      assertThat(i.customerId()).isNotBlank();
    } catch (InteractionLines.LineException e) {
      assertThat(e.getMessage()).startsWith("line 1: ").doesNotContain("PRIVATE");
    }
  }
}
