package dev.opagent.channels.inbound;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook routes on the JDK's HTTP server, for hosts without a web framework: {@code POST
 * /webhooks/shopify}, {@code /webhooks/sendgrid} and {@code /webhooks/twilio}, each handed to a
 * {@link FeedbackReceiver} and answered with its {@link WebhookResult} as JSON (Twilio with an
 * empty TwiML response). Only the providers with a secret at start are routed; others answer 404.
 * Bound to 127.0.0.1 by default (put a TLS-terminating proxy in front); a body over the limit is
 * answered 413 without being read further. Thread-safe; close it to stop.
 */
public final class WebhookServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

  /** The default limit of a request body: 1 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  private static final String EMPTY_TWIML =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

  private final HttpServer server;
  private final ExecutorService executor;
  private final FeedbackReceiver receiver;
  private final int maxBodyBytes;
  private final @Nullable URI publicUrl;
  private final Set<Provider> routed;

  private WebhookServer(Builder b) throws IOException {
    this.receiver = Objects.requireNonNull(b.receiver, "receiver must be set");
    this.maxBodyBytes = b.maxBodyBytes;
    this.publicUrl = b.publicUrl;
    this.routed = EnumSet.noneOf(Provider.class);
    routed.addAll(receiver.configured());
    this.server = HttpServer.create(new InetSocketAddress(b.address, b.port), 0);
    this.executor = Executors.newFixedThreadPool(b.threads);
    server.setExecutor(executor);
    for (Provider p : routed) {
      server.createContext(p.path(), exchange -> handle(p, exchange));
    }
    server.createContext(
        "/", exchange -> reply(exchange, 404, "application/json", "{\"error\":\"no such route\"}"));
    server.start();
  }

  /** A builder; {@link Builder#receiver} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port the server listens on (the one chosen when 0 was asked for). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address the server listens on. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The providers routed: those with a secret at start. */
  public Set<Provider> routed() {
    return Set.copyOf(routed);
  }

  private void handle(Provider provider, HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals(provider.path())) {
        reply(exchange, 404, "application/json", "{\"error\":\"no such route\"}");
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().add("Allow", "POST");
        reply(exchange, 405, "application/json", "{\"error\":\"POST the webhook\"}");
        return;
      }
      String length = exchange.getRequestHeaders().getFirst("Content-Length");
      if (length != null && tooLong(length)) {
        tooLarge(exchange);
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(maxBodyBytes + 1);
      }
      if (body.length > maxBodyBytes) {
        tooLarge(exchange);
        return;
      }
      WebhookResult result =
          switch (provider) {
            case SHOPIFY -> receiver.receiveShopify(exchange.getRequestHeaders(), body);
            case SENDGRID -> receiver.receiveSendGrid(exchange.getRequestHeaders(), body);
            case TWILIO ->
                receiver.receiveTwilio(url(exchange), exchange.getRequestHeaders(), body);
          };
      if (provider == Provider.TWILIO && result.isOk()) {
        reply(exchange, 200, "text/xml; charset=utf-8", EMPTY_TWIML);
      } else {
        reply(exchange, result.status(), "application/json", result.toJson());
      }
    } catch (RuntimeException e) {
      LOG.error("{} webhook failed: {}", provider.id(), e.getClass().getName());
      reply(exchange, 500, "application/json", "{\"error\":\"internal error\"}");
    }
  }

  private boolean tooLong(String length) {
    try {
      return Long.parseLong(length.trim()) > maxBodyBytes;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void tooLarge(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().add("Connection", "close");
    reply(
        exchange,
        413,
        "application/json",
        "{\"error\":\"the body is larger than " + maxBodyBytes + " bytes\"}");
  }

  /**
   * The URL Twilio requested: the public URL configured (a proxy's) with the request's path and
   * query, else this server's scheme, the Host header, the path and the query.
   */
  private String url(HttpExchange exchange) {
    URI uri = exchange.getRequestURI();
    String pathAndQuery =
        uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    URI base = publicUrl;
    if (base != null) {
      String b = base.toString();
      return (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + pathAndQuery;
    }
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host == null || host.isBlank()) {
      host = "127.0.0.1:" + port();
    }
    return "http://" + host + pathAndQuery;
  }

  private static void reply(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops listening and lets the requests under way finish (for up to five seconds). */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Configures a {@link WebhookServer}. Not thread-safe. */
  public static final class Builder {
    private @Nullable FeedbackReceiver receiver;
    private InetAddress address = InetAddress.getLoopbackAddress();
    private int port = 8080;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int threads = 4;
    private @Nullable URI publicUrl;

    private Builder() {}

    /** The receiver the routes hand the webhooks to. Required. */
    public Builder receiver(FeedbackReceiver receiver) {
      this.receiver = Objects.requireNonNull(receiver, "receiver");
      return this;
    }

    /** The address to listen on. Default: the loopback address, 127.0.0.1. */
    public Builder bind(InetAddress address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The port; 0 for any free one (see {@link WebhookServer#port()}). Default: 8080. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535 but was " + port);
      }
      this.port = port;
      return this;
    }

    /** The largest body accepted; a larger one is answered 413. Default: 1 MiB. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be positive but was " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** The threads that handle requests. Default: 4. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be positive but was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * The public base URL the providers call, such as {@code https://hooks.example.com}, when a
     * proxy is in front: Twilio signs the URL it called, not the one this server sees. Default:
     * none ({@code http://} and the Host header).
     */
    public Builder publicUrl(URI publicUrl) {
      this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
      return this;
    }

    /**
     * Starts the server.
     *
     * @throws IOException if the address cannot be bound
     */
    public WebhookServer start() throws IOException {
      return new WebhookServer(this);
    }
  }
}
