package dev.opagent.agent.tools;

import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.engine.ActionStatus;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.CustomerViews;
import dev.opagent.agent.engine.Decision;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.GuardrailVerdict;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.agent.tools.spi.ActionExecutor;
import dev.opagent.agent.tools.spi.CampaignMetricsSource;
import dev.opagent.agent.tools.spi.CustomerContextProvider;
import dev.opagent.agent.tools.spi.CustomerFacts;
import dev.opagent.agent.tools.spi.ExecutionReceipt;
import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.attributes.CustomerView;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.InvalidInputException;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentException;
import dev.opagent.segment.SegmentOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The SDK's own operations as tools for LLM agents. Immutable and thread-safe; the {@link Builder}
 * is not. A tool is offered only when its collaborators are configured:
 *
 * <table>
 *   <caption>Tools</caption>
 *   <tr><th>tool</th><th>needs</th><th>does</th></tr>
 *   <tr><td>{@code analyze_customer}</td><td>segment client, customers</td>
 *       <td>segments one customer</td></tr>
 *   <tr><td>{@code check_eligibility}</td><td>rules, customers</td>
 *       <td>every campaign's verdict with its reason</td></tr>
 *   <tr><td>{@code plan_actions}</td><td>rules, decision engine, customers</td>
 *       <td>a dry-run decision: ranked actions with guardrail verdicts, kept under a plan id</td></tr>
 *   <tr><td>{@code request_approval}</td><td>rules, decision engine, customers</td>
 *       <td>asks a human, through the engine's {@link ApprovalGate}, to approve a planned action
 *       for its one customer</td></tr>
 *   <tr><td>{@code execute_approved_action}</td><td>rules, decision engine, customers,
 *       executor</td>
 *       <td>executes a planned action — refused unless its approval for that customer, from the
 *       same gate the engine and executor use, is {@code APPROVED}, and only if a live decision on
 *       the host's current facts still chooses it</td></tr>
 *   <tr><td>{@code read_metrics}</td><td>(in-memory metrics by default)</td>
 *       <td>campaign counters and rates</td></tr>
 * </table>
 *
 * <p>What the guardrails check comes from the host, never from the model: the model names a
 * customer by id and chooses among planned actions, and the customer's data, consent, time zone,
 * attributes and segment analysis come from the {@link CustomerContextProvider} (the analysis from
 * the provider or, when it has none, the segment client). The argument schemas admit no other
 * members, so a call claiming consent or a time zone is rejected as invalid.
 *
 * <p>Approvals through the tools are per customer: {@code request_approval} asks for one action of
 * one campaign for one customer, and {@code execute_approved_action} accepts only such a grant — a
 * campaign-wide grant made for batch runs does not let a model send the offer to anyone it names.
 * The policy's audience threshold ({@code ApprovalThresholds.audienceAbove}) is counted across tool
 * calls: the distinct customers a campaign was planned for through these tools within {@link
 * Builder#audienceWindow} — beyond it, each further customer's action needs its own approval.
 *
 * <p>Executions of one customer are serialised, and each planned action executes at most once: a
 * repeated call answers {@link ToolResult.AlreadyExecuted} and charges nothing, and concurrent
 * calls for one customer decide one after another, so a frequency cap holds. An LLM cannot grant
 * approvals: no tool does. Humans decide with {@link ApprovalGate#grant}.
 *
 * <pre>{@code
 * SdkTools tools = SdkTools.builder()
 *     .customerContextProvider(crm::facts)   // consent, zone, attributes: the host's, not the model's
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

  /** Locks serialising the executions of one customer; customers share a stripe by hash. */
  private static final int STRIPES = 256;

  private final @Nullable SegmentClient segmentClient;
  private final @Nullable Supplier<RuleSet> rules;
  private final CampaignEvaluator evaluator;
  private final @Nullable DecisionEngine engine;
  private final @Nullable ActionExecutor executor;
  private final CampaignMetricsSource metrics;
  private final Clock clock;
  private final String requestedBy;
  private final PlanStore plans;
  private final @Nullable CustomerContextProvider customers;
  private final AudienceCounter audience;
  private final Duration audienceWindow;
  private final ReentrantLock[] executionLocks = new ReentrantLock[STRIPES];

  private SdkTools(Builder b) {
    this.segmentClient = b.segmentClient;
    this.rules = b.rules;
    this.clock = b.clock;
    this.evaluator =
        b.evaluator != null ? b.evaluator : CampaignEvaluator.builder().clock(b.clock).build();
    this.engine = b.engine;
    this.executor = b.executor;
    this.metrics = b.metrics;
    this.requestedBy = b.requestedBy;
    this.plans = new PlanStore(b.clock, b.planTtl, b.maxPlans);
    this.customers = b.customers;
    this.audienceWindow = b.audienceWindow;
    this.audience =
        new AudienceCounter(
            b.clock,
            b.audienceWindow,
            b.engine == null ? Long.MAX_VALUE : b.engine.policy().approval().audienceAbove());
    for (int i = 0; i < STRIPES; i++) {
      executionLocks[i] = new ReentrantLock();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The definitions of the tools whose collaborators are configured. */
  public List<ToolDefinition<?, ?>> definitions() {
    List<ToolDefinition<?, ?>> out = new ArrayList<>();
    if (segmentClient != null && customers != null) {
      out.add(
          define(
                  "analyze_customer",
                  AnalyzeArgs.class,
                  true,
                  "Segments one customer with the customer-segment agent: churn, value, loyalty tier,"
                      + " diversity, affinity, age band and overdue regular products.")
              .build(this::analyze));
    }
    if (rules != null && customers != null) {
      out.add(
          define(
                  "check_eligibility",
                  CustomerArgs.class,
                  true,
                  "Evaluates every campaign rule for one customer: which campaigns the customer is"
                      + " eligible for, and for the others the condition that failed.")
              .build(this::eligibility));
    }
    if (rules != null && engine != null && customers != null) {
      out.add(
          define(
                  "plan_actions",
                  CustomerArgs.class,
                  true,
                  "Plans the marketing actions for one customer without executing anything: ranked"
                      + " candidate actions with guardrail verdicts (consent, frequency caps, quiet hours,"
                      + " approval, budget). Returns a planId for request_approval and"
                      + " execute_approved_action.")
              .build(this::plan));
      out.add(
          define(
                  "request_approval",
                  ActionRef.class,
                  false,
                  "Asks a human to approve a planned action that needs approval (large discount,"
                      + " spend or audience), for the plan's customer only. Returns the approval id; a"
                      + " human decides, not the agent.")
              .build(this::requestApproval));
      if (executor != null) {
        out.add(
            define(
                    "execute_approved_action",
                    ActionRef.class,
                    false,
                    "Executes one planned action. Refused while its approval is pending, rejected or"
                        + " expired, or when a guardrail blocks it now; an action executed before answers"
                        + " already_executed and is not executed again.")
                .build(this::execute));
      }
    }
    out.add(
        define(
                "read_metrics",
                MetricsArgs.class,
                true,
                "Reads campaign metrics: actions delivered, opens, clicks, coupons used, conversions,"
                    + " revenue, cost, rates and ROI (null while not known), for one campaign or all.")
            .build(this::readMetrics));
    return List.copyOf(out);
  }

  /** Registers {@link #definitions()} into {@code registry} and returns it. */
  public ToolRegistry registerInto(ToolRegistry registry) {
    return registry.registerAll(definitions());
  }

  private static <A> ToolDefinition.Builder<A> define(
      String name, Class<A> type, boolean readOnly, String description) {
    return ToolDefinition.builder(name, type)
        .description(description)
        .readOnly(readOnly)
        .inputSchemaResource(SCHEMAS + name + ".schema.json", SdkTools.class.getClassLoader());
  }

  // ---- argument and result records ----

  /**
   * Arguments of {@code analyze_customer}.
   *
   * @param customerId the customer, whose data the {@link CustomerContextProvider} supplies
   * @param bypassCache whether to skip the cache
   */
  public record AnalyzeArgs(String customerId, @Nullable Boolean bypassCache) {}

  /**
   * Arguments of {@code check_eligibility} and {@code plan_actions}: the customer's id only — its
   * data, consent, time zone, attributes and analysis are the host's facts.
   *
   * @param customerId the customer
   */
  public record CustomerArgs(String customerId) {}

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
  public record PlanView(
      String planId,
      String customerId,
      String decidedAt,
      boolean globalHoldout,
      List<String> heldOutCampaigns,
      List<ActionView> actions) {}

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
  public record ActionView(
      int rank,
      String campaign,
      String campaignName,
      String actionType,
      @Nullable String channel,
      String status,
      String reason,
      String message,
      double probability,
      double discountRate,
      String plannedAt,
      boolean approvalRequired,
      @Nullable String approvalReason) {}

  /**
   * Result of {@code request_approval} when the action needs none or is approved already.
   *
   * @param approvalNeeded whether the action needs approval
   * @param approvalId the approval request, when one exists
   * @param approvalStatus its status
   */
  public record ApprovalView(
      boolean approvalNeeded, @Nullable String approvalId, String approvalStatus) {}

  /**
   * Result of {@code execute_approved_action} when the action was executed by this call (a repeat
   * answers {@link ToolResult.AlreadyExecuted}).
   *
   * @param campaign the campaign
   * @param actionType the action type
   * @param executionId the executor's id
   * @param detail the executor's explanation
   */
  public record ExecutionView(
      String campaign, String actionType, String executionId, String detail) {}

  /**
   * One campaign's metrics. A rate that is not known (nothing delivered yet; for the ROI, nothing
   * spent) is null, never 0, so a new campaign cannot pass for a failing one.
   *
   * @param campaign the campaign (rule id)
   * @param metrics the counters
   * @param openRate opens per delivered action
   * @param clickRate clicks per delivered action
   * @param conversionRate conversions per delivered action
   * @param roi (revenue − cost) / cost
   */
  public record MetricsView(
      String campaign,
      Metrics metrics,
      @Nullable Double openRate,
      @Nullable Double clickRate,
      @Nullable Double conversionRate,
      @Nullable Double roi) {}

  // ---- tools ----

  private Object analyze(AnalyzeArgs args) {
    Facts facts = facts(args.customerId());
    if (facts.problem != null) {
      return facts.problem;
    }
    SegmentClient client = Objects.requireNonNull(segmentClient);
    try {
      CustomerFacts found = Objects.requireNonNull(facts.value(), "present when no problem is");
      SegmentOutcome.Success s =
          client.analyzeDetailed(found.data(), Boolean.TRUE.equals(args.bypassCache()));
      return new AnalysisView(s.customerId(), s.analysis(), s.source().name());
    } catch (InvalidInputException e) {
      return hostDataInvalid(e);
    } catch (SegmentException e) {
      return upstream(e);
    }
  }

  private Object eligibility(CustomerArgs args) {
    Resolved r = resolve(args.customerId());
    if (r.problem != null) {
      return r.problem;
    }
    return Objects.requireNonNull(r.context).eligibility();
  }

  private Object plan(CustomerArgs args) {
    Resolved r = resolve(args.customerId());
    if (r.problem != null) {
      return r.problem;
    }
    DecisionEngine e = Objects.requireNonNull(engine);
    Decision d = e.dryRun(Objects.requireNonNull(r.context));
    PlanStore.Plan p = plans.put(d);
    ApprovalGate gate = e.approvalGate();
    List<ActionView> actions = new ArrayList<>();
    for (PlannedAction a : d.candidates()) {
      GuardrailVerdict v = a.deciding();
      String approvalReason = a.approvalReason();
      String status = a.status().name();
      String reason = a.reason().name();
      String message = a.status() == ActionStatus.CHOSEN || v == null ? "passed" : v.message();
      if (reachesCustomer(a)) {
        String audienceReason = audienceReason(a);
        if (approvalReason == null && audienceReason != null) {
          approvalReason = audienceReason;
          if (a.status() == ActionStatus.CHOSEN
              && gate.check(customerKey(a)) != ApprovalStatus.APPROVED) {
            status = ActionStatus.DEFERRED.name();
            reason = "APPROVAL_REQUIRED";
            message = audienceReason + "; a human must approve it for this customer";
          }
        }
      }
      actions.add(
          new ActionView(
              a.rank(),
              a.campaign(),
              a.campaignName(),
              a.actionType(),
              a.channel() == null ? null : a.channel().id(),
              status,
              reason,
              message,
              a.score().probability(),
              a.discountRate(),
              a.plannedAt().toString(),
              approvalReason != null,
              approvalReason));
    }
    List<String> heldOut = d.heldOut().stream().map(h -> h.campaign()).toList();
    return new PlanView(
        p.id(), d.customerId(), d.decidedAt().toString(), d.globalHoldout(), heldOut, actions);
  }

  private Object requestApproval(ActionRef ref) {
    Found f = find(ref);
    if (f.problem != null) {
      return f.problem;
    }
    DecisionEngine e = Objects.requireNonNull(engine);
    PlannedAction a = Objects.requireNonNull(f.action);
    String reason = approvalReason(a);
    if (reason == null) {
      return new ApprovalView(false, null, ApprovalStatus.NOT_REQUESTED.name());
    }
    // One customer's action only: a grant asked for by a model never covers other customers.
    ApprovalRequest request = e.approvalGate().request(customerKey(a), reason, requestedBy);
    ApprovalStatus status = request.statusAt(clock.instant());
    if (status == ApprovalStatus.APPROVED) {
      return new ApprovalView(true, request.id(), status.name());
    }
    return new ToolResult.ApprovalRequired(
        request.id(),
        status,
        "approval requested for "
            + a.campaign()
            + "/"
            + a.actionType()
            + " ("
            + request.summary()
            + "); a human must grant it before execute_approved_action can run it");
  }

  private Object execute(ActionRef ref) {
    Found f = find(ref);
    if (f.problem != null) {
      return f.problem;
    }
    PlanStore.Plan plan = Objects.requireNonNull(f.plan);
    PlannedAction planned = Objects.requireNonNull(f.action);
    ReentrantLock lock = executionLocks[Math.floorMod(planned.customerId().hashCode(), STRIPES)];
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return ToolResult.failed(
          ToolErrorCode.TIMED_OUT,
          "not executed: interrupted while another execution for the customer was running");
    }
    try {
      return executeLocked(ref, plan, planned);
    } finally {
      lock.unlock();
    }
  }

  /** Runs with the customer's lock held, so the live decision sees every earlier delivery. */
  private Object executeLocked(ActionRef ref, PlanStore.Plan plan, PlannedAction planned) {
    String actionKey = PlanStore.Plan.actionKey(ref.campaign(), ref.actionType());
    String earlier = plan.executions().get(actionKey);
    if (earlier != null) {
      return new ToolResult.AlreadyExecuted(
          earlier,
          ref.campaign()
              + "/"
              + ref.actionType()
              + " of this plan was executed already ("
              + earlier
              + "); nothing was done or charged"
              + " again");
    }
    DecisionEngine e = Objects.requireNonNull(engine);
    String needed = approvalReason(planned);
    if (needed != null) {
      ToolResult refused = approvalRefusal(e, planned);
      if (refused != null) {
        return refused;
      }
    }
    // Decide again on what the host knows now, not on what was known when planning.
    Resolved r = resolve(planned.customerId());
    if (r.problem != null) {
      return r.problem;
    }
    Decision live = e.decide(Objects.requireNonNull(r.context));
    PlannedAction chosen = null;
    for (PlannedAction a : live.chosen()) {
      if (chosen == null
          && a.campaign().equals(ref.campaign())
          && a.actionType().equals(ref.actionType())) {
        chosen = a;
      } else {
        release(e, a);
      }
    }
    if (chosen == null) {
      Optional<PlannedAction> now =
          live.candidates().stream()
              .filter(
                  a ->
                      a.campaign().equals(ref.campaign())
                          && a.actionType().equals(ref.actionType()))
              .findFirst();
      String why =
          now.map(
                  a ->
                      a.reason().name()
                          + ": "
                          + (a.deciding() == null ? "not chosen" : a.deciding().message()))
              .orElse("the campaign no longer applies to the customer");
      return ToolResult.failed(ToolErrorCode.REFUSED, "not executed: " + why);
    }
    if (approvalReason(chosen) != null) {
      // A live decision may pass on a campaign-wide grant; the tools need this customer's.
      ToolResult refused = approvalRefusal(e, chosen);
      if (refused != null) {
        release(e, chosen);
        return refused;
      }
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
    plan.executions().put(actionKey, receipt.executionId());
    return new ExecutionView(
        chosen.campaign(), chosen.actionType(), receipt.executionId(), receipt.detail());
  }

  private @Nullable ToolResult approvalRefusal(DecisionEngine e, PlannedAction a) {
    ApprovalStatus status = e.approvalGate().check(customerKey(a));
    switch (status) {
      case APPROVED:
        return null;
      case PENDING:
        {
          String id = latestRequest(e.approvalGate(), a, ApprovalStatus.PENDING);
          return new ToolResult.ApprovalRequired(
              id,
              status,
              "not executed: "
                  + a.campaign()
                  + "/"
                  + a.actionType()
                  + " awaits a human's approval");
        }
      case REJECTED:
        return ToolResult.failed(
            ToolErrorCode.APPROVAL_REJECTED,
            "not executed: the approval of "
                + a.campaign()
                + "/"
                + a.actionType()
                + " was rejected; do not retry");
      case EXPIRED:
        return ToolResult.failed(
            ToolErrorCode.APPROVAL_EXPIRED,
            "not executed: the approval of "
                + a.campaign()
                + "/"
                + a.actionType()
                + " expired; call request_approval again");
      default:
        return ToolResult.failed(
            ToolErrorCode.REFUSED,
            "not executed: "
                + a.campaign()
                + "/"
                + a.actionType()
                + " needs a human's approval; call request_approval first");
    }
  }

  private static String latestRequest(ApprovalGate gate, PlannedAction a, ApprovalStatus status) {
    Optional<ApprovalRequest> r = gate.latest(customerKey(a));
    return r.isPresent() && r.get().status() == status ? r.get().id() : "unknown";
  }

  /** The approval key of {@code a} for its one customer: what the tools ask for and accept. */
  private static ApprovalKey customerKey(PlannedAction a) {
    return ApprovalKey.action(a.campaign(), a.customerId(), a.actionType());
  }

  /**
   * Why {@code a} needs a human's approval before the tools execute it: the engine's reason
   * (discount, spend), else the audience counted across tool calls; null when it needs none.
   */
  private @Nullable String approvalReason(PlannedAction a) {
    String reason = a.approvalReason();
    if (reason != null) {
      return reason;
    }
    return reachesCustomer(a) ? audienceReason(a) : null;
  }

  /** Whether {@code a} would reach the customer once approved: chosen or waiting for approval. */
  private static boolean reachesCustomer(PlannedAction a) {
    return a.status() == ActionStatus.CHOSEN
        || (a.status() == ActionStatus.DEFERRED && a.approvalReason() != null);
  }

  private @Nullable String audienceReason(PlannedAction a) {
    if (audience.admit(a.campaign(), a.customerId())) {
      return null;
    }
    return "audience of campaign '"
        + a.campaign()
        + "' planned through tools within "
        + audienceWindow
        + " exceeds "
        + Objects.requireNonNull(engine).policy().approval().audienceAbove()
        + " customers";
  }

  private static void release(DecisionEngine e, PlannedAction a) {
    e.giveBack(a);
  }

  private Object readMetrics(MetricsArgs args) {
    if (args.campaign() != null) {
      Optional<Metrics> m = metrics.campaign(args.campaign());
      if (m.isEmpty()) {
        return ToolResult.failed(
            ToolErrorCode.NOT_FOUND, "no metrics for campaign '" + args.campaign() + "'");
      }
      return List.of(view(args.campaign(), m.get()));
    }
    List<MetricsView> out = new ArrayList<>();
    metrics.all().forEach((campaign, m) -> out.add(view(campaign, m)));
    return out;
  }

  private static MetricsView view(String campaign, Metrics m) {
    return new MetricsView(
        campaign,
        m,
        known(m.openRate()),
        known(m.clickRate()),
        known(m.conversionRate()),
        known(m.roi()));
  }

  private static @Nullable Double known(double rate) {
    return Double.isNaN(rate) ? null : rate;
  }

  // ---- helpers ----

  private record Facts(@Nullable CustomerFacts value, @Nullable ToolResult problem) {}

  /** The context the engine decides on, built from the host's facts only. */
  private record Resolved(@Nullable CustomerContext context, @Nullable ToolResult problem) {}

  private record Found(
      PlanStore.@Nullable Plan plan,
      @Nullable PlannedAction action,
      @Nullable ToolResult problem) {}

  private Found find(ActionRef ref) {
    Optional<PlanStore.Plan> plan = plans.get(ref.planId());
    if (plan.isEmpty()) {
      return new Found(
          null,
          null,
          ToolResult.failed(
              ToolErrorCode.NOT_FOUND,
              "no plan '" + ref.planId() + "' (unknown or expired); call plan_actions again"));
    }
    for (PlannedAction a : plan.get().decision().candidates()) {
      if (a.campaign().equals(ref.campaign()) && a.actionType().equals(ref.actionType())) {
        return new Found(plan.get(), a, null);
      }
    }
    List<String> known =
        plan.get().decision().candidates().stream()
            .map(a -> a.campaign() + "/" + a.actionType())
            .toList();
    return new Found(
        null,
        null,
        ToolResult.failed(
            ToolErrorCode.NOT_FOUND,
            "plan '"
                + ref.planId()
                + "' has no action "
                + ref.campaign()
                + "/"
                + ref.actionType()
                + "; it has: "
                + (known.isEmpty() ? "none" : String.join(", ", known))));
  }

  /**
   * The host's facts about {@code customerId}; an unknown id is a problem that does not repeat it.
   */
  private Facts facts(String customerId) {
    Optional<CustomerFacts> found = Objects.requireNonNull(customers).find(customerId);
    if (found.isEmpty()) {
      return new Facts(
          null,
          ToolResult.failed(
              ToolErrorCode.NOT_FOUND,
              "no customer with the given customerId is known to the host; use an id the user or a"
                  + " previous tool result gave"));
    }
    if (!found.get().data().customerId().equals(customerId)) {
      return new Facts(
          null,
          ToolResult.failed(
              ToolErrorCode.UPSTREAM_FAILED,
              "the host's customer facts are of another customer than the one asked for"));
    }
    return new Facts(found.get(), null);
  }

  private Resolved resolve(String customerId) {
    Facts facts = facts(customerId);
    if (facts.problem != null) {
      return new Resolved(null, facts.problem);
    }
    CustomerFacts f = Objects.requireNonNull(facts.value);
    CustomerData data = f.data();
    SegmentAnalysis analysis = f.analysis();
    if (analysis == null && segmentClient != null) {
      try {
        analysis = segmentClient.analyze(data);
      } catch (InvalidInputException e) {
        return new Resolved(null, hostDataInvalid(e));
      } catch (SegmentException e) {
        return new Resolved(null, upstream(e));
      }
    }
    LocalDate asOf = LocalDate.now(clock);
    CustomerView view = CustomerViews.of(data, analysis, f.attributes(), asOf);
    Eligibility eligibility =
        evaluator.evaluate(Objects.requireNonNull(rules).get(), data.customerId(), view);
    CustomerContext.Builder cb =
        CustomerContext.builder(eligibility)
            .customerData(data)
            .putAttributes(f.attributes())
            .consents(f.consents());
    if (analysis != null) {
      cb.analysis(analysis);
    }
    if (f.zone() != null) {
      cb.zone(f.zone());
    }
    return new Resolved(cb.build(), null);
  }

  private static ToolResult hostDataInvalid(InvalidInputException e) {
    return ToolResult.failed(
        ToolErrorCode.UPSTREAM_FAILED,
        "the host's data of this customer is"
            + " not valid for the segment agent ("
            + e.errors().size()
            + " problems); the host must"
            + " fix it");
  }

  private static ToolResult upstream(SegmentException e) {
    return ToolResult.failed(
        ToolErrorCode.UPSTREAM_FAILED,
        "the segment agent call failed (" + e.code() + (e.retryable() ? ", retryable" : "") + ")");
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
    private @Nullable CustomerContextProvider customers;
    private Duration audienceWindow = Duration.ofDays(1);

    private Builder() {}

    /**
     * Where the tools read a customer's data, consent, time zone, attributes and (optionally)
     * segment analysis, by the customer id the model names. Required as soon as a customer tool
     * would be offered (a segment client or rules are configured): the facts guardrails check must
     * come from the host, never from the model's arguments. Default: none.
     */
    public Builder customerContextProvider(CustomerContextProvider provider) {
      this.customers = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * The window in which the distinct customers a campaign was planned for through the tools are
     * counted against the policy's audience threshold. Default 1 day, like one daily round of the
     * operation loop; lengthen it when a campaign's audience should be judged over its whole run.
     */
    public Builder audienceWindow(Duration audienceWindow) {
      Objects.requireNonNull(audienceWindow, "audienceWindow");
      if (audienceWindow.isNegative() || audienceWindow.isZero()) {
        throw new IllegalArgumentException(
            "audienceWindow must be positive but was " + audienceWindow);
      }
      this.audienceWindow = audienceWindow;
      return this;
    }

    /**
     * The segment client: enables {@code analyze_customer}, and analyses customers whose facts
     * carry no analysis. Default: none. The tools never close it.
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
     * The campaign rules, read on every call ({@code holder::current}, so reloads apply). Enables
     * {@code check_eligibility}. Default: none.
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
     * The decision engine, whose approval gate, budget ledger and contact history the tools share
     * with every other caller. With rules, enables {@code plan_actions} and {@code
     * request_approval}. Default: none.
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
     * The clock of as-of dates and plan expiry. Default {@link Clock#systemUTC()}; use the engine's
     * clock.
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
     * How long a plan can be referred to. Default 1 hour: long enough for a human to approve within
     * a conversation, short enough that stale plans are re-made.
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

    /**
     * Builds the tools.
     *
     * @throws IllegalStateException if a segment client or rules are configured without a {@link
     *     #customerContextProvider customer-context provider}
     */
    public SdkTools build() {
      if (customers == null && (segmentClient != null || rules != null)) {
        throw new IllegalStateException(
            "customerContextProvider is required when "
                + (rules != null ? "rules" : "a segmentClient")
                + " are configured: the customer"
                + " tools take a customerId and read the customer's data, consent, time zone and"
                + " attributes from the host, never from the model's arguments; set"
                + " SdkTools.builder().customerContextProvider(id -> ...)");
      }
      return new SdkTools(this);
    }
  }
}
