package dev.opagent.channels.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.event.CustomerEvent;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.feedback.AttributionCounts;
import dev.opagent.channels.shopify.ShopifyDiscountChannel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Webhooks through the receiver into a real event processor and feedback loop. */
class FeedbackReceiverTest {
  private final LoopFixture loop = new LoopFixture();
  private final KeyPair sendGridKeys = Signing.sendGridKeys();
  private final FeedbackReceiver receiver =
      FeedbackReceiver.builder()
          .secrets(
              WebhookSecrets.of(
                  Map.of(
                      Provider.SHOPIFY, Signing.SHOPIFY_SECRET,
                      Provider.SENDGRID, Signing.publicKey(sendGridKeys),
                      Provider.TWILIO, Signing.TWILIO_TOKEN)))
          .events(loop.processor)
          .interactions(loop.feedback)
          .actions(ActionLookup.of(loop.journal))
          .customers(
              CustomerResolver.byContactFields(
                  List.of(LoopFixture.customer("C-1"), LoopFixture.customer("C-2"))))
          .discountCodes(DiscountCodeResolver.ofShopifyCodes("OPA-"))
          .clock(loop.clock)
          .build();

  @AfterEach
  void close() {
    loop.close();
  }

  private WebhookResult sendGrid(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return receiver.receiveSendGrid(
        Signing.sendGridHeaders(sendGridKeys, loop.clock.instant().getEpochSecond(), body), body);
  }

  private static String sgEvent(String event, String id, long ts, String extra) {
    return "{\"email\": \"c-1@example.com\", \"timestamp\": %d, \"event\": \"%s\", \"sg_event_id\": \"%s\", \"sg_message_id\": \"m1\"%s}"
        .formatted(ts, event, id, extra);
  }

  private WebhookResult twilio(String query, Map<String, String> params) {
    String url = "https://hooks.example.com/webhooks/twilio" + query;
    return receiver.receiveTwilio(url, Signing.twilioHeaders(url, params), Signing.form(params));
  }

  @ParameterizedTest
  @ValueSource(strings = {"unsubscribe", "spamreport", "group_unsubscribe", "dropped", "bounce"})
  void sendGridStop_withdrawsTheScheduledEmail_andLaterEmails_butNotSms(String kind) {
    List<String> keys = loop.abandonCart("C-1");
    String emailKey = loop.keyOn(keys, "email");
    String smsKey = loop.keyOn(keys, "sms");
    loop.clock.advance(Duration.ofMinutes(5));

    WebhookResult r =
        sendGrid(
            "["
                + sgEvent(
                    kind,
                    "ev-" + kind,
                    loop.clock.instant().getEpochSecond(),
                    ", \"type\": \"bounce\", \"opagent_key\": \"" + emailKey + "\"")
                + "]");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.withdrawn()).isEqualTo(1);
    assertThat(loop.journal.find(emailKey).orElseThrow().state())
        .isEqualTo(ExecutionState.CANCELLED);
    assertThat(loop.customers.withdrawnConsents("C-1")).containsExactly("email");

    loop.advanceAndDeliver(Duration.ofMinutes(61));
    assertThat(loop.delivered(loop.email, "C-1")).isEmpty();
    assertThat(loop.delivered(loop.sms, "C-1")).containsExactly(smsKey);

    // past the SMS cap's week, a new cart: an SMS only
    loop.clock.advance(Duration.ofDays(8));
    List<String> later = loop.abandonCart("C-1");
    assertThat(later).extracting(k -> loop.action(k).channel()).containsExactly("sms");
    loop.advanceAndDeliver(Duration.ofMinutes(61));
    assertThat(loop.delivered(loop.email, "C-1")).isEmpty();
    assertThat(loop.delivered(loop.sms, "C-1")).hasSize(2);
  }

  @Test
  void sendGridUnsubscribe_withoutKey_resolvedByTheRecipientsAddress_onlyThatCustomer() {
    loop.abandonCart("C-1");
    List<String> other = loop.abandonCart("C-2");
    loop.clock.advance(Duration.ofMinutes(5));

    WebhookResult r =
        sendGrid(
            "[" + sgEvent("unsubscribe", "ev-1", loop.clock.instant().getEpochSecond(), "") + "]");

    assertThat(r.withdrawn()).isEqualTo(1);
    loop.advanceAndDeliver(Duration.ofMinutes(61));
    assertThat(loop.delivered(loop.email, "C-1")).isEmpty();
    assertThat(loop.delivered(loop.email, "C-2")).containsExactly(loop.keyOn(other, "email"));
  }

  @Test
  void sendGridSoftBounce_andProcessedOrDeferred_areIgnored() {
    List<String> keys = loop.abandonCart("C-1");
    long ts = loop.clock.instant().getEpochSecond();
    WebhookResult r =
        sendGrid(
            "["
                + sgEvent("bounce", "b1", ts, ", \"type\": \"blocked\"")
                + ","
                + sgEvent("processed", "p1", ts, "")
                + ","
                + sgEvent("deferred", "d1", ts, "")
                + "]");

    assertThat(r.accepted()).isZero();
    assertThat(r.ignored()).containsEntry("soft_bounce", 1).containsEntry("not_acted_on", 2);
    assertThat(loop.journal.find(loop.keyOn(keys, "email")).orElseThrow().state())
        .isEqualTo(ExecutionState.PENDING);
  }

  @Test
  void
      sendGridDeliveredOpenClick_attributedToTheActionOfTheKey_duplicatesCountOnce_badEventAlone() {
    List<String> keys = loop.abandonCart("C-1");
    String emailKey = loop.keyOn(keys, "email");
    loop.advanceAndDeliver(Duration.ofMinutes(61));
    loop.clock.advance(Duration.ofMinutes(10));
    long ts = loop.clock.instant().getEpochSecond();
    String arg = ", \"opagent_key\": \"" + emailKey + "\", \"opagent_campaign\": \"cart_email\"";
    String batch =
        "["
            + sgEvent("delivered", "e1", ts, arg)
            + ","
            + sgEvent("open", "e2", ts, arg)
            + ","
            + "{\"event\": \"click\", \"sg_event_id\": \"e3\", \"email\": \"c-1@example.com\"}"
            + ","
            + sgEvent(
                "click", "e4", ts, ", \"custom_args\": {\"opagent_key\": \"" + emailKey + "\"}")
            + "]";

    WebhookResult first = sendGrid(batch);
    WebhookResult again = sendGrid(batch);

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.accepted()).isEqualTo(3);
    assertThat(first.rejected())
        .singleElement()
        .satisfies(
            rej -> {
              assertThat(rej.index()).isEqualTo(2);
              assertThat(rej.field()).isEqualTo("[2].timestamp");
            });
    assertThat(again.accepted()).isZero();
    assertThat(again.duplicates()).isEqualTo(3);
    var metrics = loop.feedback.campaign("cart_email").orElseThrow();
    assertThat(metrics.opened()).isEqualTo(1);
    assertThat(metrics.clicked()).isEqualTo(1);
    AttributionCounts counts = loop.feedback.metrics().attributions();
    assertThat(counts.toString()).doesNotContain("c-1@example.com");
  }

  @Test
  void twilio21610_withdrawsTheScheduledSms_andLaterSms_butNotEmail() {
    List<String> keys = loop.abandonCart("C-1");
    String emailKey = loop.keyOn(keys, "email");
    String smsKey = loop.keyOn(keys, "sms");
    loop.clock.advance(Duration.ofMinutes(1));
    Map<String, String> params = new LinkedHashMap<>();
    params.put("MessageSid", "SM0001");
    params.put("MessageStatus", "undelivered");
    params.put("ErrorCode", "21610");
    params.put("To", "+15550001");
    params.put("From", "+15557777");

    WebhookResult r = twilio("?opagent_key=" + smsKey, params);
    WebhookResult again = twilio("?opagent_key=" + smsKey, params);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.withdrawn()).isEqualTo(1);
    assertThat(again.duplicates()).isEqualTo(1);
    assertThat(loop.customers.withdrawnConsents("C-1")).containsExactly("sms");
    loop.advanceAndDeliver(Duration.ofMinutes(61));
    assertThat(loop.delivered(loop.sms, "C-1")).isEmpty();
    assertThat(loop.delivered(loop.email, "C-1")).containsExactly(emailKey);

    loop.clock.advance(Duration.ofDays(8)); // past the SMS cap's week: only consent stops it
    assertThat(loop.abandonCart("C-1"))
        .extracting(k -> loop.action(k).channel())
        .containsExactly("email");
  }

  @Test
  void twilioIncomingStop_unsubscribesTheSenderBySmsByPhone_otherRepliesIgnored() {
    List<String> keys = loop.abandonCart("C-2");
    Map<String, String> hello = new LinkedHashMap<>();
    hello.put("MessageSid", "SM0002");
    hello.put("SmsStatus", "received");
    hello.put("From", "+15550002");
    hello.put("To", "+15557777");
    hello.put("Body", "hello");
    Map<String, String> stop = new LinkedHashMap<>(hello);
    stop.put("MessageSid", "SM0003");
    stop.put("Body", " stop ");

    assertThat(twilio("", hello).ignored()).containsEntry("incoming_message", 1);
    WebhookResult r = twilio("", stop);

    assertThat(r.withdrawn()).isEqualTo(1);
    assertThat(loop.journal.find(loop.keyOn(keys, "sms")).orElseThrow().state())
        .isEqualTo(ExecutionState.CANCELLED);
    assertThat(loop.journal.find(loop.keyOn(keys, "email")).orElseThrow().state())
        .isEqualTo(ExecutionState.PENDING);
  }

  @Test
  void twilioDelivered_isAnInteractionOfTheKey_otherStatusesIgnored() {
    List<String> keys = loop.abandonCart("C-1");
    String smsKey = loop.keyOn(keys, "sms");
    loop.advanceAndDeliver(Duration.ofMinutes(61));
    Map<String, String> params = new LinkedHashMap<>();
    params.put("MessageSid", "SM0004");
    params.put("MessageStatus", "sent");
    params.put("To", "+15550001");

    assertThat(twilio("?opagent_key=" + smsKey, params).ignored()).containsEntry("not_acted_on", 1);
    params.put("MessageStatus", "delivered");
    WebhookResult r = twilio("?opagent_key=" + smsKey, params);

    assertThat(r.accepted()).isEqualTo(1);
    assertThat(
            loop.feedback
                .metrics()
                .attributions()
                .count(
                    dev.opagent.agent.feedback.InteractionType.DELIVERED,
                    dev.opagent.agent.feedback.Attribution.Outcome.ATTRIBUTED))
        .isEqualTo(1);
  }

  @Test
  void twilioBadInput_400NamingTheParameter_badSignature401() {
    Map<String, String> params = Map.of("MessageStatus", "delivered");
    WebhookResult missing = twilio("", params);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.rejected().get(0).field()).isEqualTo("MessageSid");

    Map<String, String> bad = Map.of("MessageSid", "SM1", "MessageStatus", "teleported");
    assertThat(twilio("", bad).rejected().get(0).field()).isEqualTo("MessageStatus");

    String url = "https://hooks.example.com/webhooks/twilio";
    Map<String, String> ok = Map.of("MessageSid", "SM1", "MessageStatus", "delivered");
    WebhookResult forged =
        receiver.receiveTwilio(
            url + "?opagent_key=other", Signing.twilioHeaders(url, ok), Signing.form(ok));
    assertThat(forged.status()).isEqualTo(401);
  }

  @Test
  void shopifyOrderWithTheDiscountCode_isAPurchaseAttributedToTheCampaign_countedOnce() {
    List<String> keys = loop.abandonCart("C-1");
    String emailKey = loop.keyOn(keys, "email");
    loop.advanceAndDeliver(Duration.ofMinutes(61));
    loop.clock.advance(Duration.ofMinutes(30));
    String order =
        """
        {"id": 450789469, "email": "someone-else@example.com", "created_at": "%s",
         "total_price": "199.00", "currency": "EUR",
         "customer": {"id": 207119551, "email": "c-1@example.com"},
         "discount_codes": [{"code": "%s", "amount": "20.00", "type": "percentage"}],
         "line_items": [{"product_id": 632910392, "sku": "P-2001", "title": "Serum",
                         "quantity": 2, "price": "109.50"}]}
        """
            .formatted(
                loop.clock.instant().atOffset(java.time.ZoneOffset.ofHours(3)),
                // the code the Shopify channel creates for the action: it names the action's key
                ShopifyDiscountChannel.codeFor("OPA-", emailKey));
    byte[] body = order.getBytes(StandardCharsets.UTF_8);

    WebhookResult r =
        receiver.receiveShopify(Signing.shopifyHeaders("wh-1", "orders/create", body), body);
    WebhookResult again =
        receiver.receiveShopify(Signing.shopifyHeaders("wh-1", "orders/create", body), body);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.accepted()).isEqualTo(2); // the purchase and the code's use
    assertThat(again.duplicates()).isEqualTo(1);
    var metrics = loop.feedback.campaign("cart_email").orElseThrow();
    assertThat(metrics.conversions()).isEqualTo(1);
    assertThat(metrics.revenue()).isEqualByComparingTo("199.00");
    assertThat(metrics.couponsUsed()).isEqualTo(1);
    var history = loop.customers.find("C-1").orElseThrow().customer().productHistory().get(0);
    assertThat(history.orderCount()).isEqualTo(9);
    assertThat(history.totalQuantity()).isEqualTo(10);
  }

  @Test
  void shopifyOtherTopicUnknownCustomerBadOrderOrSignature() {
    byte[] body = "{\"id\": 1}".getBytes(StandardCharsets.UTF_8);
    assertThat(
            receiver
                .receiveShopify(Signing.shopifyHeaders("w1", "products/update", body), body)
                .ignored())
        .containsEntry("topic_not_handled", 1);

    WebhookResult bad =
        receiver.receiveShopify(Signing.shopifyHeaders("w2", "orders/create", body), body);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.rejected().get(0).field()).isEqualTo("total_price");

    byte[] guest =
        "{\"id\": 2, \"email\": \"nobody@example.com\", \"total_price\": \"5.00\", \"currency\": \"EUR\", \"created_at\": \"2026-03-15T10:00:00Z\"}"
            .getBytes(StandardCharsets.UTF_8);
    WebhookResult unknown =
        receiver.receiveShopify(Signing.shopifyHeaders("w3", "orders/create", guest), guest);
    assertThat(unknown.ignored()).containsEntry("unknown_customer", 1);
    assertThat(unknown.toJson()).doesNotContain("nobody@example.com");

    Map<String, List<String>> forged =
        new LinkedHashMap<>(Signing.shopifyHeaders("w4", "orders/create", body));
    forged.put("x-shopify-hmac-sha256", List.of(ShopifySignature.sign("wrong-secret", body)));
    assertThat(receiver.receiveShopify(forged, guest).status()).isEqualTo(401);
    Map<String, List<String>> noId =
        new LinkedHashMap<>(Signing.shopifyHeaders("w5", "orders/create", guest));
    noId.remove("X-Shopify-Webhook-Id");
    assertThat(receiver.receiveShopify(noId, guest).rejected().get(0).field())
        .isEqualTo("X-Shopify-Webhook-Id");
  }

  @Test
  void sendGridStaleOrForged_401_notConfiguredProvider_404() {
    byte[] body = ("[" + sgEvent("open", "x1", 0, "") + "]").getBytes(StandardCharsets.UTF_8);
    long stale = loop.clock.instant().minus(Duration.ofMinutes(6)).getEpochSecond();
    WebhookResult r =
        receiver.receiveSendGrid(Signing.sendGridHeaders(sendGridKeys, stale, body), body);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.rejected().get(0).field()).isEqualTo(SendGridSignature.TIMESTAMP);

    WebhookResult notArray = sendGrid("{\"event\": \"open\"}");
    assertThat(notArray.status()).isEqualTo(400);
    assertThat(notArray.rejected().get(0).field()).isEqualTo("body");

    FeedbackReceiver shopifyOnly =
        FeedbackReceiver.builder()
            .secrets(WebhookSecrets.of(Map.of(Provider.SHOPIFY, "s")))
            .events(e -> {})
            .build();
    assertThat(shopifyOnly.configured()).containsExactly(Provider.SHOPIFY);
    assertThat(shopifyOnly.receiveSendGrid(Map.of(), body).status()).isEqualTo(404);
    assertThat(shopifyOnly.receiveTwilio("https://x/y", Map.of(), body).status()).isEqualTo(404);
  }

  @Test
  void failureToHandOn_500_retryIsHandledNotADuplicate_andNothingPersonalIsLogged() {
    List<CustomerEvent> handed = new ArrayList<>();
    boolean[] down = {true};
    FeedbackReceiver flaky =
        FeedbackReceiver.builder()
            .secrets(WebhookSecrets.of(Map.of(Provider.SENDGRID, Signing.publicKey(sendGridKeys))))
            .events(
                e -> {
                  if (down[0]) {
                    throw new IllegalStateException("store down while writing c-1@example.com");
                  }
                  handed.add(e);
                })
            .customers(CustomerResolver.byContactFields(List.of(LoopFixture.customer("C-1"))))
            .clock(loop.clock)
            .build();
    byte[] body =
        ("[" + sgEvent("spamreport", "s1", loop.clock.instant().getEpochSecond(), "") + "]")
            .getBytes(StandardCharsets.UTF_8);
    var headers =
        Signing.sendGridHeaders(sendGridKeys, loop.clock.instant().getEpochSecond(), body);

    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    WebhookResult failed;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      failed = flaky.receiveSendGrid(headers, body);
    } finally {
      System.setErr(err);
    }
    down[0] = false;
    WebhookResult retried = flaky.receiveSendGrid(headers, body);

    assertThat(failed.status()).isEqualTo(500);
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.accepted()).isEqualTo(1);
    assertThat(handed)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(CustomerEvent.UNSUBSCRIBE);
              assertThat(e.unsubscribedChannel()).isEqualTo("email");
              assertThat(e.customerId()).isEqualTo("C-1");
            });
    String logged = captured.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("sendgrid webhook could not be handed on");
    assertThat(logged + failed.toJson())
        .doesNotContain("c-1@example.com")
        .doesNotContain(Signing.publicKey(sendGridKeys));
  }
}
