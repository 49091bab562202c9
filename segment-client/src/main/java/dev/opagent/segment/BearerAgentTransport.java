package dev.opagent.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.segment.internal.SseParser;
import dev.opagent.segment.spi.AgentRequest;
import dev.opagent.segment.spi.AgentResponse;
import dev.opagent.segment.spi.AgentTransport;
import dev.opagent.segment.spi.TraceContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Calls {@code InvokeAgentRuntime} over HTTPS with an OAuth bearer token, for agent runtimes
 * configured with inbound OAuth, which the AWS SDK cannot call (it signs with SigV4). The request
 * is the SDK's: the same path, query, session and user headers, body, and answers read the same way
 * (JSON or server-sent events, at most {@link AwsAgentTransport#MAX_RESPONSE_BYTES}); errors map to
 * the same {@link ErrorCode}s. A 401 fetches a new token and sends the request once more.
 * Thread-safe.
 */
final class BearerAgentTransport implements AgentTransport {
  /** A token this close to its expiry is replaced before it is used. */
  static final Duration REFRESH_AHEAD = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI endpoint;
  private final BearerTokenProvider tokens;
  private final Duration attemptTimeout;
  private final Clock clock;
  private final boolean payloadLogging;

  /** One thread fetches tokens, so the provider is never called twice at once or on a sender. */
  private final ExecutorService fetcher =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "opagent-bearer-token");
            t.setDaemon(true);
            return t;
          });

  /** The current token, or the fetch of the next one; guarded by this. */
  private @Nullable CompletableFuture<BearerToken> current;

  BearerAgentTransport(
      URI endpoint,
      BearerTokenProvider tokens,
      Duration attemptTimeout,
      Clock clock,
      boolean payloadLogging) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.attemptTimeout = attemptTimeout;
    this.clock = clock;
    this.payloadLogging = payloadLogging;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The public endpoint of AgentCore in {@code region}. */
  static URI endpointOf(String region) {
    return URI.create("https://bedrock-agentcore." + region + ".amazonaws.com");
  }

  @Override
  public CompletableFuture<AgentResponse> invoke(AgentRequest request) {
    return authorized(t -> send(request, t))
        .thenApply(this::answer)
        .exceptionally(
            e -> {
              throw new CompletionException(AwsAgentTransport.AwsErrors.map(e, payloadLogging));
            });
  }

  /**
   * {@code StopRuntimeSession} over HTTPS with the bearer token: {@code POST
   * /runtimes/{arn}/stopruntimesession}, the session in its header.
   */
  @Override
  public CompletableFuture<Void> stopSession(
      String agentRuntimeArn, String qualifier, String sessionId) {
    return authorized(
            t ->
                http.sendAsync(
                    request(agentRuntimeArn, "stopruntimesession", qualifier, sessionId, t)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                    info -> new Collector(contentType(info))))
        .thenAccept(this::answer)
        .exceptionally(
            e -> {
              throw new CompletionException(AwsAgentTransport.AwsErrors.map(e, payloadLogging));
            });
  }

  /** Sends with the current token and, after a 401, once more with a new one. */
  private CompletableFuture<HttpResponse<Body>> authorized(
      Function<BearerToken, CompletableFuture<HttpResponse<Body>>> send) {
    CompletableFuture<BearerToken> token = token(null);
    return token
        .thenCompose(send)
        .thenCompose(
            r -> {
              if (r.statusCode() != 401) {
                return CompletableFuture.completedFuture(r);
              }
              // Revoked or expired early: one new token, one more try.
              return token(token).thenCompose(send);
            });
  }

  /**
   * The token to send: the current one while it is fresh, else a fetched one; {@code rejected}, the
   * future of a token the agent refused, is replaced even if it looks fresh.
   */
  private synchronized CompletableFuture<BearerToken> token(
      @Nullable CompletableFuture<BearerToken> rejected) {
    CompletableFuture<BearerToken> c = current;
    if (c != null && c != rejected) {
      if (!c.isDone()) {
        return c;
      }
      BearerToken t = c.isCompletedExceptionally() ? null : c.join();
      if (t != null
          && (t.expiresAt() == null
              || t.expiresAt().isAfter(clock.instant().plus(REFRESH_AHEAD)))) {
        return c;
      }
    }
    CompletableFuture<BearerToken> next =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return Objects.requireNonNull(tokens.fetch(), "the token provider returned null");
              } catch (Exception e) {
                throw new CompletionException(
                    new SegmentException(
                        ErrorCode.ACCESS_DENIED,
                        "the bearer token provider failed ("
                            + e.getClass().getSimpleName()
                            + "); no token to call the agent with",
                        0,
                        null,
                        null,
                        null));
              }
            },
            fetcher);
    current = next;
    return next;
  }

  private CompletableFuture<HttpResponse<Body>> send(AgentRequest request, BearerToken token) {
    HttpRequest.Builder b =
        request(
                request.agentRuntimeArn(),
                "invocations",
                request.qualifier(),
                request.sessionId(),
                token)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.payload()));
    if (request.userId() != null) {
      b.header("X-Amzn-Bedrock-AgentCore-Runtime-User-Id", request.userId());
    }
    TraceContext trace = request.trace();
    if (trace != null) {
      header(b, "traceparent", trace.traceParent());
      header(b, "tracestate", trace.traceState());
      header(b, "baggage", trace.baggage());
    }
    return http.sendAsync(b.build(), info -> new Collector(contentType(info)));
  }

  /** A request to {@code operation} of a runtime, with its session and the bearer token. */
  private HttpRequest.Builder request(
      String agentRuntimeArn,
      String operation,
      String qualifier,
      String sessionId,
      BearerToken token) {
    String path =
        "/runtimes/"
            + URLEncoder.encode(agentRuntimeArn, StandardCharsets.UTF_8)
            + "/"
            + operation
            + "?qualifier="
            + URLEncoder.encode(qualifier, StandardCharsets.UTF_8);
    return HttpRequest.newBuilder(endpoint.resolve(path))
        .timeout(attemptTimeout.plusMinutes(1))
        .header("Authorization", "Bearer " + token.value())
        .header("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id", sessionId);
  }

  private static void header(HttpRequest.Builder b, String name, @Nullable String value) {
    if (value != null && !value.isEmpty()) {
      b.header(name, value);
    }
  }

  private static String contentType(HttpResponse.ResponseInfo info) {
    return info.headers().firstValue("Content-Type").orElse("application/json");
  }

  /** A 2xx answer as the agent's response; anything else as the error it stands for. */
  private AgentResponse answer(HttpResponse<Body> r) {
    Body body = r.body();
    String requestId = r.headers().firstValue("x-amzn-RequestId").orElse(null);
    if (body.tooLarge) {
      throw new SegmentException(
          ErrorCode.MALFORMED_RESPONSE,
          "the agent's answer exceeded " + AwsAgentTransport.MAX_RESPONSE_BYTES + " bytes",
          0,
          requestId,
          r.statusCode(),
          null);
    }
    if (r.statusCode() / 100 == 2) {
      return new AgentResponse(body.contentType, body.text(), body.events, requestId);
    }
    String type = r.headers().firstValue("x-amzn-ErrorType").orElse("");
    int colon = type.indexOf(':');
    if (colon >= 0) {
      type = type.substring(0, colon);
    }
    throw AwsAgentTransport.AwsErrors.serviceError(
        r.statusCode(),
        type,
        serviceMessage(body.text()),
        requestId,
        payloadLogging,
        " (check the bearer token provider's audience, client id and scopes against the agent"
            + " runtime's inbound OAuth authorizer; a 401 was retried once with a new token)");
  }

  private static @Nullable String serviceMessage(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      JsonNode m = n == null ? null : n.has("message") ? n.get("message") : n.get("Message");
      return m != null && m.isTextual() ? m.textValue() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public void close() {
    fetcher.shutdownNow();
  }

  /** A response body read up to the size limit, with its server-sent events. */
  private static final class Body {
    final String contentType;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    List<String> events = List.of();
    boolean tooLarge;

    Body(String contentType) {
      this.contentType = contentType;
    }

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  /** Reads a body as it streams in, parsing events; stops reading past the size limit. */
  private static final class Collector implements HttpResponse.BodySubscriber<Body> {
    private final Body body;
    private final boolean eventStream;
    private final SseParser sse = new SseParser();
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private Flow.@Nullable Subscription subscription;

    Collector(String contentType) {
      this.body = new Body(contentType);
      this.eventStream = contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    }

    @Override
    public CompletableFuture<Body> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> chunks) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer chunk : chunks) {
        if (body.bytes.size() + chunk.remaining() > AwsAgentTransport.MAX_RESPONSE_BYTES) {
          body.tooLarge = true;
          Flow.Subscription s = subscription;
          if (s != null) {
            s.cancel();
          }
          result.complete(body);
          return;
        }
        byte[] b = new byte[chunk.remaining()];
        chunk.get(b);
        body.bytes.write(b, 0, b.length);
        if (eventStream) {
          sse.feed(b);
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      if (eventStream) {
        body.events = sse.finish();
      }
      result.complete(body);
    }
  }
}
