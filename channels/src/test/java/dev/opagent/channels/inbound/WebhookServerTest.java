package dev.opagent.channels.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.event.CustomerEvent;
import dev.opagent.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The receiver over real HTTP, with the JDK's client. */
class WebhookServerTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-15T10:00:00Z"));
  private final KeyPair keys = Signing.sendGridKeys();
  private final List<CustomerEvent> events = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private WebhookServer server;

  private WebhookServer start(Map<Provider, String> secrets, WebhookServer.Builder options)
      throws Exception {
    FeedbackReceiver receiver =
        FeedbackReceiver.builder()
            .secrets(WebhookSecrets.of(secrets))
            .events(events::add)
            .customers(CustomerResolver.byContactFields(List.of(LoopFixture.customer("C-1"))))
            .clock(clock)
            .build();
    server = options.receiver(receiver).port(0).start();
    return server;
  }

  private WebhookServer startAll() throws Exception {
    return start(
        Map.of(
            Provider.SHOPIFY, Signing.SHOPIFY_SECRET,
            Provider.SENDGRID, Signing.publicKey(keys),
            Provider.TWILIO, Signing.TWILIO_TOKEN),
        WebhookServer.builder().maxBodyBytes(4096));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<String> post(String path, Map<String, List<String>> headers, byte[] body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach((k, vs) -> vs.forEach(v -> b.header(k, v)));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private byte[] sendGridBody(String event) {
    return ("[{\"email\": \"c-1@example.com\", \"timestamp\": "
            + clock.instant().getEpochSecond()
            + ", \"event\": \""
            + event
            + "\", \"sg_event_id\": \"id-"
            + event
            + "\"}]")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void boundToLoopback_byDefault() throws Exception {
    startAll();
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(server.routed()).containsExactlyInAnyOrder(Provider.values());
  }

  @Test
  void sendGrid_signed_200_andTheEventIsHandedOn() throws Exception {
    startAll();
    byte[] body = sendGridBody("spamreport");

    HttpResponse<String> r =
        post(
            "/webhooks/sendgrid",
            Signing.sendGridHeaders(keys, clock.instant().getEpochSecond(), body),
            body);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"accepted\":1").doesNotContain("c-1@example.com");
    assertThat(events)
        .singleElement()
        .satisfies(e -> assertThat(e.unsubscribedChannel()).isEqualTo("email"));
  }

  @Test
  void forgedStaleOrUnreadable_401or400_overHttp() throws Exception {
    startAll();
    byte[] body = sendGridBody("open");
    Map<String, List<String>> stale =
        Signing.sendGridHeaders(keys, clock.instant().getEpochSecond() - 3600, body);
    assertThat(post("/webhooks/sendgrid", stale, body).statusCode()).isEqualTo(401);

    byte[] order = "{\"id\": 1}".getBytes(StandardCharsets.UTF_8);
    Map<String, List<String>> forged =
        Map.of(
            ShopifySignature.HEADER,
            List.of(ShopifySignature.sign("not-the-secret", order)),
            "X-Shopify-Topic",
            List.of("orders/create"),
            "X-Shopify-Webhook-Id",
            List.of("w1"));
    HttpResponse<String> r = post("/webhooks/shopify", forged, order);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains(ShopifySignature.HEADER).doesNotContain(Signing.SHOPIFY_SECRET);

    HttpResponse<String> bad =
        post("/webhooks/shopify", Signing.shopifyHeaders("w2", "orders/create", order), order);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("total_price");
    assertThat(events).isEmpty();
  }

  @Test
  void bodyOverTheLimit_413_getOrUnknownRoute_405or404() throws Exception {
    startAll();
    byte[] big = new byte[5000];
    java.util.Arrays.fill(big, (byte) ' ');
    assertThat(post("/webhooks/sendgrid", Map.of(), big).statusCode()).isEqualTo(413);

    assertThat(
            http.send(
                    HttpRequest.newBuilder(uri("/webhooks/sendgrid")).GET().build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(405);
    assertThat(post("/webhooks/mailchimp", Map.of(), new byte[0]).statusCode()).isEqualTo(404);
  }

  @Test
  void providerWithoutSecret_notRouted() throws Exception {
    start(Map.of(Provider.TWILIO, Signing.TWILIO_TOKEN), WebhookServer.builder());
    assertThat(server.routed()).containsExactly(Provider.TWILIO);
    byte[] body = sendGridBody("open");
    assertThat(
            post(
                    "/webhooks/sendgrid",
                    Signing.sendGridHeaders(keys, clock.instant().getEpochSecond(), body),
                    body)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void twilio_signedForTheUrlItCalled_200WithEmptyTwiml() throws Exception {
    startAll();
    String path = "/webhooks/twilio?opagent_key=events-2026-03-15%3Acart_sms%3AC-1";
    Map<String, String> params =
        Map.of(
            "MessageSid", "SM1",
            "MessageStatus", "undelivered",
            "ErrorCode", "21610",
            "To", "+15550001");
    String url = "http://127.0.0.1:" + server.port() + path;

    HttpResponse<String> r = post(path, Signing.twilioHeaders(url, params), Signing.form(params));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/xml"));
    assertThat(r.body()).contains("<Response></Response>");
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.customerId()).isEqualTo("C-1");
              assertThat(e.unsubscribedChannel()).isEqualTo("sms");
            });
  }

  @Test
  void twilio_behindAProxy_verifiedAgainstThePublicUrl() throws Exception {
    start(
        Map.of(Provider.TWILIO, Signing.TWILIO_TOKEN),
        WebhookServer.builder().publicUrl(URI.create("https://hooks.example.com/")));
    Map<String, String> params = Map.of("MessageSid", "SM2", "MessageStatus", "sent");
    String path = "/webhooks/twilio";

    HttpResponse<String> asProxied =
        post(
            path,
            Signing.twilioHeaders("https://hooks.example.com" + path, params),
            Signing.form(params));
    HttpResponse<String> asSeen =
        post(
            path,
            Signing.twilioHeaders("http://127.0.0.1:" + server.port() + path, params),
            Signing.form(params));

    assertThat(asProxied.statusCode()).isEqualTo(200);
    assertThat(asSeen.statusCode()).isEqualTo(401);
  }
}
