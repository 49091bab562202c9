package dev.opagent.agent.engine;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalScope;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.budget.BudgetLedger;
import dev.opagent.agent.budget.Reservation;
import dev.opagent.agent.budget.ReserveResult;
import dev.opagent.agent.internal.ExecutionCounters;
import dev.opagent.agent.internal.ZoneDays;
import dev.opagent.agent.policy.CapWindow;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.policy.FrequencyCap;
import dev.opagent.agent.policy.QuietHours;
import dev.opagent.agent.spi.Contact;
import dev.opagent.agent.spi.GuardrailFacts;
import dev.opagent.agent.spi.Observation;
import dev.opagent.rules.Verdict;
import dev.opagent.rules.assignment.Holdout;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One pass of decisions, live or dry. Thread-safe: customers may be decided from many threads.
 * Within a run, the contacts planned for a customer count against the frequency caps and run caps
 * of that customer's later decisions, and each campaign's audience is counted for the approval
 * threshold. A run holds its planned contacts in memory until it is dropped; a live run's
 * reservations stay in the ledger until committed or released.
 *
 * <pre>{@code
 * DecisionRun run = engine.startRun(RunMode.DRY_RUN);
 * RunSummary summary = run.decideAll(customers, decision -> journal.write(decision));
 * summary.reasons();   // {CONSENT_MISSING=937, FREQUENCY_CAP=571, …}
 * }</pre>
 */
public final class DecisionRun {
  /**
   * The largest expected cost or value of one action, in the budget currency, that a decision
   * accepts; beyond it, or when it is not a finite number, the action is blocked
   * ({@link ReasonCode#INVALID_AMOUNT}) so that every guardrail fails closed.
   */
  public static final double MAX_AMOUNT = 1_000_000_000.0;

  static final String AUDIENCE_PREFIX = "audience";

  private final DecisionEngine engine;
  private final DecisionPolicy policy;
  private final RunMode mode;
  private final String id;
  private final State own;
  private final ConcurrentHashMap<String, List<Contact>> planned = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> audience = new ConcurrentHashMap<>();
  private final LongAdder customers = new LongAdder();
  private final LongAdder globalHoldouts = new LongAdder();
  private final LongAdder campaignHoldouts = new LongAdder();
  private final LongAdder withActions = new LongAdder();
  private final LongAdder[] byStatus = adders(ActionStatus.values().length);
  private final LongAdder[] byReason = adders(ReasonCode.values().length);
  private final ConcurrentHashMap<String, LongAdder> chosenByCampaign = new ConcurrentHashMap<>();

  DecisionRun(DecisionEngine engine, RunMode mode, String id) {
    this.engine = engine;
    this.policy = engine.policy;
    this.mode = mode;
    this.id = id;
    this.own = new State(mode == RunMode.LIVE ? engine.ledger : engine.ledger.copy(),
        mode == RunMode.LIVE ? engine.counters : engine.counters.copy(), null);
  }

  /**
   * Decisions of this run against facts a shared store holds for one batch of customers (see
   * {@code OperatingState}): frequency caps count the contacts {@code facts} reports (and those
   * of the engine's {@code ContactHistory}, where a host records contacts made by systems of its
   * own; nothing records opagent's deliveries there in this mode), budgets
   * start from the money it reports in use, and execution limits from the executions it counts.
   * What the batch reserves is tracked in the returned view only; the store journals it. The run's
   * own ledger, counters and planned contacts are not used. Not thread-safe: decide a batch from
   * one thread.
   */
  public Against against(GuardrailFacts facts) {
    Objects.requireNonNull(facts, "facts");
    BudgetLedger ledger = BudgetLedger.startingFrom(policy.budgets(), engine.clock,
        facts::budgetInUse);
    ZoneId zone = policy.operatingZone();
    ExecutionCounters counters = new ExecutionCounters((type, day) -> facts.executions(type,
        Instant.ofEpochSecond(ZoneDays.startOfDay(zone, day)),
        Instant.ofEpochSecond(ZoneDays.startOfDay(zone, day + 1))));
    return new Against(new State(ledger, counters, facts));
  }

  /** This run's decisions against one batch's shared facts; see {@link #against}. */
  public final class Against {
    private final State state;

    private Against(State state) {
      this.state = state;
    }

    /** Decides for one customer of the batch. */
    public Decision decide(CustomerContext ctx) {
      return DecisionRun.this.decide(ctx, state);
    }
  }

  /** Where a decision reads and reserves: the run's own memory, or a batch's shared facts. */
  private record State(BudgetLedger ledger, ExecutionCounters counters,
      @Nullable GuardrailFacts facts) {}

  public String id() {
    return id;
  }

  public RunMode mode() {
    return mode;
  }

  /** Decides every customer of {@code customers} in order, handing each decision over. */
  public RunSummary decideAll(Iterable<CustomerContext> customers, Consumer<Decision> sink) {
    for (CustomerContext c : customers) {
      sink.accept(decide(c));
    }
    return summary();
  }

  /** The contacts planned in this run for {@code customerId}. */
  public List<Contact> plannedContacts(String customerId) {
    return planned.getOrDefault(customerId, List.of());
  }

  /** Counts so far. */
  public RunSummary summary() {
    Map<ReasonCode, Long> reasons = new EnumMap<>(ReasonCode.class);
    for (ReasonCode r : ReasonCode.values()) {
      long n = byReason[r.ordinal()].sum();
      if (n > 0) {
        reasons.put(r, n);
      }
    }
    Map<String, Long> campaigns = new HashMap<>();
    chosenByCampaign.forEach((k, v) -> campaigns.put(k, v.sum()));
    return new RunSummary(id, mode, customers.sum(), globalHoldouts.sum(), campaignHoldouts.sum(),
        withActions.sum(), count(ActionStatus.CHOSEN), count(ActionStatus.BLOCKED),
        count(ActionStatus.DEFERRED), count(ActionStatus.SUPPRESSED), reasons, campaigns);
  }

  /** Decides for one customer. */
  public Decision decide(CustomerContext ctx) {
    return decide(ctx, own);
  }

  private Decision decide(CustomerContext ctx, State state) {
    Instant now = engine.clock.instant();
    String customerId = ctx.customerId();
    Holdout global = policy.globalHoldout();
    boolean inGlobal = global != null && global.contains(customerId);
    List<HeldOutCampaign> heldOut = List.of();
    Work[] work = new Work[8];
    int n = 0;
    for (Verdict v : ctx.eligibility().details()) {
      if (v instanceof Verdict.Eligible el) {
        if (inGlobal) {
          heldOut = add(heldOut, new HeldOutCampaign(el.ruleId(), global.key(), true));
          continue;
        }
        CompiledCampaign cc = engine.compiled(el.ruleId(), el.actions());
        for (int i = 0; i < cc.candidates.length; i++) {
          if (n == work.length) {
            work = Arrays.copyOf(work, n * 2);
          }
          work[n++] = new Work(cc, cc.candidates[i], el, i);
        }
      } else if (v instanceof Verdict.HeldOut h) {
        boolean g = inGlobal || (global != null && global.key().equals(h.holdout()));
        heldOut = add(heldOut, new HeldOutCampaign(h.ruleId(), h.holdout(), g));
      }
    }
    customers.increment();
    if (inGlobal) {
      globalHoldouts.increment();
    } else {
      for (HeldOutCampaign h : heldOut) {
        if (h.global()) {
          inGlobal = true;
        }
      }
      if (inGlobal) {
        globalHoldouts.increment();
      } else {
        campaignHoldouts.add(heldOut.size());
      }
    }
    if (inGlobal || n == 0) {
      return new Decision(customerId, id, mode, now, inGlobal, heldOut, List.of());
    }
    score(ctx, work, n);
    sort(work, n);
    Judge judge = new Judge(ctx, now, state);
    PlannedAction[] out = new PlannedAction[n];
    for (int i = 0; i < n; i++) {
      Work w = work[i];
      judge.judge(w);
      out[i] = w.toPlanned(customerId, i + 1, now);
      byStatus[w.status.ordinal()].increment();
      if (w.status != ActionStatus.CHOSEN) {
        byReason[w.verdicts[w.verdictCount - 1].reason().ordinal()].increment();
      }
    }
    judge.finish();
    return new Decision(customerId, id, mode, now, false, heldOut, immutable(out));
  }

  private void score(CustomerContext ctx, Work[] work, int n) {
    double value = ctx.customerValue();
    double basket = ctx.expectedBasket();
    String segment = ctx.segmentKey();
    for (int i = 0; i < n; i++) {
      Work w = work[i];
      CompiledCampaign.CompiledAction a = w.action;
      Observation o = engine.rates.observed(w.campaign.id, a.type, segment);
      double p = a.prior.posteriorMean(o.successes(), o.trials());
      double cost = a.fixedCost + a.discountRate * basket * p;
      w.score = new Score(p, a.prior.alpha(), a.prior.beta(), o.successes(), o.trials(), value,
          cost, p * value - cost);
    }
  }

  /** Insertion sort: few candidates per customer. */
  private static void sort(Work[] work, int n) {
    for (int i = 1; i < n; i++) {
      Work w = work[i];
      int j = i - 1;
      while (j >= 0 && better(w, work[j])) {
        work[j + 1] = work[j];
        j--;
      }
      work[j + 1] = w;
    }
  }

  private static boolean better(Work a, Work b) {
    int c = Double.compare(a.score.score(), b.score.score());
    if (c != 0) {
      return c > 0;
    }
    if (a.verdict.priority() != b.verdict.priority()) {
      return a.verdict.priority() > b.verdict.priority();
    }
    c = a.campaign.id.compareTo(b.campaign.id);
    return c != 0 ? c < 0 : a.index < b.index;
  }

  private long count(ActionStatus s) {
    return byStatus[s.ordinal()].sum();
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  /** The array as an immutable list, copied at most once (Decision keeps such lists as they are). */
  private static List<PlannedAction> immutable(PlannedAction[] a) {
    switch (a.length) {
      case 1:
        return List.of(a[0]);
      case 2:
        return List.of(a[0], a[1]);
      default:
        return List.of(a);
    }
  }

  private static <T> List<T> add(List<T> list, T item) {
    List<T> l = list.isEmpty() ? new ArrayList<>(2) : list;
    l.add(item);
    return l;
  }

  private static final Score NO_SCORE = new Score(0, 1, 1, 0, 0, 0, 0, 0);
  private static final int GUARDRAILS = Guardrail.values().length;

  /** One candidate while it is judged. */
  private static final class Work {
    final CompiledCampaign campaign;
    final CompiledCampaign.CompiledAction action;
    final Verdict.Eligible verdict;
    final int index;
    Score score = NO_SCORE;
    ActionStatus status = ActionStatus.SUPPRESSED;
    final GuardrailVerdict[] verdicts = new GuardrailVerdict[GUARDRAILS];
    int verdictCount;
    @Nullable Reservation reservation;
    @Nullable String approvalRequestId;
    @Nullable String approvalReason;

    Work(CompiledCampaign campaign, CompiledCampaign.CompiledAction action,
        Verdict.Eligible verdict, int index) {
      this.campaign = campaign;
      this.action = action;
      this.verdict = verdict;
      this.index = index;
    }

    void add(GuardrailVerdict v) {
      verdicts[verdictCount++] = v;
    }

    PlannedAction toPlanned(String customerId, int rank, Instant now) {
      return new PlannedAction(customerId, rank, campaign.id, verdict.name(), verdict.priority(),
          action.type, action.channel, action.parameters, action.attachments,
          action.discountRate, action.delay, now.plusSeconds(action.delaySeconds), score, status,
          action.verdicts(verdicts, verdictCount), reservation, approvalRequestId,
          approvalReason);
    }
  }

  /** Judges the candidates of one decision in rank order. */
  private final class Judge {
    final CustomerContext ctx;
    final BudgetLedger ledger;
    final ExecutionCounters counters;
    final @Nullable GuardrailFacts facts;
    final Instant now;
    final long nowSec;
    final long operatingDay;
    final ZoneId zone;
    final List<Contact> earlier;
    @Nullable List<Contact> history;
    final List<Work> chosen = new ArrayList<>(2);
    @Nullable List<Contact> newContacts;

    Judge(CustomerContext ctx, Instant now, State state) {
      this.ctx = ctx;
      this.ledger = state.ledger();
      this.counters = state.counters();
      this.facts = state.facts();
      this.now = now;
      this.nowSec = now.getEpochSecond();
      this.operatingDay = engine.zoneDays.epochDay(policy.operatingZone(), nowSec);
      ZoneId z = ctx.zone();
      this.zone = z != null ? z : policy.defaultZone();
      // With shared facts, contacts planned earlier in the run are journalled and in the facts.
      this.earlier = facts != null ? List.of() : planned.getOrDefault(ctx.customerId(), List.of());
    }

    void judge(Work w) {
      CompiledCampaign.CompiledAction a = w.action;
      Work v = w;
      Score sc = w.score;
      // Every comparison with NaN is false: judge amounts first, so the guardrails fail closed.
      if (!(Math.abs(sc.cost()) <= MAX_AMOUNT && Math.abs(sc.score()) <= MAX_AMOUNT
          && Math.abs(sc.customerValue()) <= MAX_AMOUNT)) {
        block(w, GuardrailVerdict.block(Guardrail.SCORE, ReasonCode.INVALID_AMOUNT,
            "the expected value or cost is not a finite amount of at most " + (long) MAX_AMOUNT
                + "; check the customer's amounts (basket, spending)"));
        return;
      }
      if (!(w.score.score() >= policy.minScore())) {
        suppress(w, GuardrailVerdict.block(Guardrail.SCORE, ReasonCode.BELOW_MIN_SCORE,
            "expected value " + round(w.score.score()) + " is below the minimum "
                + policy.minScore()));
        return;
      }
      v.add(GuardrailVerdict.passed(Guardrail.SCORE));
      GuardrailVerdict conflict = conflict(w);
      if (conflict != null) {
        suppress(w, conflict);
        return;
      }
      v.add(GuardrailVerdict.passed(Guardrail.CONFLICT));
      if (a.channel == null) {
        block(w, engine.verdicts.unmapped(a.type));
        return;
      }
      v.add(GuardrailVerdict.passed(Guardrail.CHANNEL));
      if (a.contact) {
        if (!ctx.hasConsent(a.channel)) {
          block(w, engine.verdicts.consentMissing(a.channel));
          return;
        }
        v.add(GuardrailVerdict.passed(Guardrail.CONSENT));
        GuardrailVerdict f = frequency(w);
        if (!f.allows()) {
          block(w, f);
          return;
        }
        v.add(f);
        GuardrailVerdict q = quietHours(a);
        if (!q.allows()) {
          block(w, q);
          return;
        }
        v.add(q);
      }
      GuardrailVerdict ap = approval(w);
      if (!ap.allows()) {
        block(w, ap);
        return;
      }
      v.add(ap);
      long day = operatingDay;
      int taken = 0;
      for (; taken < a.limitedTypes.length; taken++) {
        if (!counters.tryAcquire(a.limitedTypes[taken], day, a.limits[taken])) {
          break;
        }
      }
      if (taken < a.limitedTypes.length) {
        String type = a.limitedTypes[taken];
        long limit = a.limits[taken];
        releaseSlots(a, taken, day);
        block(w, GuardrailVerdict.defer(Guardrail.EXECUTION_LIMIT, ReasonCode.EXECUTION_LIMIT,
            "daily limit of " + limit + " " + type + " actions reached",
            Instant.ofEpochSecond(ZoneDays.startOfDay(policy.operatingZone(), day + 1))));
        return;
      }
      v.add(GuardrailVerdict.passed(Guardrail.EXECUTION_LIMIT));
      long units = units(w.score.cost());
      if (units > 0) {
        ReserveResult r = ledger.reserveUnits(w.campaign.id, units);
        if (r instanceof ReserveResult.Insufficient ins) {
          releaseSlots(a, taken, day);
          block(w, GuardrailVerdict.block(Guardrail.BUDGET, ReasonCode.BUDGET_EXHAUSTED,
              (ins.scope() == dev.opagent.agent.budget.BudgetScope.CAMPAIGN ? "campaign"
                  : "global") + " budget has " + ins.available().stripTrailingZeros()
                  .toPlainString() + " " + ledger.currency() + " left, the action needs "
                  + ins.requested().stripTrailingZeros().toPlainString()));
          return;
        }
        if (mode == RunMode.LIVE) {
          w.reservation = ((ReserveResult.Reserved) r).reservation();
        }
      }
      v.add(GuardrailVerdict.passed(Guardrail.BUDGET));
      w.status = ActionStatus.CHOSEN;
      chosen.add(w);
      if (a.contact) {
        if (newContacts == null) {
          newContacts = new ArrayList<>(2);
        }
        newContacts.add(new Contact(a.channel, now.plusSeconds(a.delaySeconds), w.campaign.id,
            a.type, BigDecimal.valueOf(units, BudgetLedger.SCALE)));
      }
    }

    void finish() {
      if (chosen.isEmpty()) {
        return;
      }
      withActions.increment();
      for (int i = 0; i < chosen.size(); i++) {
        Work w = chosen.get(i);
        chosenByCampaign.computeIfAbsent(w.campaign.id, k -> new LongAdder()).increment();
        boolean first = true;
        for (int j = 0; j < i; j++) {
          first &= chosen.get(j).campaign != w.campaign;
        }
        if (first) {
          audience.computeIfAbsent(w.campaign.id, k -> new AtomicLong()).incrementAndGet();
        }
      }
      List<Contact> added = newContacts;
      if (added != null && facts == null) {
        planned.merge(ctx.customerId(), List.copyOf(added), (old, add) -> {
          List<Contact> l = new ArrayList<>(old);
          l.addAll(add);
          return List.copyOf(l);
        });
      }
    }

    private void releaseSlots(CompiledCampaign.CompiledAction a, int taken, long day) {
      for (int i = 0; i < taken; i++) {
        counters.release(a.limitedTypes[i], day);
      }
    }

    private void suppress(Work w, GuardrailVerdict verdict) {
      w.add(verdict);
      w.status = ActionStatus.SUPPRESSED;
    }

    private void block(Work w, GuardrailVerdict verdict) {
      w.add(verdict);
      w.status = verdict.kind() == VerdictKind.DEFER ? ActionStatus.DEFERRED
          : ActionStatus.BLOCKED;
    }

    private @Nullable GuardrailVerdict conflict(Work w) {
      Channel ch = w.action.channel;
      int total = 0;
      int sameChannel = 0;
      for (Contact c : earlier) {
        total++;
        if (c.channel().equals(ch)) {
          sameChannel++;
        }
      }
      for (Work c : chosen) {
        if (c.campaign != w.campaign && (c.campaign.exclusiveMask & w.campaign.exclusiveMask) != 0) {
          return GuardrailVerdict.block(Guardrail.CONFLICT, ReasonCode.EXCLUSIVE_CAMPAIGN,
              "campaign '" + c.campaign.id + "' is exclusive with '" + w.campaign.id
                  + "' and scored higher");
        }
        total++;
        if (ch != null && ch.equals(c.action.channel)) {
          sameChannel++;
        }
      }
      if (total >= policy.maxActionsPerCustomer()) {
        return engine.verdicts.runCapTotal();
      }
      if (ch != null && sameChannel >= policy.maxActionsPerChannel()) {
        return engine.verdicts.runCapChannel(ch);
      }
      return null;
    }

    private GuardrailVerdict frequency(Work w) {
      CompiledCampaign.CompiledAction a = w.action;
      boolean bypassed = false;
      for (FrequencyCap cap : a.caps) {
        long start = windowStart(cap);
        int count = 0;
        for (Contact c : history()) {
          if (cap.applies(c.channel()) && c.at().getEpochSecond() >= start) {
            count++;
          }
        }
        for (Contact c : earlier) {
          if (cap.applies(c.channel()) && c.at().getEpochSecond() >= start) {
            count++;
          }
        }
        for (Work c : chosen) {
          if (c.action.contact && cap.applies(c.action.channel)) {
            count++;
          }
        }
        if (count < cap.max()) {
          continue;
        }
        Integer bypass = cap.bypassFromPriority();
        if (bypass != null && w.verdict.priority() >= bypass) {
          bypassed = true;
          continue;
        }
        return GuardrailVerdict.defer(Guardrail.FREQUENCY, ReasonCode.FREQUENCY_CAP,
            count + " of " + cap.max() + " " + (cap.channel() == null ? "contacts" :
                cap.channel().id() + " contacts") + " in " + describe(cap.window()),
            until(cap, start, count));
      }
      return bypassed
          ? GuardrailVerdict.allow(Guardrail.FREQUENCY, ReasonCode.CAP_BYPASSED,
              "a frequency cap is reached; priority " + w.verdict.priority() + " bypasses it")
          : GuardrailVerdict.passed(Guardrail.FREQUENCY);
    }

    private long windowStart(FrequencyCap cap) {
      if (cap.window() instanceof CapWindow.Rolling r) {
        return nowSec - r.length().getSeconds();
      }
      int days = ((CapWindow.CalendarDays) cap.window()).days();
      return engine.zoneDays.startOfDayBefore(zone, nowSec, days - 1);
    }

    /** When enough counted contacts leave the window for one more to fit. */
    private Instant until(FrequencyCap cap, long start, int count) {
      long[] times = new long[count];
      int k = 0;
      for (Contact c : history()) {
        if (cap.applies(c.channel()) && c.at().getEpochSecond() >= start) {
          times[k++] = c.at().getEpochSecond();
        }
      }
      for (Contact c : earlier) {
        if (cap.applies(c.channel()) && c.at().getEpochSecond() >= start) {
          times[k++] = c.at().getEpochSecond();
        }
      }
      while (k < count) {
        times[k++] = nowSec;
      }
      Arrays.sort(times);
      long leaving = times[count - cap.max()];
      long until;
      if (cap.window() instanceof CapWindow.Rolling r) {
        until = leaving + r.length().getSeconds();
      } else {
        int days = ((CapWindow.CalendarDays) cap.window()).days();
        until = ZoneDays.startOfDay(zone, ZoneDays.localEpochDay(zone, leaving) + days);
      }
      return Instant.ofEpochSecond(Math.max(until, nowSec + 1));
    }

    private List<Contact> history() {
      List<Contact> h = history;
      if (h == null) {
        Instant since = now.minus(engine.lookback);
        h = engine.history.contactsSince(ctx.customerId(), since);
        if (facts != null) {
          // The store's contacts, plus those the host records from systems of its own.
          List<Contact> stored = facts.contactsSince(ctx.customerId(), since);
          if (!h.isEmpty()) {
            List<Contact> both = new ArrayList<>(stored.size() + h.size());
            both.addAll(stored);
            both.addAll(h);
            stored = both;
          }
          h = stored;
        }
        history = h;
      }
      return h;
    }

    private GuardrailVerdict quietHours(CompiledCampaign.CompiledAction a) {
      if (a.quiet.length == 0) {
        return GuardrailVerdict.passed(Guardrail.QUIET_HOURS);
      }
      long at = nowSec + a.delaySeconds;
      int s = ZoneDays.localSecondOfDay(zone, at);
      for (QuietHours q : a.quiet) {
        if (q.containsSecondOfDay(s)) {
          long day = ZoneDays.localEpochDay(zone, at);
          long endDay = s < q.end().toSecondOfDay() ? day : day + 1;
          return GuardrailVerdict.defer(Guardrail.QUIET_HOURS, ReasonCode.QUIET_HOURS,
              a.channel.id() + " is quiet from " + q.start() + " to " + q.end()
                  + " in the customer's time zone",
              ZoneDays.at(zone, endDay, q.end()));
        }
      }
      return GuardrailVerdict.passed(Guardrail.QUIET_HOURS);
    }

    private GuardrailVerdict approval(Work w) {
      ApprovalThresholds t = policy.approval();
      CompiledCampaign.CompiledAction a = w.action;
      CompiledCampaign.ApprovalTexts texts = a.discountApproval;
      ApprovalScope scope = t.scope();
      if (texts == null) {
        if (engine.approvalSpend != null && w.score.cost() >= engine.approvalSpendValue) {
          texts = new CompiledCampaign.ApprovalTexts("expected cost " + round(w.score.cost())
              + " reaches the approval threshold of " + engine.approvalSpend);
        } else if (w.campaign.audienceApproval != null) {
          AtomicLong seen = audience.get(w.campaign.id);
          if (seen != null && seen.get() >= t.audienceAbove()) {
            texts = w.campaign.audienceApproval;
            scope = ApprovalScope.CAMPAIGN;
          }
        }
      }
      if (texts == null) {
        return GuardrailVerdict.passed(Guardrail.APPROVAL);
      }
      w.approvalReason = texts.reason;
      ApprovalKey campaignKey = w.campaign.approvalKey;
      ApprovalKey actionKey = new ApprovalKey(a.actionKeyPrefix + ctx.customerId()
          + a.actionKeySuffix);
      ApprovalStatus s = DecisionEngine.combined(engine.gate.check(campaignKey),
          engine.gate.check(actionKey));
      switch (s) {
        case APPROVED: {
          w.approvalRequestId = approvedId(campaignKey, actionKey);
          return a.approvalVerdict(VerdictKind.ALLOW, ReasonCode.APPROVED, texts.approved, null);
        }
        case REJECTED:
          w.approvalRequestId = requestIdWith(campaignKey, actionKey, ApprovalStatus.REJECTED);
          return a.approvalVerdict(VerdictKind.BLOCK, ReasonCode.APPROVAL_REJECTED,
              texts.rejected, null);
        case PENDING: {
          ApprovalRequest r = pending(campaignKey, actionKey);
          w.approvalRequestId = r != null ? r.id() : null;
          return a.approvalVerdict(VerdictKind.DEFER, ReasonCode.APPROVAL_PENDING, texts.pending,
              r != null ? r.deadline() : now.plus(engine.gate.requestTtl()));
        }
        default: {
          if (mode == RunMode.LIVE) {
            ApprovalKey key = scope == ApprovalScope.CAMPAIGN ? campaignKey : actionKey;
            ApprovalRequest r = engine.gate.request(key, texts.reason, DecisionEngine.ACTOR);
            w.approvalRequestId = r.id();
            return a.approvalVerdict(VerdictKind.DEFER, ReasonCode.APPROVAL_REQUIRED,
                texts.requested, r.deadline());
          }
          return a.approvalVerdict(VerdictKind.DEFER, ReasonCode.APPROVAL_REQUIRED, texts.dryRun,
              now.plus(engine.gate.requestTtl()));
        }
      }
    }

    private @Nullable String approvedId(ApprovalKey a, ApprovalKey b) {
      return requestIdWith(a, b, ApprovalStatus.APPROVED);
    }

    private @Nullable String requestIdWith(ApprovalKey a, ApprovalKey b, ApprovalStatus status) {
      for (ApprovalKey k : new ApprovalKey[] {a, b}) {
        Optional<ApprovalRequest> r = engine.gate.latest(k);
        if (r.isPresent() && r.get().statusAt(now) == status) {
          return r.get().id();
        }
      }
      return null;
    }

    private @Nullable ApprovalRequest pending(ApprovalKey a, ApprovalKey b) {
      Optional<ApprovalRequest> r = engine.gate.latest(a);
      if (r.isPresent() && r.get().statusAt(now) == ApprovalStatus.PENDING) {
        return r.get();
      }
      r = engine.gate.latest(b);
      if (r.isPresent() && r.get().statusAt(now) == ApprovalStatus.PENDING) {
        return r.get();
      }
      return null;
    }
  }

  /**
   * The cost in ten-thousandths, rounded up; a millionth of a unit of floating-point noise is
   * ignored so that 0.81 stays 8100 and not 8101.
   */
  static long units(double cost) {
    return Math.max(0, (long) Math.ceil(cost * 10_000.0 - 1e-6));
  }

  private static String describe(CapWindow w) {
    if (w instanceof CapWindow.Rolling r) {
      return "the last " + r.length();
    }
    int d = ((CapWindow.CalendarDays) w).days();
    return d == 1 ? "the current local day" : "the last " + d + " local days";
  }

  private static String round(double v) {
    return BigDecimal.valueOf(v).setScale(4, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
        .toPlainString();
  }
}
