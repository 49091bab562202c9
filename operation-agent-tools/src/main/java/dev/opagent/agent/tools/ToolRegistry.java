package dev.opagent.agent.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tools an LLM agent may call: typed, schema-validated, exportable in the shapes of Bedrock
 * Converse, OpenAI-style function calling and MCP, and dispatched with every outcome as a {@link
 * ToolResult} value. Thread-safe: registration is serialised, dispatch and export read an immutable
 * snapshot without locking. The {@link Builder} is not thread-safe.
 *
 * <p>Dispatch of {@code (name, arguments)}:
 *
 * <ol>
 *   <li>an unknown name answers {@link ToolResult.UnknownTool} with the available names;
 *   <li>the arguments ({@code null} or absent reads as {@code {}}) are validated against the tool's
 *       JSON Schema; every problem is answered in {@link ToolResult.InvalidArguments} with its JSON
 *       pointer, and the tool does not run;
 *   <li>the arguments are bound to the tool's argument type and the tool runs; an exception is
 *       isolated into {@link ToolResult.Failed} with {@link ToolErrorCode#TOOL_FAILED} and an
 *       incident id — its message and stack trace go to the {@link ToolFailureListener}, never to
 *       the model or the log;
 *   <li>a result that is a {@link ToolResult} is passed through; any other is written as JSON in
 *       {@link ToolResult.Ok}.
 * </ol>
 *
 * <p>Every call has a deadline ({@link Builder#callTimeout}, default 30 s): the call runs on one of
 * the registry's daemon threads while the caller waits; a call that has not answered by its
 * deadline answers {@link ToolErrorCode#TIMED_OUT} and its thread is interrupted and abandoned —
 * the caller is never held longer. A tool that ignores the interrupt keeps its thread until it
 * returns, and at most {@link Builder#maxConcurrentCalls} calls run at once; a call beyond that
 * answers {@link ToolErrorCode#BUSY} at once. Whatever the abandoned call still does (an executor
 * that delivers after the deadline) is booked as usual, so a model that retries learns the outcome
 * (for {@code execute_approved_action}: {@link ToolResult.AlreadyExecuted}). Tools run on another
 * thread than the caller's, so thread-locals of the caller (MDC, transactions) are not visible to
 * them.
 *
 * <pre>{@code
 * ToolRegistry registry = ToolRegistry.create();
 * SdkTools.builder().customerContextProvider(crm::facts).segmentClient(client)
 *     .rules(holder::current).decisionEngine(engine).executor(executor)
 *     .build().registerInto(registry);
 * JsonNode bedrockToolConfig = registry.toBedrockConverseToolConfig();
 * ToolResult r = registry.dispatch("check_eligibility", toolUse.input());
 * }</pre>
 */
public final class ToolRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ToolRegistry.class);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final ObjectMapper mapper;
  private final ToolFailureListener failureListener;
  private final Supplier<String> incidentIds;
  private final Duration callTimeout;
  private final ThreadPoolExecutor calls;
  private final Object lock = new Object();
  private volatile Map<String, ToolDefinition<?, ?>> tools = Map.of();

  private ToolRegistry(Builder b) {
    this.mapper = b.mapper;
    this.failureListener = b.failureListener;
    this.incidentIds = b.incidentIds;
    this.callTimeout = b.callTimeout;
    AtomicLong threads = new AtomicLong();
    // No core threads and a short keep-alive: an idle registry holds no thread, so it needs no
    // close(); daemon threads never keep the host's JVM alive.
    this.calls =
        new ThreadPoolExecutor(
            0,
            b.maxConcurrentCalls,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "opagent-tool-call-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** The deadline of every call. */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** An empty registry with the defaults. */
  public static ToolRegistry create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds a tool.
   *
   * @return this registry
   * @throws IllegalArgumentException if a tool of that name is registered
   */
  public ToolRegistry register(ToolDefinition<?, ?> definition) {
    Objects.requireNonNull(definition, "definition");
    synchronized (lock) {
      if (tools.containsKey(definition.name())) {
        throw new IllegalArgumentException(
            "a tool named '" + definition.name() + "' is already registered");
      }
      Map<String, ToolDefinition<?, ?>> next = new LinkedHashMap<>(tools);
      next.put(definition.name(), definition);
      tools = java.util.Collections.unmodifiableMap(next);
    }
    return this;
  }

  /** Adds several tools, in order. */
  public ToolRegistry registerAll(Collection<? extends ToolDefinition<?, ?>> definitions) {
    definitions.forEach(this::register);
    return this;
  }

  /** The registered tool names, in registration order. */
  public List<String> names() {
    return List.copyOf(tools.keySet());
  }

  /** The tool named {@code name}. */
  public Optional<ToolDefinition<?, ?>> definition(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  /** Dispatches a call whose arguments are JSON text (OpenAI sends them so). */
  public ToolResult dispatch(String name, @Nullable String argumentsJson) {
    if (argumentsJson == null || argumentsJson.isBlank()) {
      return dispatch(name, (JsonNode) null);
    }
    if (!tools.containsKey(name)) {
      return unknown(name);
    }
    JsonNode args;
    try {
      args = mapper.readTree(argumentsJson);
    } catch (JsonProcessingException e) {
      // A limit of the parser (nesting depth, number or string length) has no location.
      com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
      String where =
          at == null
              ? "exceed the parser's limits on nesting, number or string size"
              : "are not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      return new ToolResult.InvalidArguments(
          name, List.of(new ArgumentProblem("", "json", "arguments " + where)));
    }
    return dispatch(name, args);
  }

  /** Dispatches a call; never throws for the model's mistakes or a tool's failure. */
  public ToolResult dispatch(String name, @Nullable JsonNode arguments) {
    Objects.requireNonNull(name, "name");
    ToolDefinition<?, ?> def = tools.get(name);
    if (def == null) {
      return unknown(name);
    }
    JsonNode args =
        arguments == null || arguments.isNull() || arguments.isMissingNode()
            ? F.objectNode()
            : arguments;
    Future<ToolResult> call;
    try {
      call = calls.submit(() -> run(def, args));
    } catch (RejectedExecutionException e) {
      return ToolResult.failed(
          ToolErrorCode.BUSY,
          "tool '"
              + name
              + "' was not run: "
              + calls.getMaximumPoolSize()
              + " tool calls are running already; call it again later");
    }
    try {
      return call.get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      LOG.warn("tool {} did not finish within {}; its thread was interrupted", name, callTimeout);
      return ToolResult.failed(
          ToolErrorCode.TIMED_OUT,
          "tool '"
              + name
              + "' did not finish"
              + " within "
              + callTimeout
              + " and was abandoned; what it did is unknown, so check"
              + " before repeating it");
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      return ToolResult.failed(
          ToolErrorCode.TIMED_OUT,
          "the call of tool '" + name + "' was interrupted by the host and abandoned");
    } catch (ExecutionException e) {
      // run() turns every Exception into a value, so this is an Error (a stack overflow on
      // deeply nested arguments, for instance).
      return failure(def.name(), e.getCause() instanceof Exception cause ? cause : e);
    }
  }

  private ToolResult failure(String tool, Exception e) {
    String incident = incidentIds.get();
    LOG.warn("tool {} failed with {} (incident {})", tool, e.getClass().getName(), incident);
    try {
      failureListener.onFailure(tool, incident, e);
    } catch (RuntimeException listenerFailure) {
      LOG.warn(
          "failure listener threw {} for incident {}",
          listenerFailure.getClass().getName(),
          incident);
    }
    return new ToolResult.Failed(
        ToolErrorCode.TOOL_FAILED,
        "tool '"
            + tool
            + "' failed with "
            + e.getClass().getSimpleName()
            + "; the host's logs hold incident "
            + incident,
        incident);
  }

  private ToolResult unknown(String name) {
    return new ToolResult.UnknownTool(name, names());
  }

  private <A, R> ToolResult run(ToolDefinition<A, R> def, JsonNode arguments) {
    List<ArgumentProblem> problems = SchemaSupport.validate(def.compiledSchema(), arguments);
    if (!problems.isEmpty()) {
      return new ToolResult.InvalidArguments(def.name(), problems);
    }
    A bound;
    try {
      bound = bind(def.argumentType(), arguments);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String pointer = e instanceof JsonMappingException m ? pointer(m) : "";
      return new ToolResult.InvalidArguments(
          def.name(),
          List.of(
              new ArgumentProblem(
                  pointer,
                  "binding",
                  "value cannot be read as the tool's argument type "
                      + def.argumentType().getSimpleName())));
    }
    Object result;
    try {
      result = def.tool().call(bound);
    } catch (Exception e) {
      return failure(def.name(), e);
    }
    if (result instanceof ToolResult r) {
      return r;
    }
    if (result == null) {
      return ToolResult.ok(NullNode.getInstance());
    }
    try {
      return ToolResult.ok(mapper.valueToTree(result));
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "result of tool {} could not be written as JSON ({})",
          def.name(),
          e.getClass().getName());
      return ToolResult.failed(
          ToolErrorCode.RESULT_NOT_SERIALIZABLE,
          "the result of tool '" + def.name() + "' could not be written as JSON");
    }
  }

  @SuppressWarnings("unchecked")
  private <A> A bind(Class<A> type, JsonNode arguments) throws JsonProcessingException {
    if (JsonNode.class.isAssignableFrom(type)) {
      return (A) arguments;
    }
    return mapper.treeToValue(arguments, type);
  }

  private static String pointer(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      sb.append('/');
      if (r.getFieldName() != null) {
        sb.append(SchemaSupport.escape(r.getFieldName()));
      } else if (r.getIndex() >= 0) {
        sb.append(r.getIndex());
      }
    }
    return sb.toString();
  }

  /**
   * The tools as a Bedrock Converse {@code toolConfig}: {@code
   * {"tools":[{"toolSpec":{"name","description","inputSchema":{"json":{…}}}}]}}.
   */
  public ObjectNode toBedrockConverseToolConfig() {
    ObjectNode config = F.objectNode();
    ArrayNode array = config.putArray("tools");
    for (ToolDefinition<?, ?> d : tools.values()) {
      ObjectNode spec = array.addObject().putObject("toolSpec");
      spec.put("name", d.name());
      spec.put("description", d.description());
      spec.putObject("inputSchema").set("json", d.inputSchema());
    }
    return config;
  }

  /**
   * The tools as OpenAI-style function definitions: {@code
   * [{"type":"function","function":{"name","description","parameters":{…}}}]}.
   */
  public ArrayNode toOpenAiTools() {
    ArrayNode array = F.arrayNode();
    for (ToolDefinition<?, ?> d : tools.values()) {
      ObjectNode tool = array.addObject();
      tool.put("type", "function");
      ObjectNode fn = tool.putObject("function");
      fn.put("name", d.name());
      fn.put("description", d.description());
      fn.set("parameters", d.inputSchema());
    }
    return array;
  }

  /**
   * The tools as an MCP {@code tools/list} result: {@code
   * {"tools":[{"name","description","inputSchema":{…},"annotations":{"readOnlyHint"}}]}}.
   */
  public ObjectNode toMcpToolsList() {
    ObjectNode result = F.objectNode();
    ArrayNode array = result.putArray("tools");
    for (ToolDefinition<?, ?> d : tools.values()) {
      ObjectNode tool = array.addObject();
      tool.put("name", d.name());
      tool.put("description", d.description());
      tool.set("inputSchema", d.inputSchema());
      tool.putObject("annotations").put("readOnlyHint", d.readOnly());
    }
    return result;
  }

  @Override
  public String toString() {
    return "ToolRegistry" + new ArrayList<>(tools.keySet());
  }

  /** Builds a {@link ToolRegistry}. Not thread-safe. */
  public static final class Builder {
    private ObjectMapper mapper = ToolJson.MAPPER;
    private ToolFailureListener failureListener = (tool, incident, failure) -> {};
    private Supplier<String> incidentIds = () -> "inc-" + UUID.randomUUID();
    private Duration callTimeout = Duration.ofSeconds(30);
    private int maxConcurrentCalls = 64;

    private Builder() {}

    /**
     * The deadline of every tool call; a call still running then answers {@link
     * ToolErrorCode#TIMED_OUT} and its thread is interrupted. Default 30 seconds: longer than a
     * segment-agent call with its retries usually takes, shorter than a model's patience. Raise it
     * when a tool of yours is slow by nature.
     */
    public Builder callTimeout(Duration callTimeout) {
      Objects.requireNonNull(callTimeout, "callTimeout");
      if (callTimeout.isNegative() || callTimeout.isZero()) {
        throw new IllegalArgumentException("callTimeout must be positive but was " + callTimeout);
      }
      this.callTimeout = callTimeout;
      return this;
    }

    /**
     * Most tool calls running at once, counting abandoned ones whose tool has not returned yet; a
     * call beyond answers {@link ToolErrorCode#BUSY}. Default 64. It bounds the threads a tool that
     * ignores interrupts can hold.
     */
    public Builder maxConcurrentCalls(int maxConcurrentCalls) {
      if (maxConcurrentCalls < 1) {
        throw new IllegalArgumentException(
            "maxConcurrentCalls must be positive but was " + maxConcurrentCalls);
      }
      this.maxConcurrentCalls = maxConcurrentCalls;
      return this;
    }

    /**
     * The mapper that binds arguments and writes results. Default: a plain mapper that rejects
     * unknown properties, nulls for primitives, a key given twice and text after the arguments;
     * give one with the host's modules (Java time, …) when tools take or return such types, and
     * enable the same checks on it.
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * Who receives the exceptions tools throw. Default: nobody (only the exception's class and the
     * incident id are logged, at WARN).
     */
    public Builder failureListener(ToolFailureListener failureListener) {
      this.failureListener = Objects.requireNonNull(failureListener, "failureListener");
      return this;
    }

    /** Source of incident ids. Default: {@code inc-} and a random UUID. */
    public Builder incidentIds(Supplier<String> incidentIds) {
      this.incidentIds = Objects.requireNonNull(incidentIds, "incidentIds");
      return this;
    }

    public ToolRegistry build() {
      return new ToolRegistry(this);
    }
  }
}
