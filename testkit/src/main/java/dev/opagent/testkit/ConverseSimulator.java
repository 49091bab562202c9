package dev.opagent.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded model for tests of tool loops: an HTTP server that speaks the Amazon Bedrock Runtime
 * {@code Converse} JSON protocol ({@code POST /model/{modelId}/converse}) and answers with scripted
 * {@link ModelTurn}s, so the real AWS SDK {@code BedrockRuntimeClient} can be tested without AWS.
 * Thread-safe.
 *
 * <p>Point the client at {@link #endpoint()} with {@code endpointOverride}; any region, any model
 * id and static credentials of any value work (signatures are not checked). Switch the client's own
 * retries off ({@code AwsRetryStrategy.doNotRetry()}) when a test counts requests. Per request:
 *
 * <ol>
 *   <li>the request is recorded ({@link #received()}), whatever the answer;
 *   <li>while faults are queued ({@link #failNext}), it answers the next one: {@code 429
 *       ThrottlingException}, {@code 500 InternalServerException}, … with {@code x-amzn-ErrorType}
 *       and a JSON body {@code {"message": "..."}};
 *   <li>a request Bedrock would refuse answers {@code 400 ValidationException}: no messages, a
 *       conversation not starting with a user message, a tool use of the previous turn without its
 *       tool result, tool blocks without a {@code toolConfig};
 *   <li>else the next scripted turn answers, as {@code {"output": {"message": {"role": "assistant",
 *       "content": [{"text"} | {"toolUse": {"toolUseId", "name", "input"}}]}}, "stopReason",
 *       "usage": {"inputTokens", "outputTokens", "totalTokens"}, "metrics": {"latencyMs"}}}; with
 *       the script exhausted, {@code 400 ValidationException} says so.
 * </ol>
 *
 * <pre>{@code
 * try (ConverseSimulator model = ConverseSimulator.start()) {
 *   model.then(ModelTurn.toolUse("plan_actions", "{\"customerId\": \"C-1\"}"))
 *       .then(received -> ModelTurn.text("Planned: " + received.toolResults().get(0)))
 *       .failNext(2, ModelFault.THROTTLING);
 *   BedrockRuntimeClient client = BedrockRuntimeClient.builder()
 *       .endpointOverride(model.endpoint()).region(Region.US_EAST_1)
 *       .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
 *       .build();
 *   // ... run the code under test, then:
 *   assertThat(model.received().get(1).toolResults()).hasSize(1);
 * }
 * }</pre>
 */
public final class ConverseSimulator implements AutoCloseable {
  /** A model id tests may use; the simulator accepts any. */
  public static final String MODEL_ID = "anthropic.claude-3-5-sonnet-20240620-v1:0";

  private static final Logger LOG = LoggerFactory.getLogger(ConverseSimulator.class);
  private static final String PREFIX = "/model/";
  private static final int MAX_BODY = 4 * 1024 * 1024;
  private static final int MAX_RECEIVED = 1_000;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final ObjectMapper mapper = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService handlers;
  private final URI endpoint;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object lock = new Object();
  private final ArrayDeque<Function<ReceivedConverse, ModelTurn>> script = new ArrayDeque<>();
  private final ArrayDeque<ModelFault> faults = new ArrayDeque<>();
  private final ArrayDeque<ReceivedConverse> received = new ArrayDeque<>();
  private int requests;
  private int toolUseIds;
  private volatile Duration latency = Duration.ZERO;

  private ConverseSimulator() {
    int id = INSTANCES.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.handlers =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "converse-simulator-" + id + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    } catch (IOException e) {
      handlers.shutdownNow();
      throw new UncheckedIOException("could not listen on 127.0.0.1", e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(handlers);
    server.start();
    this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Starts a simulator on a free port of 127.0.0.1, with an empty script.
   *
   * @throws UncheckedIOException when no port can be bound
   */
  public static ConverseSimulator start() {
    return new ConverseSimulator();
  }

  /**
   * The endpoint to pass as the client's endpoint override, e.g. {@code http://127.0.0.1:41234}.
   */
  public URI endpoint() {
    return endpoint;
  }

  /** Appends {@code turn} to the script. */
  public ConverseSimulator then(ModelTurn turn) {
    Objects.requireNonNull(turn, "turn");
    return then(request -> turn);
  }

  /**
   * Appends a turn computed from the request it answers — a model that reads the tool results it
   * was sent (a plan's id, an approval's id).
   */
  public ConverseSimulator then(Function<ReceivedConverse, ModelTurn> turn) {
    Objects.requireNonNull(turn, "turn");
    synchronized (lock) {
      script.addLast(turn);
    }
    return this;
  }

  /** Answers the next {@code calls} requests with {@code fault}, before any scripted turn. */
  public ConverseSimulator failNext(int calls, ModelFault fault) {
    Objects.requireNonNull(fault, "fault");
    if (calls < 0) {
      throw new IllegalArgumentException("calls must not be negative but was " + calls);
    }
    synchronized (lock) {
      for (int i = 0; i < calls; i++) {
        faults.addLast(fault);
      }
    }
    return this;
  }

  /** Delays every answer by {@code latency} (reported as {@code metrics.latencyMs}). */
  public ConverseSimulator latency(Duration latency) {
    Objects.requireNonNull(latency, "latency");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    this.latency = latency;
    return this;
  }

  /** The scripted turns not played yet. */
  public int remainingTurns() {
    synchronized (lock) {
      return script.size();
    }
  }

  /** The faults not answered yet. */
  public int remainingFaults() {
    synchronized (lock) {
      return faults.size();
    }
  }

  /** The {@code Converse} requests received since the start or the last {@link #reset()}. */
  public int requestCount() {
    synchronized (lock) {
      return requests;
    }
  }

  /**
   * The latest requests (at most 1,000), oldest first, including those answered with a fault or a
   * validation error.
   */
  public List<ReceivedConverse> received() {
    synchronized (lock) {
      return List.copyOf(received);
    }
  }

  /** Clears the script, the faults and the recorded requests. */
  public void reset() {
    synchronized (lock) {
      script.clear();
      faults.clear();
      received.clear();
      requests = 0;
      toolUseIds = 0;
    }
  }

  /** Stops listening. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    handlers.shutdownNow();
    try {
      handlers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "ConverseSimulator[" + endpoint + "]";
  }

  // ---- the protocol ----

  private void handle(HttpExchange exchange) {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      int slash = path.startsWith(PREFIX) ? path.indexOf('/', PREFIX.length()) : -1;
      String operation = slash < 0 ? "" : path.substring(slash + 1);
      if (!exchange.getRequestMethod().equals("POST") || !operation.equals("converse")) {
        drain(exchange);
        error(
            exchange,
            404,
            "UnknownOperationException",
            "the simulator speaks Converse only, not " + exchange.getRequestMethod() + " " + path);
        return;
      }
      converse(exchange, SimulatorHandler.decode(path.substring(PREFIX.length(), slash)));
    } catch (IOException | RuntimeException e) {
      LOG.warn("converse simulator failed to answer ({})", e.getClass().getName());
    }
  }

  private void converse(HttpExchange exchange, String modelId) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    }
    JsonNode body;
    try {
      body = bytes.length > MAX_BODY ? null : mapper.readTree(bytes);
    } catch (JsonProcessingException e) {
      body = null;
    }
    ModelFault fault;
    Function<ReceivedConverse, ModelTurn> next = null;
    ReceivedConverse request =
        new ReceivedConverse(modelId, body == null ? mapper.createObjectNode() : body);
    String invalid = body == null ? "The request body is not JSON." : invalid(body);
    synchronized (lock) {
      requests++;
      if (received.size() == MAX_RECEIVED) {
        received.removeFirst();
      }
      received.addLast(request);
      fault = faults.pollFirst();
      if (fault == null && invalid == null) {
        next = script.pollFirst();
      }
    }
    pause();
    if (fault != null) {
      error(exchange, fault.status(), fault.errorType(), fault.message());
      return;
    }
    if (invalid != null) {
      error(exchange, 400, "ValidationException", invalid);
      return;
    }
    if (next == null) {
      error(
          exchange,
          400,
          "ValidationException",
          "The ConverseSimulator has no scripted turn left for request " + requestCount() + ".");
      return;
    }
    ModelTurn turn = next.apply(request);
    send(exchange, 200, answer(turn, bytes.length));
  }

  /** Why Bedrock would refuse {@code body}, or null when it would not. */
  private static @Nullable String invalid(JsonNode body) {
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      return "The messages field is required and must not be empty.";
    }
    if (!messages.get(0).path("role").asText().equals("user")) {
      return "A conversation must start with a user message. Try again with a conversation that"
          + " starts with a user message.";
    }
    boolean tools = false;
    Set<String> open = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String role = m.path("role").asText();
      if (!role.equals("user") && !role.equals("assistant")) {
        return "messages." + i + ".role must be user or assistant.";
      }
      if (role.equals("user")) {
        Set<String> answered = new HashSet<>();
        for (JsonNode block : m.path("content")) {
          if (block.has("toolResult")) {
            tools = true;
            answered.add(block.get("toolResult").path("toolUseId").asText());
          }
        }
        if (!answered.equals(open)) {
          return "Expected toolResult blocks at messages."
              + i
              + ".content for the tool uses of the previous turn, and no others.";
        }
        open.clear();
      } else {
        if (!open.isEmpty()) {
          return "messages." + i + " follows tool uses that were not answered with tool results.";
        }
        for (JsonNode block : m.path("content")) {
          if (block.has("toolUse")) {
            tools = true;
            open.add(block.get("toolUse").path("toolUseId").asText());
          }
        }
      }
    }
    if (!open.isEmpty()) {
      return "The conversation ends with tool uses that were not answered with tool results.";
    }
    if (tools && !body.path("toolConfig").path("tools").isArray()) {
      return "The toolConfig field must be defined when using toolUse and toolResult content"
          + " blocks.";
    }
    return null;
  }

  private ObjectNode answer(ModelTurn turn, int requestBytes) {
    ObjectNode answer = mapper.createObjectNode();
    ObjectNode message = answer.putObject("output").putObject("message");
    message.put("role", "assistant");
    ArrayNode content = message.putArray("content");
    long chars = 0;
    for (ModelTurn.Block b : turn.blocks()) {
      if (b.isToolUse()) {
        ObjectNode use = content.addObject().putObject("toolUse");
        String id = b.toolUseId();
        if (id == null) {
          synchronized (lock) {
            id = String.format("tooluse_%020d", ++toolUseIds);
          }
        }
        use.put("toolUseId", id);
        use.put("name", b.toolName());
        use.set("input", Objects.requireNonNull(b.input()));
        chars += Objects.requireNonNull(b.toolName()).length() + b.input().toString().length();
      } else {
        String text = Objects.requireNonNull(b.text());
        content.addObject().put("text", text);
        chars += text.length();
      }
    }
    answer.put("stopReason", turn.stopReason());
    long in = turn.inputTokens() >= 0 ? turn.inputTokens() : Math.max(1, requestBytes / 4);
    long out = turn.outputTokens() >= 0 ? turn.outputTokens() : Math.max(1, chars / 4);
    answer
        .putObject("usage")
        .put("inputTokens", in)
        .put("outputTokens", out)
        .put("totalTokens", in + out);
    answer.putObject("metrics").put("latencyMs", latency.toMillis());
    return answer;
  }

  private void pause() {
    Duration d = latency;
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void error(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    exchange.getResponseHeaders().set(SimulatorHandler.ERROR_TYPE_HEADER, type);
    ObjectNode body = mapper.createObjectNode().put("message", message);
    send(exchange, status, body);
  }

  private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = mapper.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void drain(HttpExchange exchange) {
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // the answer does not depend on the body
    }
  }
}
