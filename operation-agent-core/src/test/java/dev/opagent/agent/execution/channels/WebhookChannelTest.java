package dev.opagent.agent.execution.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookChannelTest {
  private static final String SECRET = "s3cr3t-do-not-leak";
  private static final String PATH = "/hooks/T0KEN-in-path";
  private static final Instant NOW = Instant.parse("2026-03-15T09:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private Receiver receiver;

  @BeforeEach
  void start() throws IOException {
    receiver = new Receiver();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private WebhookChannel.Builder channel() {
    return WebhookChannel.builder()
        .endpoint(receiver.uri(PATH))
        .secret(SECRET)
        .allowInsecureHttp()
        .clock(CLOCK);
  }

  @Test
  void deliver_accepted_receiverVerifiesSignatureAndSeesKeyAndJson() {
    ActionRequest request = Requests.request("ik-accepted");
    try (WebhookChannel webhook = channel().build()) {
      DeliveryReceipt receipt = webhook.deliver(request);

      assertThat(receipt).isEqualTo(DeliveryReceipt.delivered(request, "webhook", "http-200", NOW));
    }
    Received r = receiver.single();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo(PATH);
    assertThat(r.signatureValid()).isTrue();
    assertThat(r.headers().getFirst("Idempotency-Key")).isEqualTo("ik-accepted");
    assertThat(r.headers().getFirst("Content-Type")).isEqualTo("application/json");
    assertThat(r.headers().getFirst("X-Opagent-Signature"))
        .startsWith("t=" + NOW.getEpochSecond() + ",v1=");
    assertThat(ActionRequest.fromJson(r.body())).isEqualTo(request);
    assertThat(r.body()).isEqualTo(request.toJson());
  }

  @Test
  void deliver_signatureWithOtherSecret_failsReceiverVerification() {
    try (WebhookChannel webhook =
        channel().secret("another-secret".getBytes(StandardCharsets.UTF_8)).build()) {
      webhook.deliver(Requests.request("ik-other-secret"));
    }
    assertThat(receiver.single().signatureValid()).isFalse();
  }

  @Test
  void deliver_messageIdHeader_becomesExternalId() {
    receiver.reply(new Reply(202, Map.of("X-Message-Id", "msg-42")));
    try (WebhookChannel webhook = channel().build()) {
      DeliveryReceipt receipt = webhook.deliver(Requests.request("ik-msg"));

      assertThat(receipt.externalId()).isEqualTo("msg-42");
      assertThat(receipt.duplicate()).isFalse();
    }
  }

  @Test
  void deliver_idempotentReplayedHeader_returnsDuplicateReceipt() {
    receiver.reply(new Reply(200, Map.of("Idempotent-Replayed", "true", "X-Message-Id", "m-1")));
    ActionRequest request = Requests.request("ik-replayed");
    try (WebhookChannel webhook = channel().deduplicatesByKey(true).build()) {
      DeliveryReceipt receipt = webhook.deliver(request);

      assertThat(receipt).isEqualTo(DeliveryReceipt.duplicate(request, "webhook", "m-1", NOW));
      assertThat(webhook.deduplicatesByKey()).isTrue();
    }
  }

  @Test
  void deliver_503TwiceThenOk_callerRetryingOnRetryableDeliversOnThirdAttempt() {
    receiver.reply(new Reply(503, Map.of("Retry-After", "1")));
    receiver.reply(new Reply(503, Map.of()));
    receiver.reply(new Reply(200, Map.of()));
    ActionRequest request = Requests.request("ik-retried");
    List<Optional<Duration>> waits = new ArrayList<>();
    DeliveryReceipt receipt = null;
    int attempts = 0;
    try (WebhookChannel webhook = channel().build()) {
      while (receipt == null && attempts < 5) {
        attempts++;
        try {
          receipt = webhook.deliver(request);
        } catch (ChannelException e) {
          assertThat(e.retryable()).as(e.getMessage()).isTrue();
          waits.add(Optional.ofNullable(e.retryAfter()));
        }
      }
    }

    assertThat(receipt).isNotNull();
    assertThat(attempts).isEqualTo(3);
    assertThat(receiver.received)
        .hasSize(3)
        .allSatisfy(
            r -> {
              assertThat(r.headers().getFirst("Idempotency-Key")).isEqualTo("ik-retried");
              assertThat(r.signatureValid()).isTrue();
            });
    assertThat(waits).containsExactly(Optional.of(Duration.ofSeconds(1)), Optional.empty());
  }

  @Test
  void deliver_429WithRetryAfterSeconds_isRetryableWithThatWait() {
    receiver.reply(new Reply(429, Map.of("Retry-After", "2")));
    try (WebhookChannel webhook = channel().build()) {
      ChannelException e =
          catchThrowableOfType(
              ChannelException.class, () -> webhook.deliver(Requests.request("ik-429")));

      assertThat(e.retryable()).isTrue();
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
      assertThat(e.channel()).isEqualTo("webhook");
      assertThat(e.getMessage()).contains("HTTP 429").contains("retry after 2 s");
    }
  }

  @Test
  void deliver_retryAfterHttpDate_isTheTimeUntilThatDate() {
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atZone(ZoneOffset.UTC));
    receiver.reply(new Reply(503, Map.of("Retry-After", date)));
    try (WebhookChannel webhook = channel().build()) {
      ChannelException e =
          catchThrowableOfType(
              ChannelException.class, () -> webhook.deliver(Requests.request("ik-date")));

      assertThat(e.retryable()).isTrue();
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(90));
    }
  }

  @Test
  void deliver_retryAfterDateInThePast_isZero() {
    receiver.reply(new Reply(503, Map.of("Retry-After", "Sun, 15 Mar 2026 08:00:00 GMT")));
    try (WebhookChannel webhook = channel().build()) {
      ChannelException e =
          catchThrowableOfType(
              ChannelException.class, () -> webhook.deliver(Requests.request("ik-past")));

      assertThat(e.retryAfter()).isEqualTo(Duration.ZERO);
    }
  }

  @Test
  void deliver_retryAfterAboveMaximum_isCapped() {
    receiver.reply(new Reply(429, Map.of("Retry-After", "3600")));
    receiver.reply(new Reply(429, Map.of("Retry-After", "86400")));
    receiver.reply(new Reply(429, Map.of("Retry-After", "99999999999999999999")));
    try (WebhookChannel capped = channel().maxRetryAfter(Duration.ofMinutes(1)).build();
        WebhookChannel defaults = channel().build()) {
      assertThat(
              catchThrowableOfType(
                      ChannelException.class, () -> capped.deliver(Requests.request("ik-cap")))
                  .retryAfter())
          .isEqualTo(Duration.ofMinutes(1));
      assertThat(
              catchThrowableOfType(
                      ChannelException.class, () -> defaults.deliver(Requests.request("ik-cap")))
                  .retryAfter())
          .isEqualTo(Duration.ofMinutes(5));
      assertThat(
              catchThrowableOfType(
                      ChannelException.class, () -> defaults.deliver(Requests.request("ik-cap")))
                  .retryAfter())
          .isEqualTo(Duration.ofMinutes(5));
    }
  }

  @Test
  void deliver_unreadableRetryAfter_isRetryableWithoutWait() {
    receiver.reply(new Reply(503, Map.of("Retry-After", "soon")));
    try (WebhookChannel webhook = channel().build()) {
      ChannelException e =
          catchThrowableOfType(
              ChannelException.class, () -> webhook.deliver(Requests.request("ik-soon")));

      assertThat(e.retryable()).isTrue();
      assertThat(e.retryAfter()).isNull();
    }
  }

  @Test
  void deliver_400_isPermanent() {
    receiver.reply(new Reply(400, Map.of("Retry-After", "5")));
    try (WebhookChannel webhook = channel().build()) {
      ChannelException e =
          catchThrowableOfType(
              ChannelException.class, () -> webhook.deliver(Requests.request("ik-400")));

      assertThat(e.retryable()).isFalse();
      assertThat(e.retryAfter()).isNull();
      assertThat(e.getMessage())
          .isEqualTo("channel 'webhook': HTTP 400 from " + "http://127.0.0.1:" + receiver.port());
    }
  }

  @Test
  void deliver_otherStatuses_areClassified() {
    receiver.reply(new Reply(404, Map.of()));
    receiver.reply(new Reply(301, Map.of("Location", "https://elsewhere.example.com/")));
    receiver.reply(new Reply(408, Map.of()));
    receiver.reply(new Reply(500, Map.of()));
    try (WebhookChannel webhook = channel().build()) {
      ChannelException notFound =
          catchThrowableOfType(
              ChannelException.class, () -> webhook.deliver(Requests.request("ik-s")));
      ChannelException moved =
          catchThrowableOfType(
              ChannelException.class, () -> webhook.deliver(Requests.request("ik-s")));
      ChannelException requestTimeout =
          catchThrowableOfType(
              ChannelException.class, () -> webhook.deliver(Requests.request("ik-s")));
      ChannelException serverError =
          catchThrowableOfType(
              ChannelException.class, () -> webhook.deliver(Requests.request("ik-s")));

      assertThat(notFound.retryable()).isFalse();
      assertThat(moved.retryable()).isFalse();
      assertThat(moved.getMessage()).contains("HTTP 301").contains("redirects are not followed");
      assertThat(requestTimeout.retryable()).isTrue();
      assertThat(serverError.retryable()).isTrue();
    }
    assertThat(receiver.received).hasSize(4);
  }

  @Test
  void deliver_noResponseWithinRequestTimeout_isRetryable() {
    receiver.reply(Reply.HANG);
    try (WebhookChannel webhook = channel().requestTimeout(Duration.ofMillis(300)).build()) {
      ChannelException e =
          catchThrowableOfType(
              ChannelException.class, () -> webhook.deliver(Requests.request("ik-slow")));

      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("no response").contains("300 ms");
      assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
    }
  }

  @Test
  void deliver_nobodyListening_isRetryable() throws IOException {
    Receiver gone = new Receiver();
    URI uri = gone.uri(PATH);
    gone.close();
    try (WebhookChannel webhook =
        WebhookChannel.builder()
            .endpoint(uri)
            .secret(SECRET)
            .allowInsecureHttp()
            .connectTimeout(Duration.ofSeconds(2))
            .build()) {
      ChannelException e =
          catchThrowableOfType(
              ChannelException.class, () -> webhook.deliver(Requests.request("ik-gone")));

      assertThat(e.retryable()).isTrue();
      assertThat(e.getCause()).isInstanceOf(IOException.class);
    }
  }

  @Test
  void build_plainHttpWithoutOptIn_isRejectedNamingTheOptIn() {
    assertThatThrownBy(
            () -> WebhookChannel.builder().endpoint(receiver.uri(PATH)).secret(SECRET).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must use https")
        .hasMessageContaining("allowInsecureHttp()")
        .hasMessageNotContaining("T0KEN");
  }

  @Test
  void build_invalidOptions_failWithSpecificMessages() {
    assertThatThrownBy(() -> WebhookChannel.builder().secret(SECRET).build())
        .hasMessageContaining("endpoint is required");
    assertThatThrownBy(
            () -> WebhookChannel.builder().endpoint("https://hooks.example.com/x").build())
        .hasMessageContaining("secret is required");
    assertThatThrownBy(
            () ->
                WebhookChannel.builder()
                    .endpoint("ftp://hooks.example.com/x")
                    .secret(SECRET)
                    .build())
        .hasMessageContaining("scheme was 'ftp'");
    assertThatThrownBy(() -> WebhookChannel.builder().endpoint("/relative").secret(SECRET).build())
        .hasMessageContaining("absolute https URL");
    assertThatThrownBy(
            () ->
                WebhookChannel.builder()
                    .endpoint("https://user:pw@hooks.example.com/x")
                    .secret(SECRET)
                    .build())
        .hasMessageContaining("must not contain user information")
        .hasMessageNotContaining("pw");
    assertThatThrownBy(() -> WebhookChannel.builder().secret(new byte[0]))
        .hasMessage("secret must not be empty");
    assertThatThrownBy(() -> WebhookChannel.builder().connectTimeout(Duration.ZERO))
        .hasMessage("connectTimeout must be positive but was PT0S");
    assertThatThrownBy(() -> WebhookChannel.builder().requestTimeout(Duration.ofSeconds(-1)))
        .hasMessage("requestTimeout must be positive but was PT-1S");
    assertThatThrownBy(() -> WebhookChannel.builder().maxRetryAfter(Duration.ofSeconds(-1)))
        .hasMessage("maxRetryAfter must not be negative but was PT-1S");
    assertThatThrownBy(() -> WebhookChannel.builder().putHeader("idempotency-key", "x"))
        .hasMessageContaining("cannot be set");
    assertThatThrownBy(
            () ->
                WebhookChannel.builder()
                    .endpoint("https://hooks.example.com/x")
                    .secret(SECRET)
                    .connectTimeout(Duration.ofSeconds(1))
                    .httpClient(HttpClient.newHttpClient())
                    .build())
        .hasMessageContaining("connectTimeout applies only to the client the channel builds");
  }

  @Test
  void secret_neverInToStringOrFailureMessages() {
    receiver.reply(new Reply(400, Map.of()));
    receiver.reply(new Reply(503, Map.of("Retry-After", "1")));
    receiver.reply(Reply.HANG);
    ActionRequest request = Requests.request("ik-leak", Requests.CUSTOMER);
    List<String> texts = new ArrayList<>();
    try (WebhookChannel webhook =
        channel()
            .requestTimeout(Duration.ofMillis(300))
            .putHeader("Authorization", "Bearer tok-abc")
            .build()) {
      texts.add(webhook.toString());
      for (int i = 0; i < 3; i++) {
        ChannelException e =
            catchThrowableOfType(ChannelException.class, () -> webhook.deliver(request));
        for (Throwable t = e; t != null; t = t.getCause()) {
          texts.add(String.valueOf(t.getMessage()));
          texts.add(t.toString());
        }
      }
    }

    assertThat(texts)
        .isNotEmpty()
        .allSatisfy(
            t ->
                assertThat(t)
                    .doesNotContain(SECRET)
                    .doesNotContain("T0KEN")
                    .doesNotContain("tok-abc")
                    .doesNotContain(Requests.CUSTOMER)
                    .doesNotContain(Requests.TEMPLATE));
    assertThat(texts.get(0))
        .isEqualTo(
            "WebhookChannel[name=webhook, endpoint=http://127.0.0.1:"
                + receiver.port()
                + ", deduplicatesByKey=false]");
  }

  @Test
  void deliver_extraHeader_isSent() {
    try (WebhookChannel webhook =
        channel().putHeader("Authorization", "Bearer tok-abc").name("crm").build()) {
      DeliveryReceipt receipt = webhook.deliver(Requests.request("ik-auth"));

      assertThat(receipt.channel()).isEqualTo("crm");
      assertThat(webhook.name()).isEqualTo("crm");
    }
    assertThat(receiver.single().headers().getFirst("Authorization")).isEqualTo("Bearer tok-abc");
  }

  @Test
  void deliver_afterClose_isRejected() {
    WebhookChannel webhook = channel().build();
    webhook.close();
    webhook.close();

    assertThatThrownBy(() -> webhook.deliver(Requests.request("ik-closed")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("channel 'webhook' is closed");
    assertThat(receiver.received).isEmpty();
  }

  @Test
  void deliver_handedHttpClient_isUsed() {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (WebhookChannel webhook = channel().httpClient(client).build()) {
      assertThat(webhook.deliver(Requests.request("ik-client")).externalId()).isEqualTo("http-200");
    }
    assertThat(receiver.single().signatureValid()).isTrue();
  }

  record Reply(int status, Map<String, String> headers, boolean hang) {
    static final Reply OK = new Reply(200, Map.of());
    static final Reply HANG = new Reply(200, Map.of(), true);

    Reply(int status, Map<String, String> headers) {
      this(status, headers, false);
    }
  }

  record Received(
      String method, String path, Headers headers, String body, boolean signatureValid) {}

  /** A local HTTP receiver that verifies signatures and answers as scripted. */
  static final class Receiver implements AutoCloseable {
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Reply> script = new ConcurrentLinkedDeque<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(executor);
      server.createContext(
          "/",
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean valid =
                WebhookSignature.verify(
                    SECRET,
                    exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                    body,
                    NOW,
                    Duration.ofMinutes(5));
            received.add(
                new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(),
                    new String(body, StandardCharsets.UTF_8),
                    valid));
            @Nullable Reply reply = script.poll();
            if (reply == null) {
              reply = Reply.OK;
            }
            if (reply.hang()) {
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(reply.status(), -1);
            exchange.close();
          });
      server.start();
    }

    void reply(Reply reply) {
      script.add(reply);
    }

    int port() {
      return server.getAddress().getPort();
    }

    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port() + path);
    }

    Received single() {
      assertThat(received).hasSize(1);
      return received.get(0);
    }

    @Override
    public void close() {
      release.countDown();
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
