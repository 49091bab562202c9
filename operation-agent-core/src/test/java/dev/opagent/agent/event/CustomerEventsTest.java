package dev.opagent.agent.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CustomerEventsTest {
  private static final Instant AT = Instant.parse("2026-03-15T09:00:00Z");

  @Test
  void fromJson_cartAbandoned_keepsDecimalsExactAndTheData() {
    CustomerEvent e =
        CustomerEvents.fromJson(
            """
            {"type": "cart_abandoned", "customerId": "C-1001", "at": "2026-03-15T09:00:00Z",
             "data": {"cartValue": 249.90, "items": ["P-7", "P-9"], "count": 2}, "source": "shop"}""");
    assertThat(e.type()).isEqualTo(CustomerEvent.CART_ABANDONED);
    assertThat(e.customerId()).isEqualTo("C-1001");
    assertThat(e.at()).isEqualTo(AT);
    assertThat(e.decimal("cartValue")).isEqualTo(new BigDecimal("249.90"));
    assertThat(e.data()).containsEntry("items", List.of("P-7", "P-9")).containsEntry("count", 2L);
    assertThat(e.isWellKnown()).isTrue();
  }

  @Test
  void fromJson_offsetDateTime_isTheSameInstant() {
    CustomerEvent e =
        CustomerEvents.fromJson(
            "{\"type\": \"page_view\", \"customerId\": \"C-1\", \"at\": \"2026-03-15T12:00:00+03:00\"}");
    assertThat(e.at()).isEqualTo(AT);
    assertThat(e.data()).isEmpty();
  }

  @Test
  void fromJson_unknownType_keptForTriggersOnly() {
    CustomerEvent e =
        CustomerEvents.fromJson(
            "{\"type\": \"wishlist_add\", \"customerId\": \"C-1\", \"at\": \"2026-03-15T09:00:00Z\","
                + " \"data\": {\"product\": {\"id\": \"P-1\"}}}");
    assertThat(e.isWellKnown()).isFalse();
    assertThat(e.data()).containsEntry("product", Map.of("id", "P-1"));
  }

  @Test
  void toJson_readsBackToAnEqualEvent() {
    CustomerEvent e =
        new CustomerEvent(
            CustomerEvent.PURCHASE,
            "C-1001",
            AT,
            Map.of("amount", new BigDecimal("75.00"), "category", "Kahve"));
    assertThat(CustomerEvents.fromJson(CustomerEvents.toJson(e))).isEqualTo(e);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[1, 2]|''",
        "{\"customerId\": \"C-1\", \"at\": \"2026-03-15T09:00:00Z\"}|type",
        "{\"type\": \"Purchase!\", \"customerId\": \"C-1\", \"at\": \"2026-03-15T09:00:00Z\"}|type",
        "{\"type\": \"click\", \"customerId\": \" \", \"at\": \"2026-03-15T09:00:00Z\"}|customerId",
        "{\"type\": \"click\", \"customerId\": \"C-1\", \"at\": \"yesterday\"}|at",
        "{\"type\": \"click\", \"customerId\": \"C-1\", \"at\": 1773565200}|at",
        "{\"type\": \"click\", \"customerId\": \"C-1\", \"at\": \"2026-03-15T09:00:00Z\", \"data\": [1]}|data",
        "{\"type\": \"purchase\", \"customerId\": \"C-1\", \"at\": \"2026-03-15T09:00:00Z\"}|data.amount",
        "{\"type\": \"purchase\", \"customerId\": \"C-1\", \"at\": \"2026-03-15T09:00:00Z\", \"data\": {\"amount\": -1}}|data.amount",
        "{\"type\": \"purchase\", \"customerId\": \"C-1\", \"at\": \"2026-03-15T09:00:00Z\", \"data\": {\"amount\": 5, \"category\": 3}}|data.category",
        "{\"type\": \"cart_abandoned\", \"customerId\": \"C-1\", \"at\": \"2026-03-15T09:00:00Z\", \"data\": {\"cartValue\": \"a lot\"}}|data.cartValue",
        "{\"type\": \"cart_abandoned\", \"customerId\": \"C-1\", \"at\": \"2026-03-15T09:00:00Z\", \"data\": {\"cartValue\": 1, \"items\": \"P-1\"}}|data.items",
        "{\"type\": \"unsubscribe\", \"customerId\": \"C-1\", \"at\": \"2026-03-15T09:00:00Z\", \"data\": {\"channel\": false}}|data.channel",
      })
  void fromJson_badEvent_namesTheField(String json, String field) {
    assertThatThrownBy(() -> CustomerEvents.fromJson(json))
        .isInstanceOf(InvalidEventException.class)
        .satisfies(e -> assertThat(((InvalidEventException) e).field()).isEqualTo(field));
  }

  @Test
  void fromJson_errorsNeverQuoteTheValues() {
    String secret = "ayse.yilmaz@example.com";
    for (String json :
        List.of(
            "{\"type\": \"click\", \"customerId\": \"C-1\", \"at\": \"" + secret + "\"}",
            "{\"type\": \"" + secret + "\", \"customerId\": \"C-1\", \"at\": \"x\"}",
            "{\"type\": \"purchase\", \"customerId\": \"C-1\", \"at\": \"2026-03-15T09:00:00Z\","
                + " \"data\": {\"amount\": \""
                + secret
                + "\"}}",
            "{\"type\": \"click\", \"customerId\": \"" + secret + "\" \"at\": 1}")) {
      assertThatThrownBy(() -> CustomerEvents.fromJson(json))
          .isInstanceOf(InvalidEventException.class)
          .hasMessageNotContaining(secret)
          .hasMessageNotContaining("ayse");
    }
  }

  @Test
  void lines_oneBadLineFailsAlone_everyOtherLineYieldsItsEvent() {
    String file =
        """
        {"type": "page_view", "customerId": "C-1", "at": "2026-03-15T09:00:00Z"}

        {"type": "purchase", "customerId": "C-2", "at": "2026-03-15T09:01:00Z"}
        {"type": "click", "customerId": "C-3", "at": "2026-03-15T09:02:00Z"
        {"type": "purchase", "customerId": "C-4", "at": "2026-03-15T09:03:00Z", "data": {"amount": 9.5}}
        """;
    List<CustomerEvents.Line> lines = new ArrayList<>();
    CustomerEvents.lines(new BufferedReader(new StringReader(file))).forEachRemaining(lines::add);
    assertThat(lines).extracting(CustomerEvents.Line::number).containsExactly(1L, 3L, 4L, 5L);
    assertThat(lines.get(0).event()).isNotNull();
    assertThat(lines.get(1).error()).isNotNull();
    assertThat(lines.get(1).error().field()).isEqualTo("data.amount");
    assertThat(lines.get(2).error()).isNotNull();
    assertThat(lines.get(2).error().getMessage()).startsWith("is not valid JSON");
    assertThat(lines.get(3).event().decimal("amount")).isEqualTo(new BigDecimal("9.5"));
  }

  @Test
  void constructor_inCode_checksLikeTheReader() {
    assertThatThrownBy(() -> CustomerEvent.of(CustomerEvent.PURCHASE, "C-1", AT))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("data.amount must be a non-negative number");
    assertThat(CustomerEvent.purchase("C-1", AT, BigDecimal.TEN).decimal("amount"))
        .isEqualTo(BigDecimal.TEN);
    assertThat(
            new CustomerEvent(CustomerEvent.UNSUBSCRIBE, "C-1", AT, Map.of("channel", "email"))
                .unsubscribedChannel())
        .isEqualTo("email");
    assertThat(CustomerEvent.of(CustomerEvent.UNSUBSCRIBE, "C-1", AT).unsubscribedChannel())
        .isNull();
  }
}
