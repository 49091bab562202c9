package dev.opagent.agent.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.opagent.agent.ActionStatus;
import dev.opagent.agent.ApprovalScope;
import dev.opagent.agent.Channel;
import dev.opagent.agent.CustomerContext;
import dev.opagent.agent.CustomerViews;
import dev.opagent.agent.Decision;
import dev.opagent.agent.DecisionEngine;
import dev.opagent.agent.GuardrailVerdict;
import dev.opagent.agent.PlannedAction;
import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.tools.internal.PlanStore;
import dev.opagent.agent.tools.spi.ActionExecutor;
import dev.opagent.agent.tools.spi.CampaignMetricsSource;
import dev.opagent.agent.tools.spi.ExecutionReceipt;
import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.attributes.CustomerView;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.FieldError;
import dev.opagent.segment.InvalidInputException;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentException;
import dev.opagent.segment.SegmentOutcome;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The SDK's own operations as tools for LLM agents. Immutable and thread-safe; the
 * {@link Builder} is not. A tool is offered only when its collaborators are configured:
 *
 * <table>
 *   <caption>Tools</caption>
 *   <tr><th>tool</th><th>needs</th><th>does</th></tr>
 *   <tr><td>{@code analyze_customer}</td><td>segment client</td>
 *       <td>segments one customer</td></tr>
 *   <tr><td>{@code check_eligibility}</td><td>rules</td>
 *       <td>every campaign's verdict with its reason</td></tr>
 *   <tr><td>{@code plan_actions}</td><td>rules, decision engine</td>
 *       <td>a dry-run decision: ranked actions with guardrail verdicts, kept under a plan id</td></tr>
 *   <tr><td>{@code request_approval}</td><td>rules, decision engine</td>
 *       <td>asks a human, through the engine's {@link ApprovalGate}, to approve a planned action</td></tr>
 *   <tr><td>{@code execute_approved_action}</td><td>rules, decision engine, executor</td>
 *       <td>executes a planned action — refused unless its approval, from the same gate the
 *       engine and executor use, is {@code APPROVED}, and only if a live decision still chooses
 *       it</td></tr>
 *   <tr><td>{@code read_metrics}</td><td>(in-memory metrics by default)</td>
 *       <td>campaign counters and rates</td></tr>
 * </table>
 *
 * <p>An LLM cannot grant approvals: no tool does. Humans decide with {@link ApprovalGate#grant}.
 *
 * <pre>{@code
 * SdkTools tools = SdkTools.builder()
 *     .segmentClient(client)
 *     .rules(holder::current)
 *     .decisionEngine(engine)          // its approval gate is the one the tools use
 *     .executor(executor)
 *     .clock(clock)
 *     .build();
 * ToolRegistry registry = tools.registerInto(ToolRegistry.create());
 * }</pre>
 */
public final class SdkTools {
  /** Schema resources live next to this class. */
  private static final String SCHEMAS = "dev/opagent/agent/tools/";
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final @Nullable SegmentClient segmentClient;
  private final @Nullable Supplier<RuleSet> rules;
  private final CampaignEvaluator evaluator;
  private final @Nullable DecisionEngine engine;
  private final @Nullable ActionExecutor executor;
  private final CampaignMetricsSource metrics;
  private final Clock clock;
  private final String requestedBy;
  private final PlanStore plans;

  private SdkTools(Builder b) {
    this.segmentClient = b.segmentClient;
    this.rules = b.rules;
    this.clock = b.clock;
    this.evaluator = b.evaluator != null ? b.evaluator
        : CampaignEvaluator.builder().clock(b.clock).build();
    this.engine = b.engine;
    this.executor = b.executor;
    this.metrics = b.metrics;
    this.requestedBy = b.requestedBy;
    this.plans = new PlanStore(b.clock, b.planTtl, b.maxPlans);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The definitions of the tools whose collaborators are configured. */
  public List<ToolDefinition<?, ?>> definitions() {
    List<ToolDefinition<?, ?>> out = new ArrayList<>();
    if (segmentClient != null) {
      out.add(define("analyze_customer", AnalyzeArgs.class, true,
          "Segments one customer with the customer-segment agent: churn, value, loyalty tier,"
              + " diversity, affinity, age band and overdue regular products.")
          .build(this::analyze));
    }
    if (rules != null) {
      out.add(define("check_eligibility", CustomerArgs.class, true,
          "Evaluates every campaign rule for one customer: which campaigns the customer is"
              + " eligible for, and for the others the condition that failed.")
          .build(this::eligibility));
    }
    if (rules != null && engine != null) {
      out.add(define("plan_actions", CustomerArgs.class, true,
          "Plans the marketing actions for one customer without executing anything: ranked"
              + " candidate actions with guardrail verdicts (consent, frequency caps, quiet hours,"
              + " approval, budget). Returns a planId for request_approval and"
              + " execute_approved_action.")
          .build(this::plan));
      out.add(define("request_approval", ActionRef.class, false,
          "Asks a human to approve a planned action that needs approval (large discount,"
              + " spend or audience). Returns the approval id; a human decides, not the agent.")
          .build(this::requestApproval));
      if (executor != null) {
        out.add(define("execute_approved_action", ActionRef.class, false,
            "Executes one planned action. Refused while its approval is pending, rejected or"
                + " expired, or when a guardrail blocks it now.")
            .build(this::execute));
      }
    }
    out.add(define("read_metrics", MetricsArgs.class, true,
        "Reads campaign metrics: actions sent, opens, clicks, conversions, revenue, cost, rates"
            + " and ROI, for one campaign or all.")
        .build(this::readMetrics));
    return List.copyOf(out);
  }

  /** Registers {@link #definitions()} into {@code registry} and returns it. */
  public ToolRegistry registerInto(ToolRegistry registry) {
    return registry.registerAll(definitions());
  }

  private static <A> ToolDefinition.Builder<A> define(String name, Class<A> type,
      boolean readOnly, String description) {
    return ToolDefinition.builder(name, type).description(description).readOnly(readOnly)
        .inputSchemaResource(SCHEMAS + name + ".schema.json", SdkTools.class.getClassLoader());
  }

  // ---- argument and result records ----

  /**
   * Arguments of {@code analyze_customer}.
   *
   * @param customerData the customer, in the segment agent's wire form
   * @param bypassCache whether to skip the cache
   */
  public record AnalyzeArgs(JsonNode customerData, @Nullable Boolean bypassCache) {}

  /**
   * Arguments of {@code check_eligibility} and {@code plan_actions}.
   *
   * @param customerData the customer, in the segment agent's wire form
   * @param analysis the segment analysis, if known
   * @param attributes host attributes
   * @param consents channels the customer opted in to
   * @param timeZone the customer's time zone
   */
  public record CustomerArgs(JsonNode customerData, @Nullable JsonNode analysis,
      @Nullable JsonNode attributes, @Nullable List<String> consents,
      @Nullable String timeZone) {}

  /**
   * Refers to one action of a plan.
   *
   * @param planId the plan
   * @param campaign the action's campaign (rule id)
   * @param actionType the action's type
   */
  public record ActionRef(String planId, String campaign, String actionType) {}

  /**
   * Arguments of {@code read_metrics}.
   *
   * @param campaign one campaign, or null for all
   */
  public record MetricsArgs(@Nullable String campaign) {}

  /**
   * Result of {@code analyze_customer}.
   *
   * @param customerId the customer
   * @param analysis the segments
   * @param source where they came from ({@code AGENT}, {@code CACHE}, {@code FALLBACK})
   */
  public record AnalysisView(String customerId, SegmentAnalysis analysis, String source) {}

  /**
   * Result of {@code plan_actions}.
   *
   * @param planId refer to the plan's actions with it
   * @param customerId the customer
   * @param decidedAt when
   * @param globalHoldout whether the customer is in the global control group
   * @param heldOutCampaigns campaigns the customer is a control of
   * @param actions candidate actions, best first
   */
  public record PlanView(String planId, String customerId, String decidedAt,
      boolean globalHoldout, List<String> heldOutCampaigns, List<ActionView> actions) {}

  /**
   * One planned action.
   *
   * @param rank 1 for the best
   * @param campaign campaign (rule id)
   * @param campaignName the rule's name
   * @param actionType such as {@code send_email}
   * @param channel the channel, or null when the type maps to none
   * @param status {@code CHOSEN}, {@code BLOCKED}, {@code DEFERRED} or {@code SUPPRESSED}
   * @param reason the deciding guardrail's reason code
   * @param message the deciding guardrail's explanation
   * @param probability expected conversion probability
   * @param discountRate the discount offered, 0 when none
   * @param plannedAt when it would be sent
   * @param approvalRequired whether a human must approve it before execution
   * @param approvalReason why, when it must
   */
  public record ActionView(int rank, String campaign, String campaignName, String actionType,
      @Nullable String channel, String status, String reason, String message, double probability,
      double discountRate, String plannedAt, boolean approvalRequired,
      @Nullable String approvalReason) {}

  /**
   * Result of {@code request_approval} when the action needs none or is approved already.
   *
   * @param approvalNeeded whether the action needs approval
   * @param approvalId the approval request, when one exists
   * @param approvalStatus its status
   */
  public record ApprovalView(boolean approvalNeeded, @Nullable String approvalId,
      String approvalStatus) {}

  /**
   * Result of {@code execute_approved_action}.
   *
   * @param campaign the campaign
   * @param actionType the action type
   * @param executionId the executor's id
   * @param detail the executor's explanation
   */
  public record ExecutionView(String campaign, String actionType, String executionId,
      String detail) {}

  /**
   * One campaign's metrics.
   *
   * @param metrics the counters
   * @param openRate opens per action
   * @param clickRate clicks per action
   * @param conversionRate conversions per action
   * @param roi (revenue − cost) / cost
   */
  public record MetricsView(CampaignMetrics metrics, double openRate, double clickRate,
      double conversionRate, double roi) {}

  // ---- tools ----

  private Object analyze(AnalyzeArgs args) {
    Parsed<CustomerData> data = customerData("analyze_customer", args.customerData());
    if (data.problem != null) {
      return data.problem;
    }
    SegmentClient client = Objects.requireNonNull(segmentClient);
    try {
      SegmentOutcome.Success s = client.analyzeDetailed(data.value,
          Boolean.TRUE.equals(args.bypassCache()));
      return new AnalysisView(s.customerId(), s.analysis(), s.source().name());
    } catch (InvalidInputException e) {
      return invalid("analyze_customer", e);
    } catch (SegmentException e) {
      return upstream(e);
    }
  }

  private Object eligibility(CustomerArgs args) {
    Resolved r = resolve("check_eligibility", args);
    if (r.problem != null) {
      return r.problem;
    }
    return r.eligibility;
  }

  private Object plan(CustomerArgs args) {
    Resolved r = resolve("plan_actions", args);
    if (r.problem != null) {
      return r.problem;
    }
    CustomerContext.Builder cb = CustomerContext.builder(r.eligibility).customerData(r.data);
    if (r.analysis != null) {
      cb.analysis(r.analysis);
    }
    cb.putAttributes(r.attributes);
    if (args.consents() != null) {
      args.consents().forEach(c -> cb.consent(Channel.contact(c)));
    }
    if (args.timeZone() != null) {
      try {
        cb.zone(ZoneId.of(args.timeZone()));
      } catch (DateTimeException e) {
        return new ToolResult.InvalidArguments("plan_actions", List.of(new ArgumentProblem(
            "/timeZone", "timeZone", "not a known IANA time zone id")));
      }
    }
    CustomerContext ctx = cb.build();
    DecisionEngine e = Objects.requireNonNull(engine);
    Decision d = e.dryRun(ctx);
    PlanStore.Plan p = plans.put(d, ctx);
    List<ActionView> actions = new ArrayList<>();
    for (PlannedAction a : d.candidates()) {
      GuardrailVerdict v = a.deciding();
      actions.add(new ActionView(a.rank(), a.campaign(), a.campaignName(), a.actionType(),
          a.channel() == null ? null : a.channel().id(), a.status().name(), a.reason().name(),
          a.status() == ActionStatus.CHOSEN || v == null ? "passed" : v.message(),
          a.score().probability(), a.discountRate(), a.plannedAt().toString(),
          e.requiresApproval(a), a.approvalReason()));
    }
    List<String> heldOut = d.heldOut().stream().map(h -> h.campaign()).toList();
    return new PlanView(p.id(), d.customerId(), d.decidedAt().toString(), d.globalHoldout(),
        heldOut, actions);
  }

  private Object requestApproval(ActionRef ref) {
    Found f = find(ref);
    if (f.problem != null) {
      return f.problem;
    }
    DecisionEngine e = Objects.requireNonNull(engine);
    PlannedAction a = f.action;
    if (!e.requiresApproval(a)) {
      return new ApprovalView(false, null, ApprovalStatus.NOT_REQUESTED.name());
    }
    ApprovalRequest request = e.requestApproval(a, requestedBy);
    ApprovalStatus status = request.statusAt(clock.instant());
    if (status == ApprovalStatus.APPROVED) {
      return new ApprovalView(true, request.id(), status.name());
    }
    return new ToolResult.ApprovalRequired(request.id(), status,
        "approval requested for " + a.campaign() + "/" + a.actionType() + " (" + request.summary()
            + "); a human must grant it before execute_approved_action can run it");
  }

  private Object execute(ActionRef ref) {
    Found f = find(ref);
    if (f.problem != null) {
      return f.problem;
    }
    DecisionEngine e = Objects.requireNonNull(engine);
    PlannedAction planned = f.action;
    if (e.requiresApproval(planned)) {
      ToolResult refused = approvalRefusal(e, planned);
      if (refused != null) {
        return refused;
      }
    }
    Decision live = e.decide(f.plan.context());
    PlannedAction chosen = null;
    for (PlannedAction a : live.chosen()) {
      if (chosen == null && a.campaign().equals(ref.campaign())
          && a.actionType().equals(ref.actionType())) {
        chosen = a;
      } else {
        release(e, a);
      }
    }
    if (chosen == null) {
      Optional<PlannedAction> now = live.candidates().stream()
          .filter(a -> a.campaign().equals(ref.campaign())
              && a.actionType().equals(ref.actionType()))
          .findFirst();
      String why = now.map(a -> a.reason().name() + ": " + (a.deciding() == null ? "not chosen"
          : a.deciding().message())).orElse("the campaign no longer applies to the customer");
      return ToolResult.failed(ToolErrorCode.REFUSED, "not executed: " + why);
    }
    ExecutionReceipt receipt;
    try {
      receipt = Objects.requireNonNull(executor).execute(chosen);
    } catch (RuntimeException ex) {
      release(e, chosen);
      throw ex;
    }
    if (receipt.status() != ExecutionReceipt.Status.EXECUTED) {
      release(e, chosen);
      return ToolResult.failed(ToolErrorCode.UPSTREAM_FAILED, "not executed: " + receipt.detail());
    }
    e.settle(chosen, receipt.cost());
    return new ExecutionView(chosen.campaign(), chosen.actionType(), receipt.executionId(),
        receipt.detail());
  }

  private @Nullable ToolResult approvalRefusal(DecisionEngine e, PlannedAction a) {
    ApprovalStatus status = e.checkApproval(a);
    switch (status) {
      case APPROVED:
        return null;
      case PENDING: {
        String id = latestRequest(e.approvalGate(), a, ApprovalStatus.PENDING);
        return new ToolResult.ApprovalRequired(id, status, "not executed: " + a.campaign() + "/"
            + a.actionType() + " awaits a human's approval");
      }
      case REJECTED:
        return ToolResult.failed(ToolErrorCode.APPROVAL_REJECTED, "not executed: the approval of "
            + a.campaign() + "/" + a.actionType() + " was rejected; do not retry");
      case EXPIRED:
        return ToolResult.failed(ToolErrorCode.APPROVAL_EXPIRED, "not executed: the approval of "
            + a.campaign() + "/" + a.actionType() + " expired; call request_approval again");
      default:
        return ToolResult.failed(ToolErrorCode.REFUSED, "not executed: " + a.campaign() + "/"
            + a.actionType() + " needs a human's approval; call request_approval first");
    }
  }

  private static String latestRequest(ApprovalGate gate, PlannedAction a, ApprovalStatus status) {
    for (ApprovalScope scope : ApprovalScope.values()) {
      Optional<ApprovalRequest> r = gate.latest(a.approvalKey(scope));
      if (r.isPresent() && r.get().status() == status) {
        return r.get().id();
      }
    }
    return "unknown";
  }

  private static void release(DecisionEngine e, PlannedAction a) {
    e.giveBack(a);
  }

  private Object readMetrics(MetricsArgs args) {
    if (args.campaign() != null) {
      Optional<CampaignMetrics> m = metrics.campaign(args.campaign());
      if (m.isEmpty()) {
        return ToolResult.failed(ToolErrorCode.NOT_FOUND,
            "no metrics for campaign '" + args.campaign() + "'");
      }
      return List.of(view(m.get()));
    }
    return metrics.all().stream().map(SdkTools::view).toList();
  }

  private static MetricsView view(CampaignMetrics m) {
    return new MetricsView(m, m.openRate(), m.clickRate(), m.conversionRate(), m.roi());
  }

  // ---- helpers ----

  private record Parsed<T>(@Nullable T value, @Nullable ToolResult problem) {}

  private record Resolved(@Nullable CustomerData data, @Nullable SegmentAnalysis analysis,
      Map<String, @Nullable Object> attributes, @Nullable Eligibility eligibility,
      @Nullable ToolResult problem) {
    static Resolved failed(ToolResult problem) {
      return new Resolved(null, null, Map.of(), null, problem);
    }
  }

  private record Found(PlanStore.@Nullable Plan plan, @Nullable PlannedAction action,
      @Nullable ToolResult problem) {}

  private Found find(ActionRef ref) {
    Optional<PlanStore.Plan> plan = plans.get(ref.planId());
    if (plan.isEmpty()) {
      return new Found(null, null, ToolResult.failed(ToolErrorCode.NOT_FOUND,
          "no plan '" + ref.planId() + "' (unknown or expired); call plan_actions again"));
    }
    for (PlannedAction a : plan.get().decision().candidates()) {
      if (a.campaign().equals(ref.campaign()) && a.actionType().equals(ref.actionType())) {
        return new Found(plan.get(), a, null);
      }
    }
    List<String> known = plan.get().decision().candidates().stream()
        .map(a -> a.campaign() + "/" + a.actionType()).toList();
    return new Found(null, null, ToolResult.failed(ToolErrorCode.NOT_FOUND,
        "plan '" + ref.planId() + "' has no action " + ref.campaign() + "/" + ref.actionType()
            + "; it has: " + (known.isEmpty() ? "none" : String.join(", ", known))));
  }

  private Resolved resolve(String tool, CustomerArgs args) {
    Parsed<CustomerData> data = customerData(tool, args.customerData());
    if (data.problem != null) {
      return Resolved.failed(data.problem);
    }
    SegmentAnalysis analysis = null;
    if (args.analysis() != null) {
      try {
        analysis = MAPPER.treeToValue(args.analysis(), SegmentAnalysis.class);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        return Resolved.failed(new ToolResult.InvalidArguments(tool, List.of(new ArgumentProblem(
            "/analysis", "binding", "not a segment analysis in the agent's wire form"))));
      }
    } else if (segmentClient != null) {
      try {
        analysis = segmentClient.analyze(data.value);
      } catch (InvalidInputException e) {
        return Resolved.failed(invalid(tool, e));
      } catch (SegmentException e) {
        return Resolved.failed(upstream(e));
      }
    }
    Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
    if (args.attributes() != null) {
      for (Map.Entry<String, JsonNode> en : args.attributes().properties()) {
        if (en.getKey().isEmpty() || en.getKey().contains(".")) {
          return Resolved.failed(new ToolResult.InvalidArguments(tool, List.of(
              new ArgumentProblem("/attributes/" + en.getKey().replace("~", "~0")
                  .replace("/", "~1"), "propertyNames",
                  "attribute names must be non-empty and without '.'"))));
        }
        attributes.put(en.getKey(), MAPPER.convertValue(en.getValue(), Object.class));
      }
    }
    LocalDate asOf = LocalDate.now(clock);
    CustomerView view = CustomerViews.of(data.value, analysis, attributes, asOf);
    Eligibility eligibility = evaluator.evaluate(Objects.requireNonNull(rules).get(),
        data.value.customerId(), view);
    return new Resolved(data.value, analysis, attributes, eligibility, null);
  }

  private static Parsed<CustomerData> customerData(String tool, JsonNode node) {
    try {
      return new Parsed<>(CustomerData.fromJson(node.toString()), null);
    } catch (InvalidInputException e) {
      return new Parsed<>(null, invalid(tool, e));
    }
  }

  private static ToolResult invalid(String tool, InvalidInputException e) {
    List<ArgumentProblem> problems = new ArrayList<>();
    for (FieldError fe : e.errors()) {
      problems.add(new ArgumentProblem(pointer(fe.field()), "customerData", fe.message()));
    }
    if (problems.isEmpty()) {
      problems.add(new ArgumentProblem("/customerData", "customerData",
          "not valid customer data"));
    }
    return new ToolResult.InvalidArguments(tool, problems);
  }

  /** {@code customerData.customer.productHistory[0].orderCount} → a JSON pointer. */
  static String pointer(String field) {
    String f = field.startsWith("customerData") ? field : "customerData." + field;
    StringBuilder sb = new StringBuilder();
    for (String part : f.split("\\.")) {
      String name = part;
      String index = null;
      int bracket = part.indexOf('[');
      if (bracket >= 0 && part.endsWith("]")) {
        name = part.substring(0, bracket);
        index = part.substring(bracket + 1, part.length() - 1);
      }
      if (!name.isEmpty()) {
        sb.append('/').append(name.replace("~", "~0").replace("/", "~1"));
      }
      if (index != null) {
        sb.append('/').append(index);
      }
    }
    return sb.toString();
  }

  private static ToolResult upstream(SegmentException e) {
    return ToolResult.failed(ToolErrorCode.UPSTREAM_FAILED, "the segment agent call failed ("
        + e.code() + (e.retryable() ? ", retryable" : "") + ")");
  }

  /** Builds {@link SdkTools}. Not thread-safe. */
  public static final class Builder {
    private @Nullable SegmentClient segmentClient;
    private @Nullable Supplier<RuleSet> rules;
    private @Nullable CampaignEvaluator evaluator;
    private @Nullable DecisionEngine engine;
    private @Nullable ActionExecutor executor;
    private CampaignMetricsSource metrics = new InMemoryCampaignMetrics();
    private Clock clock = Clock.systemUTC();
    private String requestedBy = "llm-agent";
    private Duration planTtl = Duration.ofHours(1);
    private int maxPlans = 10_000;

    private Builder() {}

    /**
     * The segment client: enables {@code analyze_customer}, and analyses customers whose
     * analysis the model did not pass. Default: none. The tools never close it.
     */
    public Builder segmentClient(SegmentClient client) {
      this.segmentClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The campaign rules, fixed. Enables {@code check_eligibility}. Default: none. */
    public Builder rules(RuleSet rules) {
      Objects.requireNonNull(rules, "rules");
      this.rules = () -> rules;
      return this;
    }

    /**
     * The campaign rules, read on every call ({@code holder::current}, so reloads apply).
     * Enables {@code check_eligibility}. Default: none.
     */
    public Builder rules(Supplier<RuleSet> rules) {
      this.rules = Objects.requireNonNull(rules, "rules");
      return this;
    }

    /** The evaluator. Default: one with this builder's clock and no global control group. */
    public Builder evaluator(CampaignEvaluator evaluator) {
      this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
      return this;
    }

    /**
     * The decision engine, whose approval gate, budget ledger and contact history the tools
     * share with every other caller. With rules, enables {@code plan_actions} and
     * {@code request_approval}. Default: none.
     */
    public Builder decisionEngine(DecisionEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /** Who executes actions. With an engine, enables {@code execute_approved_action}. */
    public Builder executor(ActionExecutor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Where {@code read_metrics} reads. Default: an empty {@link InMemoryCampaignMetrics}. */
    public Builder metrics(CampaignMetricsSource metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * The clock of as-of dates and plan expiry. Default {@link Clock#systemUTC()}; use the
     * engine's clock.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Who approval requests are recorded as requested by. Default {@code llm-agent}. */
    public Builder requestedBy(String requestedBy) {
      if (requestedBy.isBlank()) {
        throw new IllegalArgumentException("requestedBy must not be blank");
      }
      this.requestedBy = requestedBy;
      return this;
    }

    /**
     * How long a plan can be referred to. Default 1 hour: long enough for a human to approve
     * within a conversation, short enough that stale plans are re-made.
     */
    public Builder planTtl(Duration planTtl) {
      if (planTtl.isNegative() || planTtl.isZero()) {
        throw new IllegalArgumentException("planTtl must be positive but was " + planTtl);
      }
      this.planTtl = planTtl;
      return this;
    }

    /** Most plans kept; the oldest are forgotten first. Default 10,000. */
    public Builder maxPlans(int maxPlans) {
      if (maxPlans < 1) {
        throw new IllegalArgumentException("maxPlans must be positive but was " + maxPlans);
      }
      this.maxPlans = maxPlans;
      return this;
    }

    public SdkTools build() {
      return new SdkTools(this);
    }
  }
}
