package dev.opagent.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.tools.ToolDefinition;
import dev.opagent.agent.tools.ToolErrorCode;
import dev.opagent.agent.tools.ToolRegistry;
import dev.opagent.agent.tools.ToolResult;
import dev.opagent.agent.tools.spi.CampaignMetricsSource;
import dev.opagent.mcp.json.JacksonMcpJson;
import dev.opagent.mcp.json.SchemaValidator;
import dev.opagent.rules.RuleSet;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link ToolRegistry}'s tools, and read-only views of the operating state, to MCP clients
 * over stdio or streamable HTTP. Immutable and thread-safe; the {@link Builder} is not.
 *
 * <p>Tools are listed with the registry's names, descriptions and input schemas, and annotated:
 * read-only tools with {@code readOnlyHint}; acting ones with {@code destructiveHint} and {@code
 * idempotentHint} from their {@link ToolTraits}, and an approval-gated one says so in its
 * description and in {@code _meta["dev.opagent/approvalGated"]}. Every {@code tools/call} goes
 * through {@link ToolRegistry#dispatch(String, JsonNode)} — the same validation, approval gate,
 * guardrails and deadline as an in-process call; the SDK's own input validation is off so that
 * there is one path only. A result becomes a {@code CallToolResult} whose structured content and
 * text are the result's JSON ({@link ToolResult#toJson()}); an error has {@code isError: true} and,
 * besides the registry's members, a {@code code}, for invalid arguments the offending {@code field}
 * (a JSON pointer), and a {@code fix} telling the model what to do. No stack trace and no argument
 * value is ever sent.
 *
 * <p>Resources (each offered when its source is configured), read live on every {@code
 * resources/read}:
 *
 * <table>
 *   <caption>Resources</caption>
 *   <tr><th>URI</th><th>content</th></tr>
 *   <tr><td>{@value #RULES_URI}</td><td>the campaign rules in force</td></tr>
 *   <tr><td>{@value #POLICY_URI}</td><td>the decision policy: caps, quiet hours, approval
 *       thresholds, budgets</td></tr>
 *   <tr><td>{@value #APPROVALS_URI}</td><td>approval requests waiting for a human</td></tr>
 *   <tr><td>{@value #METRICS_URI}</td><td>campaign counters and rates</td></tr>
 * </table>
 *
 * <pre>{@code
 * ToolRegistry registry = SdkTools.builder()...build().registerInto(ToolRegistry.create());
 * OpagentMcpServer server = OpagentMcpServer.builder(registry)
 *     .rules(holder::current)
 *     .policy(engine::policy)
 *     .pendingApprovals(store.approvalStore()::pending)
 *     .metrics(metrics)
 *     .build();
 * try (McpEndpoint http = server.serveHttp("127.0.0.1", 8931)) {
 *   http.awaitTermination();
 * }
 * }</pre>
 */
public final class OpagentMcpServer {
  /** The campaign rules resource. */
  public static final String RULES_URI = "opagent://rules";

  /** The decision policy resource. */
  public static final String POLICY_URI = "opagent://policy";

  /** The pending approval requests resource. */
  public static final String APPROVALS_URI = "opagent://approvals/pending";

  /** The campaign metrics resource. */
  public static final String METRICS_URI = "opagent://metrics";

  /** The {@code _meta} member that marks an approval-gated tool. */
  public static final String APPROVAL_GATED_META = "dev.opagent/approvalGated";

  private static final Logger LOG = LoggerFactory.getLogger(OpagentMcpServer.class);
  private static final String JSON = "application/json";

  private final ToolRegistry registry;
  private final String name;
  private final String version;
  private final @Nullable String instructions;
  private final Map<String, ToolTraits> traits;
  private final @Nullable Supplier<RuleSet> rules;
  private final @Nullable Supplier<DecisionPolicy> policy;
  private final @Nullable Supplier<? extends Collection<ApprovalRequest>> approvals;
  private final @Nullable CampaignMetricsSource metrics;
  private final Clock clock;
  private final JacksonMcpJson json;
  private final ObjectMapper mapper;

  private OpagentMcpServer(Builder b) {
    this.registry = b.registry;
    this.name = b.name;
    this.version = b.version;
    this.instructions = b.instructions;
    this.traits = Map.copyOf(b.traits);
    this.rules = b.rules;
    this.policy = b.policy;
    this.approvals = b.approvals;
    this.metrics = b.metrics;
    this.clock = b.clock;
    this.json = JacksonMcpJson.standard();
    this.mapper = json.objectMapper();
  }

  /** A builder of a server for {@code registry}'s tools. */
  public static Builder builder(ToolRegistry registry) {
    return new Builder(registry);
  }

  /** The registry whose tools are served. */
  public ToolRegistry registry() {
    return registry;
  }

  /**
   * Serves on the process's standard input and output: the protocol only goes to {@code out}, so
   * the caller must keep everything else (logs, banners) off it. The server stops when the input
   * ends or the returned endpoint is closed.
   */
  public McpEndpoint serveStdio(InputStream in, OutputStream out) {
    EndOfInput watched = new EndOfInput(in);
    McpSyncServer server = configure(McpServer.sync(stdio(watched, out)));
    return McpEndpoint.stdio(server, watched);
  }

  /**
   * Serves MCP's streamable HTTP transport at {@code http://host:port/mcp} on an embedded Jetty;
   * port 0 picks a free one ({@link McpEndpoint#uri()} tells which). On a loopback host only
   * requests whose {@code Host} is a loopback name, and browsers' requests from loopback origins,
   * are accepted (against DNS rebinding); bind another host only behind a gateway that
   * authenticates its callers.
   *
   * @throws java.io.UncheckedIOException if the port cannot be bound
   */
  public McpEndpoint serveHttp(String host, int port) {
    return HttpEndpoint.start(this, host, port, List.of(), List.of());
  }

  /**
   * Serves streamable HTTP as {@link #serveHttp(String, int)}, accepting requests whose {@code
   * Host} header is one of {@code allowedHosts} ({@code name:*} for any port; empty for any host)
   * and browsers' requests from {@code allowedOrigins} only.
   */
  public McpEndpoint serveHttp(
      String host, int port, List<String> allowedHosts, List<String> allowedOrigins) {
    return HttpEndpoint.start(this, host, port, allowedHosts, allowedOrigins);
  }

  private StdioServerTransportProvider stdio(InputStream in, OutputStream out) {
    return new StdioServerTransportProvider(json, in, out);
  }

  /** Builds the SDK server on {@code spec}'s transport with this server's tools and resources. */
  <S extends McpServer.SyncSpecification<S>> McpSyncServer configure(S spec) {
    McpSchema.ServerCapabilities.Builder caps = McpSchema.ServerCapabilities.builder().tools(false);
    List<McpServerFeatures.SyncResourceSpecification> resources = resources();
    if (!resources.isEmpty()) {
      caps.resources(false, false);
    }
    spec.serverInfo(name, version)
        .capabilities(caps.build())
        .jsonMapper(json)
        .jsonSchemaValidator(new SchemaValidator(mapper))
        // the registry validates: one path for every call, with its typed errors
        .validateToolInputs(false)
        .tools(tools())
        .resources(resources);
    if (instructions != null) {
      spec.instructions(instructions);
    }
    return spec.build();
  }

  /** The MCP definitions of the registry's tools, in registration order. */
  List<McpServerFeatures.SyncToolSpecification> tools() {
    List<McpServerFeatures.SyncToolSpecification> out = new ArrayList<>();
    for (String tool : registry.names()) {
      ToolDefinition<?, ?> d = registry.definition(tool).orElseThrow();
      out.add(
          McpServerFeatures.SyncToolSpecification.builder()
              .tool(describe(d))
              .callHandler((exchange, request) -> call(request.name(), request.arguments()))
              .build());
    }
    return out;
  }

  private McpSchema.Tool describe(ToolDefinition<?, ?> d) {
    Map<String, Object> schema = toMap(d.inputSchema());
    McpSchema.ToolAnnotations.Builder a = McpSchema.ToolAnnotations.builder();
    String description = d.description();
    Map<String, Object> meta = new HashMap<>();
    if (d.readOnly()) {
      a.readOnlyHint(true);
    } else {
      ToolTraits t = traits.getOrDefault(d.name(), ToolTraits.UNKNOWN);
      a.readOnlyHint(false).destructiveHint(!t.additive()).idempotentHint(t.idempotent());
      if (t.approvalGated()) {
        description +=
            " Approval-gated: it does nothing until a human has approved the request (with"
                + " 'opagent approvals approve ID' or the host's approval API); until then it"
                + " answers approval_required with the approval id, and once executed a repeat"
                + " answers already_executed.";
        meta.put(APPROVAL_GATED_META, true);
      }
    }
    McpSchema.Tool.Builder t =
        McpSchema.Tool.builder(d.name(), schema).description(description).annotations(a.build());
    if (!meta.isEmpty()) {
      t.meta(meta);
    }
    return t.build();
  }

  /**
   * Calls tool {@code tool} through the registry and maps its result; never throws for the model's
   * mistakes or a tool's failure.
   */
  McpSchema.CallToolResult call(String tool, @Nullable Map<String, Object> arguments) {
    ToolResult result;
    try {
      JsonNode args = arguments == null ? null : mapper.valueToTree(arguments);
      result = registry.dispatch(tool, args);
    } catch (RuntimeException e) {
      // The registry turns a tool's failures into values; this is the host's own fault.
      LOG.warn("call of tool {} failed in the server with {}", tool, e.getClass().getName());
      result =
          ToolResult.failed(
              ToolErrorCode.TOOL_FAILED, "the server could not call tool '" + tool + "'");
    }
    ObjectNode body = result.toJson().deepCopy();
    if (result.isError()) {
      explain(result, body);
    }
    return McpSchema.CallToolResult.builder()
        .addTextContent(body.toString())
        .structuredContent(toMap(body))
        .isError(result.isError())
        .build();
  }

  /** Adds {@code code}, {@code field} and {@code fix} to an error's JSON. */
  private static void explain(ToolResult result, ObjectNode body) {
    if (result instanceof ToolResult.InvalidArguments invalid) {
      body.put("code", "INVALID_ARGUMENTS");
      if (!invalid.problems().isEmpty()) {
        body.put("field", invalid.problems().get(0).pointer());
      }
      body.put(
          "fix",
          "correct the arguments at the pointers in problems to match the tool's inputSchema and"
              + " call again; nothing was done");
    } else if (result instanceof ToolResult.UnknownTool) {
      body.put("code", "UNKNOWN_TOOL");
      body.put("fix", "call one of the tools in available");
    } else if (result instanceof ToolResult.Failed failed) {
      body.put("fix", fix(failed.code()));
    }
  }

  private static String fix(ToolErrorCode code) {
    return switch (code) {
      case TOOL_FAILED, RESULT_NOT_SERIALIZABLE ->
          "tell the user the operation failed and give the operator the incident id, if any;"
              + " do not retry it unchanged";
      case UPSTREAM_FAILED -> "a service the tool needs failed: try again later";
      case NOT_FOUND -> "use an id that the user or an earlier tool result gave";
      case APPROVAL_REJECTED -> "a human rejected the action: do not retry it";
      case APPROVAL_EXPIRED -> "call request_approval again and wait for a human's decision";
      case REFUSED -> "a guardrail refused the action: tell the user why, do not retry it";
      case TIMED_OUT ->
          "the outcome is unknown: check it (a repeat of an executed action answers"
              + " already_executed) before repeating";
      case BUSY -> "the server is busy: call again later";
    };
  }

  /** The read-only resources whose sources are configured. */
  List<McpServerFeatures.SyncResourceSpecification> resources() {
    List<McpServerFeatures.SyncResourceSpecification> out = new ArrayList<>();
    Supplier<RuleSet> r = rules;
    if (r != null) {
      out.add(
          resource(
              RULES_URI,
              "campaign-rules",
              "The campaign rules in force: each rule's condition, actions, priority, validity"
                  + " and trigger.",
              () -> Views.rules(mapper, r.get())));
    }
    Supplier<DecisionPolicy> p = policy;
    if (p != null) {
      out.add(
          resource(
              POLICY_URI,
              "decision-policy",
              "The decision policy the engine guards actions with: frequency caps, quiet hours,"
                  + " approval thresholds, budgets, execution limits.",
              () -> Views.policy(p.get())));
    }
    Supplier<? extends Collection<ApprovalRequest>> a = approvals;
    if (a != null) {
      out.add(
          resource(
              APPROVALS_URI,
              "pending-approvals",
              "Approval requests waiting for a human's decision, oldest first; a human approves"
                  + " one with 'opagent approvals approve ID'.",
              () -> Views.pendingApprovals(mapper, a.get(), clock.instant())));
    }
    CampaignMetricsSource m = metrics;
    if (m != null) {
      out.add(
          resource(
              METRICS_URI,
              "campaign-metrics",
              "Campaign counters (delivered, opened, clicked, coupons used, conversions, revenue,"
                  + " cost) and rates; a rate not known yet is null.",
              () -> Views.metrics(mapper, m.all())));
    }
    return out;
  }

  private McpServerFeatures.SyncResourceSpecification resource(
      String uri, String resourceName, String description, Supplier<JsonNode> content) {
    McpSchema.Resource resource =
        McpSchema.Resource.builder(uri, resourceName)
            .description(description)
            .mimeType(JSON)
            .build();
    return new McpServerFeatures.SyncResourceSpecification(
        resource,
        (exchange, request) ->
            new McpSchema.ReadResourceResult(
                List.of(new McpSchema.TextResourceContents(uri, JSON, read(uri, content)))));
  }

  private static String read(String uri, Supplier<JsonNode> content) {
    try {
      return content.get().toString();
    } catch (RuntimeException e) {
      // A store that cannot be read: the client learns that, the log has the class only.
      LOG.warn("resource {} could not be read: {}", uri, e.getClass().getName());
      throw new IllegalStateException("resource " + uri + " cannot be read now; try again later");
    }
  }

  private Map<String, Object> toMap(JsonNode node) {
    @SuppressWarnings("unchecked")
    Map<String, Object> map = mapper.convertValue(node, LinkedHashMap.class);
    return map;
  }

  @Override
  public String toString() {
    return "OpagentMcpServer" + registry.names();
  }

  /** Builds an {@link OpagentMcpServer}. Not thread-safe. */
  public static final class Builder {
    private final ToolRegistry registry;
    private String name = "opagent";
    private String version = defaultVersion();
    private @Nullable String instructions;
    private final Map<String, ToolTraits> traits = new HashMap<>(ToolTraits.SDK_TOOLS);
    private @Nullable Supplier<RuleSet> rules;
    private @Nullable Supplier<DecisionPolicy> policy;
    private @Nullable Supplier<? extends Collection<ApprovalRequest>> approvals;
    private @Nullable CampaignMetricsSource metrics;
    private Clock clock = Clock.systemUTC();

    private Builder(ToolRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    private static String defaultVersion() {
      String v = OpagentMcpServer.class.getPackage().getImplementationVersion();
      return v == null ? "development" : v;
    }

    /** The server's name in the MCP handshake. Default {@code opagent}. */
    public Builder name(String name) {
      this.name = requireText(name, "name");
      return this;
    }

    /** The server's version in the MCP handshake. Default: the jar's version. */
    public Builder version(String version) {
      this.version = requireText(version, "version");
      return this;
    }

    /** What the client's model should know about these tools. Default: none. */
    public Builder instructions(String instructions) {
      this.instructions = requireText(instructions, "instructions");
      return this;
    }

    /**
     * The traits of acting tool {@code tool}. Default: {@link ToolTraits#SDK_TOOLS} for the SDK's
     * tools, {@link ToolTraits#UNKNOWN} for any other.
     */
    public Builder traits(String tool, ToolTraits traits) {
      this.traits.put(Objects.requireNonNull(tool, "tool"), Objects.requireNonNull(traits));
      return this;
    }

    /** The campaign rules, read on every read ({@code holder::current}). Default: not offered. */
    public Builder rules(Supplier<RuleSet> rules) {
      this.rules = Objects.requireNonNull(rules, "rules");
      return this;
    }

    /** The decision policy, read on every read ({@code engine::policy}). Default: not offered. */
    public Builder policy(Supplier<DecisionPolicy> policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The approval requests to offer as pending ({@code store.approvalStore()::pending}); those no
     * longer pending at the time of reading are left out. Default: not offered.
     */
    public Builder pendingApprovals(Supplier<? extends Collection<ApprovalRequest>> approvals) {
      this.approvals = Objects.requireNonNull(approvals, "approvals");
      return this;
    }

    /** The campaign metrics. Default: not offered. */
    public Builder metrics(CampaignMetricsSource metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** The clock that decides whether a request is still pending. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The server; the registry's tools are those registered by now. */
    public OpagentMcpServer build() {
      return new OpagentMcpServer(this);
    }

    private static String requireText(String value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }
  }

  /** The configured server on a streamable HTTP transport, for {@link HttpEndpoint}. */
  McpSyncServer on(McpStreamableServerTransportProvider transport) {
    return configure(McpServer.sync(transport));
  }

  /** The JSON binding of this server, for its transports. */
  JacksonMcpJson json() {
    return json;
  }
}
