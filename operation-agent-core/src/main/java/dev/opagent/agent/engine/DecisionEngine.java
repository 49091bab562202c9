package dev.opagent.agent.engine;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalScope;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.budget.BudgetLedger;
import dev.opagent.agent.budget.Reservation;
import dev.opagent.agent.internal.ExecutionCounters;
import dev.opagent.agent.internal.ZoneDays;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.spi.Contact;
import dev.opagent.agent.spi.ContactHistory;
import dev.opagent.agent.spi.ConversionRates;
import dev.opagent.rules.Action;
import dev.opagent.rules.Rule;
import dev.opagent.rules.RuleSet;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which actions each customer gets: ranks the actions of the campaigns the customer is
 * eligible for by expected value, resolves conflicts, and passes each through the guardrails.
 * Thread-safe: one engine serves any number of threads; per-campaign data is computed once and
 * cached, budgets and execution limits are lock-free counters.
 *
 * <p>Per customer ({@link DecisionRun#decide}):
 *
 * <ol>
 *   <li>A customer in the policy's global holdout gets nothing; every campaign it matched is
 *       recorded as held out. Campaigns whose own control group holds the customer (campaign-rules'
 *       {@code Verdict.HeldOut}) are recorded likewise.
 *   <li>Each eligible campaign's actions become candidates (see {@link PlannedAction}) scored
 *       {@code p × customerValue − cost}, where {@code p} is the posterior mean of the policy's
 *       Beta prior and the observed outcomes of {@link ConversionRates}.
 *   <li>Candidates are taken best score first (then priority, campaign id, action order). A
 *       candidate below the minimum score, beyond the run caps or from a campaign exclusive with
 *       one already chosen is suppressed; so when a cap binds the higher-value action survives.
 *   <li>The rest pass channel mapping, consent, frequency caps, quiet hours, approval, execution
 *       limits and budget, in that order; the first verdict that does not allow decides. A chosen
 *       action holds an execution slot and a budget reservation (commit or release it in the {@link
 *       #budgetLedger()} after execution).
 * </ol>
 *
 * <pre>{@code
 * DecisionEngine engine = DecisionEngine.builder()
 *     .policy(DecisionPolicy.ofDefaults())
 *     .contactHistory(history)
 *     .clock(clock)
 *     .build();
 * Decision d = engine.decide(CustomerContext.of(data, analysis, eligibility));
 * d.chosen();      // what to execute, with reservations
 * RunSummary dry = engine.startRun(RunMode.DRY_RUN).decideAll(customers, d -> {});
 * }</pre>
 */
public final class DecisionEngine {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionEngine.class);

  /** The actor the engine requests approvals as. */
  public static final String ACTOR = "decision-engine";

  final DecisionPolicy policy;
  final Clock clock;
  final ContactHistory history;
  final ConversionRates rates;
  final BudgetLedger ledger;
  final ApprovalGate gate;
  final ExecutionCounters counters = new ExecutionCounters();
  final ZoneDays zoneDays = new ZoneDays();
  final Duration lookback;
  final SharedVerdicts verdicts;
  private final DecisionListener[] listeners;

  /** The approval spend threshold as written in the policy, and as a double; null disables. */
  final @Nullable String approvalSpend;

  final double approvalSpendValue;
  private final ConcurrentHashMap<String, CompiledCampaign> compiled = new ConcurrentHashMap<>();
  private final AtomicLong runs = new AtomicLong();

  private DecisionEngine(Builder b) {
    this.policy = b.policy;
    this.clock = b.clock;
    this.history =
        b.history != null
            ? b.history
            : new InMemoryContactHistory(
                longer(InMemoryContactHistory.DEFAULT_RETENTION, policy.contactLookback()));
    this.rates = b.rates;
    this.ledger = b.ledger != null ? b.ledger : BudgetLedger.create(policy.budgets(), clock);
    this.gate = b.gate != null ? b.gate : ApprovalGate.builder().clock(clock).build();
    this.lookback = policy.contactLookback();
    this.verdicts = new SharedVerdicts(policy);
    this.listeners = b.listeners.toArray(DecisionListener[]::new);
    java.math.BigDecimal spend = policy.approval().spendAtLeast();
    this.approvalSpend = spend == null ? null : spend.toPlainString();
    this.approvalSpendValue = spend == null ? Double.NaN : spend.doubleValue();
    if (b.rules != null) {
      for (Rule r : b.rules.rules()) {
        compiled(r.id(), r.actions());
      }
    }
  }

  private static java.time.Duration longer(java.time.Duration a, java.time.Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The default policy, system clock, in-memory history, approvals and ledger. */
  public static DecisionEngine ofDefaults() {
    return builder().build();
  }

  /** The clock of decisions, windows and quiet hours. */
  public Clock clock() {
    return clock;
  }

  /** Decides for one customer in a live run of its own. */
  public Decision decide(CustomerContext customer) {
    return startRun(RunMode.LIVE).decide(customer);
  }

  /** Decides for one customer in a dry run of its own: every verdict, no side effects. */
  public Decision dryRun(CustomerContext customer) {
    return startRun(RunMode.DRY_RUN).decide(customer);
  }

  /**
   * Starts a run: decisions within it count each other's planned contacts (frequency caps and run
   * caps apply within the run) and audiences; a dry run also keeps private copies of budgets and
   * execution counters.
   */
  public DecisionRun startRun(RunMode mode) {
    Objects.requireNonNull(mode, "mode");
    String id = (mode == RunMode.LIVE ? "run-" : "dry-") + runs.incrementAndGet();
    return new DecisionRun(this, mode, id);
  }

  public DecisionPolicy policy() {
    return policy;
  }

  /** The ledger chosen actions' reservations live in. */
  public BudgetLedger budgetLedger() {
    return ledger;
  }

  /** The approval gate the engine asks. */
  public ApprovalGate approvalGate() {
    return gate;
  }

  public ContactHistory contactHistory() {
    return history;
  }

  /** Actions of {@code actionType} counted today (operating zone) against the execution limit. */
  public long executionsToday(String actionType) {
    long day = ZoneDays.localEpochDay(policy.operatingZone(), clock.instant().getEpochSecond());
    return counters.count(actionType, day);
  }

  /**
   * Books a chosen action that was delivered: commits its budget reservation with {@code
   * actualCost} (when the channel reported none: the amount reserved, else the action's expected
   * cost) and records a contact in the {@link #contactHistory()} when its channel reaches the
   * customer. The one place where in-memory bookkeeping happens, for the executor and the LLM tools
   * alike; with an operating store the journal itself is the ledger and nothing is booked here.
   *
   * @return the cost booked
   */
  public BigDecimal settle(PlannedAction action, @Nullable BigDecimal actualCost) {
    Reservation reservation = action.reservation();
    BigDecimal cost =
        actualCost != null
            ? actualCost
            : reservation != null
                ? reservation.amount()
                : BigDecimal.valueOf(Math.max(0, action.score().cost()));
    if (reservation != null) {
      ledger.commit(reservation.id(), cost);
    }
    Channel channel = action.channel();
    if (channel != null && channel.contact()) {
      history.record(
          action.customerId(),
          new Contact(channel, action.plannedAt(), action.campaign(), action.actionType(), cost));
    }
    return cost;
  }

  /**
   * Gives back what a chosen action that will not run holds: its budget reservation and its
   * execution slots. The counterpart of {@link #settle}.
   */
  public void giveBack(PlannedAction action) {
    Reservation reservation = action.reservation();
    if (reservation != null) {
      ledger.release(reservation.id());
    }
    releaseExecution(action);
  }

  /** Gives back the execution slots a chosen action took today, when it was not executed. */
  public void releaseExecution(PlannedAction action) {
    long day =
        ZoneDays.localEpochDay(
            policy.operatingZone(),
            action.plannedAt().getEpochSecond() - action.delay().getSeconds());
    CompiledCampaign cc = compiled.get(action.campaign());
    if (cc == null) {
      return;
    }
    for (CompiledCampaign.CompiledAction ca : cc.candidates) {
      if (ca.type.equals(action.actionType())) {
        for (String t : ca.limitedTypes) {
          counters.release(t, day);
        }
        return;
      }
    }
  }

  /** Whether {@code action} needs an approval before execution. */
  public boolean requiresApproval(PlannedAction action) {
    return action.approvalReason() != null;
  }

  /**
   * The approval status covering {@code action} now: {@code APPROVED} if its campaign key or its
   * action key is approved; else {@code REJECTED} if either is rejected; else {@code PENDING} if
   * either is pending; else {@code EXPIRED} or {@code NOT_REQUESTED}. Executors call this (or
   * {@link #mayExecute}) right before executing, since approvals expire.
   */
  public ApprovalStatus checkApproval(PlannedAction action) {
    return checkApproval(action.campaign(), action.customerId(), action.actionType());
  }

  /**
   * The approval status covering action {@code actionType} of {@code campaign} for {@code
   * customerId} now, as {@link #checkApproval(PlannedAction)}: for an executor that has only the
   * journalled request (a resumed round, another process).
   */
  public ApprovalStatus checkApproval(String campaign, String customerId, String actionType) {
    return combined(
        gate.check(ApprovalKey.campaign(campaign)),
        gate.check(ApprovalKey.action(campaign, customerId, actionType)));
  }

  /** Whether {@code action} may be executed now as far as approval is concerned. */
  public boolean mayExecute(PlannedAction action) {
    return !requiresApproval(action) || checkApproval(action) == ApprovalStatus.APPROVED;
  }

  /**
   * Requests approval of {@code action} in the policy's scope (campaign scope for audience
   * thresholds). Returns the existing request when one is pending or granted.
   *
   * @throws IllegalArgumentException if the action needs no approval
   */
  public ApprovalRequest requestApproval(PlannedAction action, String requestedBy) {
    String reason = action.approvalReason();
    if (reason == null) {
      throw new IllegalArgumentException(
          "action " + action.campaign() + "/" + action.actionType() + " needs no approval");
    }
    ApprovalScope scope =
        reason.startsWith(DecisionRun.AUDIENCE_PREFIX)
            ? ApprovalScope.CAMPAIGN
            : policy.approval().scope();
    return gate.request(
        action.approvalKey(scope),
        reason,
        requestedBy,
        GuardrailJudge.money(action.score().cost()));
  }

  static ApprovalStatus combined(ApprovalStatus campaign, ApprovalStatus action) {
    for (ApprovalStatus s :
        new ApprovalStatus[] {
          ApprovalStatus.APPROVED,
          ApprovalStatus.REJECTED,
          ApprovalStatus.PENDING,
          ApprovalStatus.EXPIRED
        }) {
      if (campaign == s || action == s) {
        return s;
      }
    }
    return ApprovalStatus.NOT_REQUESTED;
  }

  /** Hands {@code decision} to every listener; a failing listener is logged and skipped. */
  void decided(Decision decision) {
    for (DecisionListener l : listeners) {
      try {
        l.decided(decision);
      } catch (RuntimeException e) {
        LOG.warn(
            "decision listener {} failed with {}", l.getClass().getName(), e.getClass().getName());
      }
    }
  }

  CompiledCampaign compiled(String campaign, List<Action> actions) {
    CompiledCampaign c = compiled.get(campaign);
    if (c != null && c.compiledFrom(actions)) {
      return c;
    }
    CompiledCampaign fresh = CompiledCampaign.compile(policy, campaign, actions);
    compiled.put(campaign, fresh);
    return fresh;
  }

  /** Builds a {@link DecisionEngine}. Not thread-safe. */
  public static final class Builder {
    private DecisionPolicy policy = DecisionPolicy.ofDefaults();
    private Clock clock = Clock.systemUTC();
    private @Nullable ContactHistory history;
    private ConversionRates rates = ConversionRates.none();
    private @Nullable BudgetLedger ledger;
    private @Nullable ApprovalGate gate;
    private @Nullable RuleSet rules;
    private final List<DecisionListener> listeners = new ArrayList<>();

    private Builder() {}

    /** What to decide by. Default {@link DecisionPolicy#ofDefaults()}. */
    public Builder policy(DecisionPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The time of decisions, windows and quiet hours. Default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Past contacts. Default: an empty {@link InMemoryContactHistory} keeping {@link
     * InMemoryContactHistory#DEFAULT_RETENTION} or the policy's {@link
     * DecisionPolicy#contactLookback()}, whichever is longer.
     */
    public Builder contactHistory(ContactHistory history) {
      this.history = Objects.requireNonNull(history, "history");
      return this;
    }

    /** Observed conversion outcomes. Default: none, so priors decide. */
    public Builder conversionRates(ConversionRates rates) {
      this.rates = Objects.requireNonNull(rates, "rates");
      return this;
    }

    /**
     * The budget ledger shared with the executor. Default: a new ledger with the policy's {@link
     * DecisionPolicy#budgets()} and this clock.
     */
    public Builder budgetLedger(BudgetLedger ledger) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      return this;
    }

    /** The approval gate shared with the executor and tools. Default: in memory, this clock. */
    public Builder approvalGate(ApprovalGate gate) {
      this.gate = Objects.requireNonNull(gate, "gate");
      return this;
    }

    /**
     * Precomputes per-campaign data of {@code rules} at build time. Optional: campaigns are
     * otherwise compiled on first sight (and again when a reloaded rule's actions change).
     */
    public Builder rules(RuleSet rules) {
      this.rules = Objects.requireNonNull(rules, "rules");
      return this;
    }

    /**
     * Adds a listener that hears about every decision, live or dry, for example to count chosen and
     * blocked actions by reason. Listeners are called in the order they were added. Default: none.
     */
    public Builder listener(DecisionListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The engine.
     *
     * @throws IllegalArgumentException when the contact history is an {@link
     *     InMemoryContactHistory} whose retention is shorter than the policy's longest
     *     frequency-cap window, so it would evict contacts a cap still counts
     */
    public DecisionEngine build() {
      if (history instanceof InMemoryContactHistory h
          && h.retention().compareTo(policy.contactLookback()) < 0) {
        throw new IllegalArgumentException(
            "the contact history keeps "
                + h.retention()
                + " of contacts but the policy's frequency caps look back "
                + policy.contactLookback()
                + "; give InMemoryContactHistory a retention at least "
                + "that long");
      }
      return new DecisionEngine(this);
    }
  }
}
