package dev.opagent.channels.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading each provider's payload, and naming the field of what cannot be read. */
class ParsersTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shopifyOrder_amountsCustomerLinesAndDiscountCodes() {
    ShopifyOrder o =
        ShopifyOrder.parse(
            bytes(
                """
                {"id": 820982911946154508, "email": "jon@example.com",
                 "created_at": "2026-03-15T12:30:00-04:00", "total_price": "403.00",
                 "currency": "USD", "customer": {"id": 115310627314723954, "phone": "+15550001"},
                 "discount_codes": [{"code": "OPA-K1", "amount": "10.00", "type": "fixed_amount"}],
                 "line_items": [{"product_id": 788032119674292922, "sku": null, "title": "Board",
                   "quantity": 1, "price": "199.00"},
                  {"product_id": 1, "sku": "P-7", "title": "Wax", "quantity": 2, "price": 102.0}]}
                """));

    assertThat(o.orderId()).isEqualTo("820982911946154508");
    assertThat(o.customerId()).isEqualTo("115310627314723954");
    assertThat(o.phone()).isEqualTo("+15550001");
    assertThat(o.totalPrice()).isEqualByComparingTo("403.00");
    assertThat(o.createdAt()).isEqualTo(Instant.parse("2026-03-15T16:30:00Z"));
    assertThat(o.discountCodes()).containsExactly("OPA-K1");
    assertThat(o.lineItems())
        .extracting(ShopifyOrder.LineItem::productId)
        .containsExactly("788032119674292922", "P-7");
    assertThat(o.toString()).doesNotContain("jon@example.com").doesNotContain("+15550001");
  }

  @Test
  void shopifyOrder_badFieldsNamed() {
    assertField("[]", "body");
    assertField("{\"total_price\": \"1\"}", "id");
    assertField("{\"id\": 1, \"total_price\": \"-1\", \"currency\": \"EUR\"}", "total_price");
    assertField(
        "{\"id\": 1, \"total_price\": \"1\", \"currency\": \"EUR\", \"created_at\": \"yesterday\"}",
        "created_at");
    assertField(
        "{\"id\": 1, \"total_price\": \"1\", \"currency\": \"EUR\", \"created_at\":"
            + " \"2026-03-15T10:00:00Z\", \"line_items\": [{\"quantity\": 1.5, \"price\": \"1\"}]}",
        "line_items[0].quantity");
    assertField(
        "{\"id\": 1, \"total_price\": \"1\", \"currency\": \"EUR\", \"created_at\":"
            + " \"2026-03-15T10:00:00Z\", \"discount_codes\": [{}]}",
        "discount_codes[0].code");
  }

  private static void assertField(String json, String field) {
    assertThatThrownBy(() -> ShopifyOrder.parse(bytes(json)))
        .isInstanceOfSatisfying(
            WebhookException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.field()).isEqualTo(field);
            });
  }

  @Test
  void sendGridEvents_eachKind_customArgsAtTopLevelOrNested_badOneAlone() {
    List<SendGridEvent.Parsed> parsed =
        SendGridEvent.parseAll(
            bytes(
                """
                [{"email": "a@example.com", "timestamp": 1773568800, "event": "delivered",
                  "sg_event_id": "e1", "opagent_key": "K1", "opagent_campaign": "winback",
                  "category": ["x"], "response": "250 OK"},
                 {"email": "a@example.com", "timestamp": 1773568801, "event": "bounce",
                  "type": "blocked", "sg_event_id": "e2",
                  "custom_args": {"opagent_key": "K2"}},
                 {"email": "a@example.com", "timestamp": "soon", "event": "open",
                  "sg_event_id": "e3"},
                 {"email": "a@example.com", "timestamp": 1773568802, "event": "spamreport"},
                 "not an event"]
                """));

    assertThat(parsed).hasSize(5);
    SendGridEvent delivered = parsed.get(0).event();
    assertThat(delivered.event()).isEqualTo("delivered");
    assertThat(delivered.at()).isEqualTo(Instant.ofEpochSecond(1773568800));
    assertThat(delivered.customArgs())
        .containsOnlyKeys(WebhookParameters.KEY, WebhookParameters.CAMPAIGN);
    assertThat(parsed.get(1).event().bounceType()).isEqualTo("blocked");
    assertThat(parsed.get(1).event().arg(WebhookParameters.KEY)).isEqualTo("K2");
    assertThat(parsed.get(2).error().field()).isEqualTo("[2].timestamp");
    assertThat(parsed.get(3).error().field()).isEqualTo("[3].sg_event_id");
    assertThat(parsed.get(4).error().field()).isEqualTo("[4]");
    assertThat(delivered.toString()).doesNotContain("a@example.com");
  }

  @Test
  void twilioCallbacks_statusErrorStopAndKey() {
    TwilioCallback stopped =
        TwilioCallback.parse(
            Http.form(
                "MessageSid=SM1&MessageStatus=undelivered&ErrorCode=21610&To=%2B1555", "body"),
            Http.form("opagent_key=events-2026-03-15%3Ax&opagent_campaign=c1", "url"));
    assertThat(stopped.isStop()).isTrue();
    assertThat(stopped.isIncoming()).isFalse();
    assertThat(stopped.to()).isEqualTo("+1555");
    assertThat(stopped.key()).isEqualTo("events-2026-03-15:x");
    assertThat(stopped.toString()).doesNotContain("+1555");

    TwilioCallback failedOther =
        TwilioCallback.parse(
            Http.form("MessageSid=SM2&MessageStatus=failed&ErrorCode=30003", "body"), List.of());
    assertThat(failedOther.isStop()).isFalse();

    TwilioCallback reply =
        TwilioCallback.parse(
            Http.form("MessageSid=SM3&SmsStatus=received&Body=Stop+&From=%2B1555", "body"),
            List.of());
    assertThat(reply.isIncoming()).isTrue();
    assertThat(reply.isStop()).isTrue();
    TwilioCallback advanced =
        TwilioCallback.parse(
            Http.form("MessageSid=SM4&Body=arret&OptOutType=STOP", "body"), List.of());
    assertThat(advanced.isStop()).isTrue();

    assertThatThrownBy(
            () ->
                TwilioCallback.parse(
                    Http.form("MessageSid=SM5&MessageStatus=sent&ErrorCode=abc", "body"),
                    List.of()))
        .isInstanceOfSatisfying(
            WebhookException.class, e -> assertThat(e.field()).isEqualTo("ErrorCode"));
    assertThatThrownBy(() -> Http.form("a=%zz", "body"))
        .isInstanceOfSatisfying(
            WebhookException.class, e -> assertThat(e.field()).isEqualTo("body"));
  }
}
