package dev.opagent.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.CustomerDataValidator;
import dev.opagent.segment.InvalidInputException;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.internal.wire.Json;
import dev.opagent.segment.spi.TraceContext;
import dev.opagent.testkit.internal.RequestRandom;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated AgentCore data plane: routes {@code InvokeAgentRuntime} and {@code
 * StopRuntimeSession}, applies access, resource, validation and quota checks, injects faults and
 * answers with the reference segmenter. Thread-safe.
 *
 * <p>The handler threads only read the request and decide the answer; the answer is sent at once
 * when there is no latency, else from the scheduler when the latency has passed, so a slow answer
 * holds no thread.
 */
final class SimulatorHandler implements HttpHandler {
  /** The session header. */
  public static final String SESSION_HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id";

  /** The user header. */
  public static final String USER_HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-User-Id";

  /** The header that names the error type. */
  public static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorHandler.class);
  private static final String PREFIX = "/runtimes/";
  private static final int MIN_SESSION_ID = 33;
  private static final int MAX_SESSION_ID = 256;

  private final SimulatorConfig config;
  private final ReferenceSegmenter segmenter;
  private final ScheduledExecutorService scheduler;
  private final @Nullable TokenBucket bucket;
  private final SessionTracker sessions;
  private final Counters counters = new Counters();
  private final AtomicLong requestSequence = new AtomicLong();
  private volatile @Nullable Fault outage;

  /** A handler answering per {@code config}, sending delayed answers from {@code scheduler}. */
  public SimulatorHandler(SimulatorConfig config, ScheduledExecutorService scheduler) {
    this.config = config;
    this.segmenter = new ReferenceSegmenter(config.clock());
    this.scheduler = scheduler;
    this.bucket =
        config.requestsPerSecond() > 0
            ? new TokenBucket(config.requestsPerSecond(), config.burst(), config.ticker())
            : null;
    this.sessions =
        new SessionTracker(
            config.maxActiveSessions(), config.sessionIdleTimeout(), config.ticker());
  }

  public Counters counters() {
    return counters;
  }

  public SessionTracker sessions() {
    return sessions;
  }

  public ReferenceSegmenter segmenter() {
    return segmenter;
  }

  /** Makes every invocation fail with {@code fault}, or, with {@code null}, answer normally. */
  public void outage(@Nullable Fault fault) {
    this.outage = fault;
  }

  public @Nullable Fault outage() {
    return outage;
  }

  @Override
  public void handle(HttpExchange exchange) {
    Call call = new Call(exchange, nextRequestId());
    try {
      route(call);
    } catch (RuntimeException | IOException | Error e) {
      LOG.warn(
          "simulator failed to handle {} {}",
          exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath(),
          e);
      if (!call.headersSent) {
        call.error(
            500,
            "InternalServerException",
            "The simulator failed: " + e.getClass().getName(),
            Outcome.INTERNAL_ERROR);
      } else {
        call.finish(Outcome.INTERNAL_ERROR);
        exchange.close();
      }
    }
  }

  private void route(Call call) throws IOException {
    HttpExchange ex = call.exchange;
    String path = ex.getRequestURI().getRawPath();
    int slash = path.startsWith(PREFIX) ? path.indexOf('/', PREFIX.length()) : -1;
    String operation = slash < 0 ? "" : path.substring(slash + 1);
    boolean post = ex.getRequestMethod().equals("POST");
    if (post && operation.equals("invocations")) {
      counters.enter();
      call.counted = true;
      invoke(call, decode(path.substring(PREFIX.length(), slash)));
    } else if (post && operation.equals("stopruntimesession")) {
      stopSession(call, decode(path.substring(PREFIX.length(), slash)));
    } else {
      call.error(
          404,
          "UnknownOperationException",
          "No operation " + ex.getRequestMethod() + " " + path,
          null);
    }
  }

  private void invoke(Call call, String arn) throws IOException {
    HttpExchange ex = call.exchange;
    Fault down = outage;
    if (down != null) {
      drainQuietly(ex);
      fail(
          call,
          down,
          variant(new SplittableRandom(call.sequence)),
          Duration.ZERO,
          sessionOrGenerated(call));
      return;
    }
    if (!checkAccessAndResource(call, arn)) {
      return;
    }
    String sessionId = sessionOrGenerated(call);
    record(sessionId, ex.getRequestHeaders());
    if (sessionId.length() < MIN_SESSION_ID || sessionId.length() > MAX_SESSION_ID) {
      call.error(
          400,
          "ValidationException",
          "1 validation error detected: Value at"
              + " 'runtimeSessionId' failed to satisfy constraint: Member must have length between "
              + MIN_SESSION_ID
              + " and "
              + MAX_SESSION_ID,
          Outcome.VALIDATION_ERROR);
      return;
    }
    byte[] body = readBody(call);
    if (body == null) {
      return;
    }
    if (bucket != null && !bucket.tryAcquire()) {
      call.error(
          429,
          "ThrottlingException",
          "Rate exceeded: InvokeAgentRuntime is limited to "
              + config.requestsPerSecond()
              + " requests per second",
          Outcome.THROTTLED);
      return;
    }
    if (!sessions.use(sessionId)) {
      call.error(
          402,
          "ServiceQuotaExceededException",
          "The number of active runtime sessions"
              + " has reached the quota of "
              + config.maxActiveSessions()
              + ". Stop idle sessions with StopRuntimeSession or request a quota increase.",
          Outcome.SESSION_QUOTA_EXCEEDED);
      return;
    }
    CustomerData data;
    try {
      // Bounded like the client's own reading: size, nesting and every number's digits.
      JsonNode payload = Json.readTree(body);
      if (!payload.isObject() || !payload.path("customerData").isObject()) {
        throw new InvalidInputException("customerData", "must be a JSON object");
      }
      data = CustomerData.fromJson(payload.get("customerData").toString());
      CustomerDataValidator.validate(data);
    } catch (Json.UnreadableJsonException e) {
      call.error(
          400,
          "ValidationException",
          e.path().isEmpty()
              ? "The payload " + e.reason()
              : "Invalid payload: " + e.path().substring(1) + " " + e.reason(),
          Outcome.VALIDATION_ERROR);
      return;
    } catch (InvalidInputException e) {
      call.error(
          400,
          "ValidationException",
          "Invalid payload: " + e.getMessage(),
          Outcome.VALIDATION_ERROR);
      return;
    }
    String customerId = data.customerId();
    long n = counters.call(customerId);
    SplittableRandom random = RequestRandom.of(config.seed(), customerId, n);
    double draw = random.nextDouble();
    Duration latency = config.latency().sample(random);
    int variant = variant(random);
    Fault fault = config.poisonCustomers().get(customerId);
    if (fault == null) {
      fault = drawFault(draw);
    }
    if (fault != null) {
      fail(call, fault, variant, latency, sessionId);
      return;
    }
    SegmentAnalysis analysis;
    try {
      analysis = segmenter.analyze(data);
    } catch (InvalidInputException e) {
      call.error(
          400,
          "ValidationException",
          "Invalid payload: " + e.getMessage(),
          Outcome.VALIDATION_ERROR);
      return;
    }
    String answer = "{\"analysis\":" + analysis.toJson() + "}";
    if (config.responseShape() == ResponseShape.EVENT_STREAM) {
      stream(
          call,
          sessionId,
          Wire.events(data, answer, config.streamProgressEvents()),
          latency,
          Outcome.OK,
          false);
    } else {
      later(
          latency,
          () ->
              call.send(
                  200,
                  "application/json",
                  sessionId,
                  answer.getBytes(StandardCharsets.UTF_8),
                  Outcome.OK));
    }
  }

  private void stopSession(Call call, String arn) throws IOException {
    drainQuietly(call.exchange);
    if (!checkAccessAndResource(call, arn)) {
      return;
    }
    String sessionId = call.exchange.getRequestHeaders().getFirst(SESSION_HEADER);
    if (sessionId == null
        || sessionId.length() < MIN_SESSION_ID
        || sessionId.length() > MAX_SESSION_ID) {
      call.error(
          400,
          "ValidationException",
          "runtimeSessionId must have length between " + MIN_SESSION_ID + " and " + MAX_SESSION_ID,
          null);
      return;
    }
    if (!sessions.stop(sessionId)) {
      call.error(
          404, "ResourceNotFoundException", "No active runtime session with the given id", null);
      return;
    }
    call.send(200, "application/json", sessionId, "{}".getBytes(StandardCharsets.UTF_8), null);
  }

  /** What the latest invocations carried besides their payload, newest last. */
  private final java.util.ArrayDeque<ReceivedRequest> received = new java.util.ArrayDeque<>();

  private void record(String sessionId, Headers headers) {
    ReceivedRequest r =
        new ReceivedRequest(
            sessionId,
            headers.getFirst(USER_HEADER),
            new TraceContext(
                headers.getFirst("traceparent"),
                headers.getFirst("tracestate"),
                headers.getFirst("baggage")));
    synchronized (received) {
      if (received.size() == MAX_RECEIVED) {
        received.removeFirst();
      }
      received.addLast(r);
    }
  }

  /** What the latest invocations (at most 1,000) carried besides their payload, oldest first. */
  List<ReceivedRequest> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  private static final int MAX_RECEIVED = 1_000;

  private boolean checkAccessAndResource(Call call, String arn) {
    Headers headers = call.exchange.getRequestHeaders();
    if (!config.bearerTokens().isEmpty()) {
      String authorization = headers.getFirst("Authorization");
      String token =
          authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
              ? authorization.substring(7).trim()
              : null;
      if (token == null || !config.bearerTokens().contains(token)) {
        call.exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        call.error(
            401,
            "UnauthorizedException",
            token == null ? "Missing bearer token" : "The bearer token is invalid or expired",
            call.counted ? Outcome.ACCESS_DENIED : null);
        return false;
      }
    }
    String accessKey = accessKeyId(headers.getFirst("Authorization"));
    Outcome forCounters = call.counted ? Outcome.ACCESS_DENIED : null;
    if (accessKey != null && config.deniedAccessKeyIds().contains(accessKey)) {
      call.error(
          403,
          "AccessDeniedException",
          "User is not authorized to perform:"
              + " bedrock-agentcore:InvokeAgentRuntime on resource: "
              + arn,
          forCounters);
      return false;
    }
    Outcome notFound = call.counted ? Outcome.NOT_FOUND : null;
    if (!config.acceptAnyArn() && !config.agentRuntimeArn().equals(arn)) {
      call.error(404, "ResourceNotFoundException", "No agent runtime with ARN " + arn, notFound);
      return false;
    }
    String qualifier = queryParameter(call.exchange.getRequestURI().getRawQuery(), "qualifier");
    if (qualifier == null) {
      qualifier = SimulatorConfig.DEFAULT_QUALIFIER;
    }
    if (!config.qualifiers().contains(qualifier)) {
      call.error(
          404,
          "ResourceNotFoundException",
          "No endpoint " + qualifier + " for agent runtime " + arn,
          notFound);
      return false;
    }
    return true;
  }

  private byte @Nullable [] readBody(Call call) throws IOException {
    HttpExchange ex = call.exchange;
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    long length = -1;
    if (declared != null) {
      try {
        length = Long.parseLong(declared.strip());
      } catch (NumberFormatException e) {
        length = -1;
      }
    }
    int max = config.maxPayloadBytes();
    if (length > max) {
      call.error(
          400,
          "ValidationException",
          "The payload must be at most " + max + " bytes",
          Outcome.VALIDATION_ERROR);
      return null;
    }
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readNBytes(max + 1 < 0 ? Integer.MAX_VALUE : max + 1);
    }
    if (body.length > max) {
      call.error(
          400,
          "ValidationException",
          "The payload must be at most " + max + " bytes",
          Outcome.VALIDATION_ERROR);
      return null;
    }
    return body;
  }

  private @Nullable Fault drawFault(double draw) {
    double edge = config.internalErrorRate();
    if (draw < edge) {
      return Fault.INTERNAL_ERROR;
    }
    edge += config.dropRate();
    if (draw < edge) {
      return Fault.DROPPED_CONNECTION;
    }
    edge += config.malformedRate();
    if (draw < edge) {
      return Fault.MALFORMED_BODY;
    }
    edge += config.agentErrorRate();
    if (draw < edge) {
      return Fault.AGENT_ERROR;
    }
    return null;
  }

  private static int variant(SplittableRandom random) {
    return random.nextInt(Wire.MALFORMED_VARIANTS);
  }

  private void fail(Call call, Fault fault, int variant, Duration latency, String sessionId) {
    Outcome outcome = Outcome.of(fault);
    switch (fault) {
      case INTERNAL_ERROR ->
          later(
              latency,
              () ->
                  call.error(
                      500,
                      "InternalServerException",
                      "An internal error occurred. Try your request again.",
                      outcome));
      case AGENT_ERROR ->
          later(
              latency,
              () ->
                  call.error(
                      424,
                      "RuntimeClientError",
                      "Received error (500) from runtime. Please check your CloudWatch logs for more"
                          + " information.",
                      outcome));
      case DROPPED_CONNECTION -> {
        if (config.responseShape() == ResponseShape.EVENT_STREAM && outage == null) {
          stream(
              call,
              sessionId,
              Wire.events(null, "", config.streamProgressEvents() + 1),
              latency,
              outcome,
              true);
        } else {
          later(latency, () -> call.drop(outcome));
        }
      }
      case MALFORMED_BODY -> {
        if (config.responseShape() == ResponseShape.EVENT_STREAM) {
          stream(
              call,
              sessionId,
              Wire.malformedEvents(variant, config.streamProgressEvents()),
              latency,
              outcome,
              false);
        } else {
          Wire.Body body = Wire.malformedBody(variant);
          later(
              latency, () -> call.send(200, body.contentType(), sessionId, body.bytes(), outcome));
        }
      }
      default -> throw new IllegalStateException("unknown fault " + fault);
    }
  }

  /**
   * Sends {@code events} spread evenly over {@code latency}; with {@code dropAfterFirst}, closes
   * the connection after the first event instead of finishing the stream.
   */
  private void stream(
      Call call,
      String sessionId,
      List<byte[]> events,
      Duration latency,
      Outcome outcome,
      boolean dropAfterFirst) {
    long step = events.isEmpty() ? latency.toNanos() : latency.toNanos() / events.size();
    long total = 0;
    for (byte[] e : events) {
      total += e.length;
    }
    // A stream that will be dropped announces more bytes than it sends, so closing it aborts the
    // connection instead of ending the body cleanly.
    long contentLength = dropAfterFirst ? total + 1024 : 0;
    Runnable[] next = new Runnable[1];
    int[] index = {0};
    next[0] =
        () -> {
          try {
            if (!call.headersSent) {
              call.startStream(sessionId, contentLength);
            }
            if (index[0] < events.size()) {
              call.writeEvent(events.get(index[0]++));
            }
            if (dropAfterFirst && index[0] >= 1) {
              call.abortStream(outcome);
            } else if (index[0] >= events.size()) {
              call.endStream(outcome);
            } else {
              laterNanos(step, next[0]);
            }
          } catch (IOException e) {
            call.abandon(outcome);
          }
        };
    laterNanos(step, next[0]);
  }

  private void later(Duration delay, Runnable action) {
    laterNanos(delay.toNanos(), action);
  }

  private void laterNanos(long nanos, Runnable action) {
    if (nanos <= 0) {
      action.run();
      return;
    }
    try {
      scheduler.schedule(
          () -> {
            try {
              action.run();
            } catch (RuntimeException e) {
              LOG.warn("simulator failed to send an answer", e);
            }
          },
          nanos,
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The simulator is closing; the server closes the connection.
    }
  }

  private String sessionOrGenerated(Call call) {
    String id = call.exchange.getRequestHeaders().getFirst(SESSION_HEADER);
    return id != null
        ? id
        : new UUID(RequestRandom.mix(call.sequence), RequestRandom.mix(~call.sequence)).toString();
  }

  private long nextRequestId() {
    return requestSequence.incrementAndGet() ^ config.seed() * 0x9E3779B97F4A7C15L;
  }

  static @Nullable String accessKeyId(@Nullable String authorization) {
    if (authorization == null) {
      return null;
    }
    int at = authorization.indexOf("Credential=");
    if (at < 0) {
      return null;
    }
    int start = at + "Credential=".length();
    int end = authorization.indexOf('/', start);
    return end < 0 ? null : authorization.substring(start, end);
  }

  static @Nullable String queryParameter(@Nullable String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (key.equals(name)) {
        return eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return null;
  }

  /** Percent-decodes a path segment or query value ({@code +} stays a plus sign). */
  static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }

  private static void drainQuietly(HttpExchange ex) {
    try (InputStream in = ex.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // the answer does not depend on the body
    }
  }

  /** One exchange: sends at most one answer and counts it exactly once. */
  private final class Call {
    final HttpExchange exchange;
    final long sequence;
    final AtomicBoolean finished = new AtomicBoolean();
    boolean counted;
    volatile boolean headersSent;
    @Nullable OutputStream body;

    Call(HttpExchange exchange, long sequence) {
      this.exchange = exchange;
      this.sequence = sequence;
    }

    void error(int status, String type, String message, @Nullable Outcome outcome) {
      exchange.getResponseHeaders().set(ERROR_TYPE_HEADER, type);
      send(status, "application/json", null, Wire.errorBody(message), outcome);
    }

    void send(
        int status,
        String contentType,
        @Nullable String sessionId,
        byte[] bytes,
        @Nullable Outcome outcome) {
      // Counted before the last byte leaves, so a client that has its answer sees it counted.
      finish(outcome);
      try {
        headers(contentType, sessionId);
        headersSent = true;
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        }
      } catch (IOException e) {
        LOG.debug("client went away before the answer was sent", e);
      } finally {
        exchange.close();
      }
    }

    void drop(Outcome outcome) {
      // Closing without response headers closes the connection: the client sees an I/O error.
      finish(outcome);
      exchange.close();
    }

    void startStream(String sessionId, long contentLength) throws IOException {
      headers("text/event-stream", sessionId);
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      headersSent = true;
      exchange.sendResponseHeaders(200, contentLength);
      body = exchange.getResponseBody();
    }

    void writeEvent(byte[] event) throws IOException {
      OutputStream out = java.util.Objects.requireNonNull(body);
      out.write(event);
      out.flush();
    }

    void endStream(Outcome outcome) {
      finish(outcome);
      exchange.close();
    }

    void abortStream(Outcome outcome) {
      // The announced length was not reached: closing the exchange (not the body stream) makes
      // the server close the connection mid-body ("insufficient bytes written to stream").
      finish(outcome);
      exchange.close();
    }

    void abandon(Outcome outcome) {
      finish(outcome);
      exchange.close();
    }

    private void headers(String contentType, @Nullable String sessionId) {
      Headers h = exchange.getResponseHeaders();
      h.set("Content-Type", contentType);
      h.set(
          "x-amzn-RequestId",
          new UUID(RequestRandom.mix(sequence), RequestRandom.mix(sequence ^ 0x5DEECE66DL))
              .toString());
      if (sessionId != null) {
        h.set(SESSION_HEADER, sessionId);
      }
      String traceId = exchange.getRequestHeaders().getFirst("X-Amzn-Trace-Id");
      if (traceId != null) {
        h.set("X-Amzn-Trace-Id", traceId);
      }
      String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
      if (traceparent != null) {
        h.set("traceparent", traceparent);
      }
    }

    void finish(@Nullable Outcome outcome) {
      if (counted && finished.compareAndSet(false, true)) {
        counters.exit(outcome != null ? outcome : Outcome.INTERNAL_ERROR);
      }
    }
  }
}
