package dev.opagent.agent.execution.channels;

import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ChannelException;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each action as a signed HTTPS {@code POST} of its {@link ActionRequest#toJson() JSON
 * form} to one endpoint, with the JDK's {@link HttpClient}. Thread-safe; deliveries run
 * concurrently.
 *
 * <p>Every request carries {@code Content-Type: application/json}, {@code Idempotency-Key: <key>}
 * and {@value WebhookSignature#HEADER}{@code : t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">}, which the receiver checks with {@link WebhookSignature#verify}. What the answer
 * means:
 *
 * <ul>
 *   <li>2xx: delivered. The receipt's external id is the {@value #MESSAGE_ID_HEADER} response
 *       header, or {@code http-<status>}; with {@code Idempotent-Replayed: true} the receipt is a
 *       {@link DeliveryReceipt#duplicate() duplicate}.
 *   <li>429, 408 and 5xx: {@link ChannelException#retryable() retryable}, after the {@code
 *       Retry-After} the receiver sent (seconds or an HTTP date), capped at {@link
 *       Builder#maxRetryAfter}. Time-outs and I/O errors are retryable too.
 *   <li>any other status (4xx, and 3xx since redirects are not followed): permanent.
 * </ul>
 *
 * The channel makes one attempt per {@link #deliver}; the executor retries. Neither the secret nor
 * the body (which holds the customer id and parameters) appears in {@link #toString()}, logs or
 * exception messages, which name the endpoint by scheme, host and port only (paths of webhook URLs
 * often hold tokens).
 *
 * <pre>{@code
 * WebhookChannel webhook = WebhookChannel.builder()
 *     .endpoint("https://hooks.example.com/opagent/actions")
 *     .secret(System.getenv("OPAGENT_WEBHOOK_SECRET"))
 *     .deduplicatesByKey(true)          // the receiver honours Idempotency-Key
 *     .build();
 * DeliveryReceipt receipt = webhook.deliver(request);
 * }</pre>
 */
public final class WebhookChannel implements ActionChannel {
  /** The request header carrying the action's idempotency key: {@value}. */
  public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

  /** The response header read as the receipt's external id: {@value}. */
  public static final String MESSAGE_ID_HEADER = "X-Message-Id";

  /** The response header that, when {@code true}, marks the delivery a duplicate: {@value}. */
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private static final Logger LOG = LoggerFactory.getLogger(WebhookChannel.class);
  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "content-type",
          "idempotency-key",
          WebhookSignature.HEADER.toLowerCase(Locale.ROOT),
          "connection",
          "content-length",
          "expect",
          "host",
          "upgrade");

  private final String name;
  private final URI endpoint;
  private final String origin;
  private final byte[] secret;
  private final Duration requestTimeout;
  private final Duration maxRetryAfter;
  private final boolean deduplicatesByKey;
  private final Clock clock;
  private final HttpClient client;
  private final boolean ownsClient;
  private final Map<String, String> headers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private WebhookChannel(Builder b, URI endpoint, byte[] secret) {
    this.name = b.name;
    this.endpoint = endpoint;
    this.origin = origin(endpoint);
    this.secret = secret;
    this.requestTimeout = b.requestTimeout;
    this.maxRetryAfter = b.maxRetryAfter;
    this.deduplicatesByKey = b.deduplicatesByKey;
    this.clock = b.clock;
    this.headers = Map.copyOf(b.headers);
    if (b.httpClient != null) {
      this.client = b.httpClient;
      this.ownsClient = false;
    } else {
      this.client =
          HttpClient.newBuilder()
              .connectTimeout(b.connectTimeout)
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
      this.ownsClient = true;
    }
  }

  /** A builder; {@link Builder#endpoint} and {@link Builder#secret} are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean deduplicatesByKey() {
    return deduplicatesByKey;
  }

  /**
   * Posts {@code request} once.
   *
   * @return a receipt whose external id is the receiver's message id or {@code http-<status>}
   * @throws ChannelException retryable on 408, 429, 5xx, time-outs and I/O errors (with the
   *     receiver's {@code Retry-After}); permanent on any other status. Returns or throws within
   *     {@link Builder#requestTimeout} (plus scheduling slack), however slowly the receiver answers
   *     or sends its body
   * @throws IllegalStateException when the channel is closed
   */
  @Override
  public DeliveryReceipt deliver(ActionRequest request) {
    if (closed.get()) {
      throw new IllegalStateException("channel '" + name + "' is closed");
    }
    byte[] body = request.toJson().getBytes(StandardCharsets.UTF_8);
    Instant now = clock.instant();
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .header(IDEMPOTENCY_KEY_HEADER, request.idempotencyKey())
            .header(WebhookSignature.HEADER, WebhookSignature.sign(secret, now, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(rb::header);
    HttpResponse<Void> response =
        await(client.sendAsync(rb.build(), HttpResponse.BodyHandlers.discarding()));
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      String externalId =
          response
              .headers()
              .firstValue(MESSAGE_ID_HEADER)
              .filter(s -> !s.isBlank())
              .orElse("http-" + status);
      boolean replayed =
          response
              .headers()
              .firstValue(REPLAYED_HEADER)
              .map(v -> v.trim().equalsIgnoreCase("true"))
              .orElse(false);
      Instant at = clock.instant();
      LOG.debug(
          "channel {} delivered {} to {} with HTTP {}{}",
          name,
          request.idempotencyKey(),
          origin,
          status,
          replayed ? " (replayed)" : "");
      return replayed
          ? DeliveryReceipt.duplicate(request, name, externalId, at)
          : DeliveryReceipt.delivered(request, name, externalId, at);
    }
    if (status == 429 || status == 408 || status >= 500) {
      Duration wait =
          retryAfter(response.headers().firstValue("Retry-After"), clock.instant(), maxRetryAfter);
      throw ChannelException.retryable(
          name,
          "HTTP "
              + status
              + " from "
              + origin
              + (wait == null ? "" : ", retry after " + wait.toSeconds() + " s"),
          wait);
    }
    throw ChannelException.permanent(
        name,
        "HTTP "
            + status
            + " from "
            + origin
            + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
  }

  /**
   * Waits for the whole exchange (connection, request, status, headers and every byte of the body)
   * for at most {@link Builder#requestTimeout}, and aborts it when that passes: the client's own
   * request timeout stops at the headers, so a receiver trickling its body would otherwise hold the
   * caller for as long as it likes.
   */
  private HttpResponse<Void> await(CompletableFuture<HttpResponse<Void>> exchange) {
    try {
      return exchange.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      HttpTimeoutException timeout = new HttpTimeoutException("exchange deadline passed");
      timeout.initCause(e);
      throw new ChannelException(
          name,
          "no response from " + origin + " within " + requestTimeout.toMillis() + " ms",
          true,
          null,
          timeout);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new ChannelException(name, "interrupted while posting to " + origin, true, null, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpConnectTimeoutException) {
        throw new ChannelException(
            name,
            "could not connect to " + origin + " within the " + "connect timeout",
            true,
            null,
            cause);
      }
      if (cause instanceof HttpTimeoutException) {
        throw new ChannelException(
            name,
            "no response from " + origin + " within " + requestTimeout.toMillis() + " ms",
            true,
            null,
            cause);
      }
      if (cause instanceof IOException) {
        throw new ChannelException(
            name,
            "I/O error talking to " + origin + ": " + cause.getClass().getSimpleName(),
            true,
            null,
            cause);
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new ChannelException(
          name,
          "posting to " + origin + " failed: " + cause.getClass().getSimpleName(),
          true,
          null,
          cause);
    }
  }

  /**
   * Stops accepting deliveries and releases the HTTP client if the channel created it (on Java 21
   * and later, where it can be closed). A client handed to the builder is left open. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsClient && client instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug(
            "channel {}: closing the HTTP client failed: {}", name, e.getClass().getSimpleName());
      }
    }
  }

  /** The name, the endpoint's scheme, host and port, and whether it deduplicates. */
  @Override
  public String toString() {
    return "WebhookChannel[name="
        + name
        + ", endpoint="
        + origin
        + ", deduplicatesByKey="
        + deduplicatesByKey
        + "]";
  }

  static @Nullable Duration retryAfter(Optional<String> header, Instant now, Duration max) {
    if (header.isEmpty()) {
      return null;
    }
    String v = header.get().trim();
    if (v.isEmpty()) {
      return null;
    }
    Duration d;
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      d = v.length() > 12 ? max : Duration.ofSeconds(Long.parseLong(v));
    } else {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        d = Duration.between(now, at);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    if (d.isNegative()) {
      return Duration.ZERO;
    }
    return d.compareTo(max) > 0 ? max : d;
  }

  private static String origin(URI uri) {
    return uri.getScheme().toLowerCase(Locale.ROOT)
        + "://"
        + uri.getHost()
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  /**
   * Builds a {@link WebhookChannel}. Not thread-safe. The secret is copied, never shown.
   *
   * <pre>{@code
   * WebhookChannel.builder()
   *     .endpoint("https://hooks.example.com/opagent")
   *     .secret(secretBytes)
   *     .requestTimeout(Duration.ofSeconds(3))
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private String name = "webhook";
    private @Nullable URI endpoint;
    private byte @Nullable [] secret;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private boolean connectTimeoutSet;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration maxRetryAfter = Duration.ofMinutes(5);
    private boolean deduplicatesByKey;
    private boolean allowInsecureHttp;
    private Clock clock = Clock.systemUTC();
    private @Nullable HttpClient httpClient;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The channel's name in routes, receipts and logs. Change it to register several webhooks.
     * Default: {@code webhook}.
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** Where to post. Required; must be {@code https} unless {@link #allowInsecureHttp()}. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /**
     * Where to post, as a URL string.
     *
     * @throws IllegalArgumentException when it is not a URI
     */
    public Builder endpoint(String endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      try {
        return endpoint(new URI(endpoint));
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("endpoint is not a valid URL: " + e.getReason());
      }
    }

    /** The shared secret the signature is keyed with. Required; copied. */
    public Builder secret(byte[] secret) {
      Objects.requireNonNull(secret, "secret");
      if (secret.length == 0) {
        throw new IllegalArgumentException("secret must not be empty");
      }
      this.secret = secret.clone();
      return this;
    }

    /** The shared secret as text, used as its UTF-8 bytes. Required. */
    public Builder secret(String secret) {
      return secret(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * How long to wait for a connection. Lower it to fail over sooner when the receiver is down.
     * Default: 5 seconds. Not allowed with {@link #httpClient}, whose own timeout applies.
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      this.connectTimeoutSet = true;
      return this;
    }

    /**
     * The deadline of one {@link WebhookChannel#deliver}: connecting, sending the request and
     * reading the whole response, body included, must finish within it, or the exchange is aborted
     * and the delivery fails retryably. Raise it for slow receivers; a time-out is retryable, so
     * the receiver should deduplicate by {@code Idempotency-Key}. Default: 10 seconds.
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * The longest {@code Retry-After} passed on to the executor; longer requests are capped so a
     * misbehaving receiver cannot stall a round. Default: 5 minutes.
     */
    public Builder maxRetryAfter(Duration max) {
      Objects.requireNonNull(max, "maxRetryAfter");
      if (max.isNegative()) {
        throw new IllegalArgumentException("maxRetryAfter must not be negative but was " + max);
      }
      this.maxRetryAfter = max;
      return this;
    }

    /**
     * Declares that the receiver honours {@code Idempotency-Key}, so a repeated delivery is a no-op
     * (see {@link ActionChannel#deduplicatesByKey()}). Default: false.
     */
    public Builder deduplicatesByKey(boolean deduplicates) {
      this.deduplicatesByKey = deduplicates;
      return this;
    }

    /**
     * Allows a plain {@code http} endpoint, which sends customer data unencrypted. For local tests
     * only. Default: only {@code https}.
     */
    public Builder allowInsecureHttp() {
      this.allowInsecureHttp = true;
      return this;
    }

    /**
     * A header sent with every request, such as {@code Authorization}. Its value is never shown.
     *
     * @throws IllegalArgumentException for headers the channel sets itself ({@code Content-Type},
     *     {@code Idempotency-Key}, the signature) or the HTTP client forbids
     */
    public Builder putHeader(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isBlank() || RESERVED_HEADERS.contains(name.trim().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "header '" + name + "' cannot be set; the channel " + "or the HTTP client sets it");
      }
      headers.put(name.trim(), value);
      return this;
    }

    /** The clock for signature times, receipts and HTTP-date {@code Retry-After}. Default: UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The HTTP client to use, for a proxy, an {@code SSLContext} or an executor of your own. The
     * channel never closes it. Default: a client the channel builds and owns, with {@link
     * #connectTimeout} and no redirects.
     */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * The channel.
     *
     * @throws IllegalArgumentException when the endpoint or secret is missing, the endpoint is not
     *     {@code https} (without {@link #allowInsecureHttp()}), or options conflict
     */
    public WebhookChannel build() {
      if (endpoint == null) {
        throw new IllegalArgumentException("endpoint is required: call endpoint(\"https://...\")");
      }
      URI uri = endpoint;
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!uri.isAbsolute() || uri.getHost() == null) {
        throw new IllegalArgumentException("endpoint must be an absolute https URL with a host");
      }
      if (uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "endpoint must not contain user information; send "
                + "credentials with putHeader(\"Authorization\", ...)");
      }
      if (scheme.equals("http")) {
        if (!allowInsecureHttp) {
          throw new IllegalArgumentException(
              "webhook endpoint must use https but was "
                  + origin(uri)
                  + "; call allowInsecureHttp() to allow plain HTTP for local tests");
        }
      } else if (!scheme.equals("https")) {
        throw new IllegalArgumentException(
            "webhook endpoint must use https but the scheme was '" + scheme + "'");
      }
      if (secret == null) {
        throw new IllegalArgumentException(
            "secret is required: receivers verify "
                + WebhookSignature.HEADER
                + " with it; call secret(...)");
      }
      if (httpClient != null && connectTimeoutSet) {
        throw new IllegalArgumentException(
            "connectTimeout applies only to the client the "
                + "channel builds; set it on the HttpClient passed to httpClient(...)");
      }
      return new WebhookChannel(this, uri, secret.clone());
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive but was " + d);
      }
      return d;
    }
  }
}
