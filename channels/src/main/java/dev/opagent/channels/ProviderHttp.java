package dev.opagent.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.execution.spi.ChannelException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP plumbing the provider channels share: one {@link HttpClient} with a connect timeout and
 * no redirects, a deadline on the whole exchange, a {@code User-Agent}, and the mapping of what
 * went wrong to a {@link ChannelException}: I/O errors and time-outs, {@code 408}, {@code 429} and
 * {@code 5xx} are retryable (after the provider's {@code Retry-After}, capped), every other status
 * is permanent. Thread-safe.
 *
 * <p>Messages name the provider by scheme, host and port only, and quote the provider's own error
 * text only after {@link #clean cleaning} it: credentials are cut out, e-mail addresses and phone
 * numbers are masked, and it is shortened. Request bodies (which hold addresses and template data)
 * are never logged or quoted.
 *
 * <p>Built by a channel's builder ({@link ProviderChannelBuilder}); hosts do not use it directly.
 */
public final class ProviderHttp implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The {@code User-Agent} sent unless a builder sets another: {@value}. */
  public static final String DEFAULT_USER_AGENT = "opagent-channels (java.net.http)";

  /** The longest provider error text quoted in a message: {@value} characters. */
  public static final int MAX_PROVIDER_TEXT = 300;

  private static final Logger LOG = LoggerFactory.getLogger(ProviderHttp.class);
  private static final int MAX_BODY = 1 << 20;
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  private static final Pattern PHONE = Pattern.compile("\\+?\\d[\\d ().-]{5,}\\d");
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^ ]]+");

  private final String channel;
  private final URI base;
  private final String origin;
  private final Duration requestTimeout;
  private final Duration maxRetryAfter;
  private final Clock clock;
  private final String userAgent;
  private final HttpClient client;
  private final boolean ownsClient;
  private final AtomicBoolean closed = new AtomicBoolean();

  ProviderHttp(
      String channel,
      URI base,
      Duration connectTimeout,
      Duration requestTimeout,
      Duration maxRetryAfter,
      Clock clock,
      String userAgent,
      @Nullable HttpClient client) {
    this.channel = channel;
    this.base = base;
    this.origin = origin(base);
    this.requestTimeout = requestTimeout;
    this.maxRetryAfter = maxRetryAfter;
    this.clock = clock;
    this.userAgent = userAgent;
    if (client != null) {
      this.client = client;
      this.ownsClient = false;
    } else {
      this.client =
          HttpClient.newBuilder()
              .connectTimeout(connectTimeout)
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
      this.ownsClient = true;
    }
  }

  /**
   * An answer: its status, headers and body (decoded as UTF-8, at most 1 MiB).
   *
   * @param status the HTTP status
   * @param headers the response headers
   * @param body the body, empty when there was none
   */
  public record Response(int status, HttpHeaders headers, String body) {
    /** Whether the status is 2xx. */
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The first value of header {@code name}, if present and not blank. */
    public Optional<String> header(String name) {
      return headers.firstValue(name).map(String::trim).filter(s -> !s.isEmpty());
    }
  }

  /** The channel name used in exceptions. */
  public String channel() {
    return channel;
  }

  /** The provider's scheme, host and port, as named in messages and logs. */
  public String origin() {
    return origin;
  }

  /** The clock for receipts and rate-limit resets. */
  public Clock clock() {
    return clock;
  }

  /** The base URL joined with {@code path}, which starts with {@code /} and is already encoded. */
  public URI resolve(String path) {
    String b = base.toString();
    if (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    return URI.create(b + path);
  }

  /**
   * Posts {@code body} to {@code uri} once, with {@code Content-Type: contentType}, {@code Accept:
   * application/json}, the {@code User-Agent} and {@code headers} (credentials among them, never
   * shown). Returns within the request timeout (plus scheduling slack).
   *
   * @return the answer, whatever its status
   * @throws ChannelException retryable on time-outs, I/O errors and interruption
   * @throws IllegalStateException when closed
   */
  public Response post(URI uri, String contentType, Map<String, String> headers, byte[] body) {
    if (closed.get()) {
      throw new IllegalStateException("channel '" + channel + "' is closed");
    }
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Content-Type", contentType)
            .header("Accept", "application/json")
            .header("User-Agent", userAgent)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(rb::header);
    HttpResponse<byte[]> r =
        await(client.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofByteArray()));
    byte[] bytes = r.body() == null ? new byte[0] : r.body();
    int n = Math.min(bytes.length, MAX_BODY);
    return new Response(
        r.statusCode(), r.headers(), new String(bytes, 0, n, StandardCharsets.UTF_8));
  }

  /**
   * The failure an unsuccessful status means: retryable for 408, 429 and 5xx (after {@code
   * retryAfter}, or the response's {@code Retry-After} when null), permanent otherwise. The message
   * is {@code HTTP <status> from <origin>: <providerText>}; pass text already {@link #clean
   * cleaned}.
   */
  public ChannelException failure(Response r, String providerText, @Nullable Duration retryAfter) {
    int status = r.status();
    String message =
        "HTTP " + status + " from " + origin + (providerText.isEmpty() ? "" : ": " + providerText);
    if (retryableStatus(status)) {
      Duration wait = retryAfter != null ? cap(retryAfter) : retryAfter(r);
      return retryable(message, wait);
    }
    if (status >= 300 && status < 400) {
      message += " (redirects are not followed)";
    }
    return ChannelException.permanent(channel, message);
  }

  /** Whether an HTTP status is worth another attempt: 408, 429 and 5xx. */
  public static boolean retryableStatus(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  /**
   * A retryable failure, after {@code wait} (capped at the builder's {@code maxRetryAfter}) when
   * given; the wait is appended to the message.
   */
  public ChannelException retryable(String message, @Nullable Duration wait) {
    Duration w = wait == null ? null : cap(wait);
    return ChannelException.retryable(
        channel, message + (w == null ? "" : ", retry after " + w.toMillis() + " ms"), w);
  }

  /** A permanent failure with {@code message}. */
  public ChannelException permanent(String message) {
    return ChannelException.permanent(channel, message);
  }

  /** {@code d} capped at the builder's {@code maxRetryAfter}, and at least zero. */
  public Duration cap(Duration d) {
    if (d.isNegative()) {
      return Duration.ZERO;
    }
    return d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d;
  }

  /** The response's {@code Retry-After} (seconds or an HTTP date), capped; null when absent. */
  public @Nullable Duration retryAfter(Response r) {
    Optional<String> h = r.header("Retry-After");
    if (h.isEmpty()) {
      return null;
    }
    String v = h.get();
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return v.length() > 12 ? maxRetryAfter : cap(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return cap(Duration.between(clock.instant(), at));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The time from now until {@code epochSeconds} (a header such as SendGrid's {@code
   * X-RateLimit-Reset}), capped; null when absent or not a number.
   */
  public @Nullable Duration untilEpochSeconds(Optional<String> epochSeconds) {
    if (epochSeconds.isEmpty()) {
      return null;
    }
    String v = epochSeconds.get().trim();
    if (v.isEmpty() || v.length() > 12 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return cap(Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(v))));
  }

  /** A provider's response body as JSON, or null when it is empty or not JSON. */
  public static @Nullable JsonNode json(String body) {
    if (body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * A provider's error text made safe to quote: every occurrence of each of {@code secrets} is
   * replaced by {@code ****}, e-mail addresses by {@code [email]}, phone numbers (and other runs of
   * seven or more digits) by {@code [number]}, control characters by a space, and the result is
   * shortened to {@value #MAX_PROVIDER_TEXT} characters.
   */
  public static String clean(@Nullable String text, Secret... secrets) {
    if (text == null) {
      return "";
    }
    String s = text;
    for (Secret secret : secrets) {
      s = s.replace(secret.reveal(), "****");
    }
    s = EMAIL.matcher(s).replaceAll("[email]");
    s = PHONE.matcher(s).replaceAll("[number]");
    s = CONTROL.matcher(s).replaceAll(" ").trim();
    if (s.length() > MAX_PROVIDER_TEXT) {
      s = s.substring(0, MAX_PROVIDER_TEXT - 1) + "…";
    }
    return s;
  }

  private HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> exchange) {
    try {
      return exchange.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new ChannelException(
          channel,
          "no response from " + origin + " within " + requestTimeout.toMillis() + " ms",
          true,
          null,
          e);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new ChannelException(channel, "interrupted while calling " + origin, true, null, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String what;
      if (cause instanceof HttpConnectTimeoutException) {
        what = "could not connect to " + origin + " within the connect timeout";
      } else if (cause instanceof HttpTimeoutException) {
        what = "no response from " + origin + " within " + requestTimeout.toMillis() + " ms";
      } else if (cause instanceof IOException) {
        what = "I/O error talking to " + origin + ": " + cause.getClass().getSimpleName();
      } else if (cause instanceof RuntimeException r) {
        throw r;
      } else {
        what = "calling " + origin + " failed: " + cause.getClass().getSimpleName();
      }
      LOG.debug("channel {}: {}", channel, what);
      throw new ChannelException(channel, what, true, null, cause);
    }
  }

  /**
   * Refuses further requests and releases the HTTP client if the channel built it (on Java 21 and
   * later, where it can be closed). Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsClient && client instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug(
            "channel {}: closing the HTTP client failed: {}",
            channel,
            e.getClass().getSimpleName());
      }
    }
  }

  /** The channel's name and the provider's origin. */
  @Override
  public String toString() {
    return "ProviderHttp[channel=" + channel + ", origin=" + origin + "]";
  }

  static String origin(URI uri) {
    return (uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT))
        + "://"
        + uri.getHost()
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }
}
