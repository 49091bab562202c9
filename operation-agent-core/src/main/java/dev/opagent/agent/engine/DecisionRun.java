package dev.opagent.agent.engine;

import dev.opagent.agent.budget.BudgetLedger;
import dev.opagent.agent.internal.ExecutionCounters;
import dev.opagent.agent.internal.ZoneDays;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.spi.Contact;
import dev.opagent.agent.spi.GuardrailFacts;
import dev.opagent.agent.spi.Observation;
import dev.opagent.rules.Verdict;
import dev.opagent.rules.assignment.Holdout;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One pass of decisions, live or dry. Thread-safe: customers may be decided from many threads.
 * Within a run, the contacts planned for a customer count against the frequency caps and run caps
 * of that customer's later decisions, and each campaign's audience is counted for the approval
 * threshold. A run holds its planned contacts in memory until it is dropped or they are {@link
 * #release released}; a live run's reservations stay in the ledger until committed or released.
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
   * accepts; beyond it, or when it is not a finite number, the action is blocked ({@link
   * ReasonCode#INVALID_AMOUNT}) so that every guardrail fails closed.
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
    this.own =
        new State(
            mode == RunMode.LIVE ? engine.ledger : engine.ledger.copy(),
            mode == RunMode.LIVE ? engine.counters : engine.counters.copy(),
            null);
  }

  /**
   * Decisions of this run against facts a shared store holds for one batch of customers (see {@code
   * OperatingState}): frequency caps count the contacts {@code facts} reports (and those of the
   * engine's {@code ContactHistory}, where a host records contacts made by systems of its own;
   * nothing records opagent's deliveries there in this mode), budgets start from the money it
   * reports in use, and execution limits from the executions it counts. What the batch reserves is
   * tracked in the returned view only; the store journals it. The run's own ledger, counters and
   * planned contacts are not used. Not thread-safe: decide a batch from one thread.
   */
  public Against against(GuardrailFacts facts) {
    Objects.requireNonNull(facts, "facts");
    BudgetLedger ledger =
        BudgetLedger.startingFrom(policy.budgets(), engine.clock, facts::budgetInUse);
    ZoneId zone = policy.operatingZone();
    ExecutionCounters counters =
        new ExecutionCounters(
            (type, day) ->
                facts.executions(
                    type,
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
  private record State(
      BudgetLedger ledger, ExecutionCounters counters, @Nullable GuardrailFacts facts) {}

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

  /**
   * Forgets the contacts planned in this run for {@code customerIds}. Call it once their actions
   * are finished: delivered ones are in the engine's contact history (counting them here as well
   * would count them twice), failed or cancelled ones were never made. A run over customers read a
   * chunk at a time releases each chunk after delivering it, so it holds the planned contacts of
   * one chunk, not of every customer.
   */
  public void release(Collection<String> customerIds) {
    for (String id : customerIds) {
      planned.remove(id);
    }
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
    return new RunSummary(
        id,
        mode,
        customers.sum(),
        globalHoldouts.sum(),
        campaignHoldouts.sum(),
        withActions.sum(),
        count(ActionStatus.CHOSEN),
        count(ActionStatus.BLOCKED),
        count(ActionStatus.DEFERRED),
        count(ActionStatus.SUPPRESSED),
        reasons,
        campaigns);
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
    Candidate[] work = new Candidate[8];
    int n = 0;
    for (Verdict v : ctx.eligibility().details()) {
      if (v instanceof Verdict.Eligible el) {
        if (inGlobal && global != null) {
          heldOut = add(heldOut, new HeldOutCampaign(el.ruleId(), global.key(), true));
          continue;
        }
        CompiledCampaign cc = engine.compiled(el.ruleId(), el.actions());
        for (int i = 0; i < cc.candidates.length; i++) {
          if (n == work.length) {
            work = Arrays.copyOf(work, n * 2);
          }
          work[n++] = new Candidate(cc, cc.candidates[i], el, i);
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
      return decided(new Decision(customerId, id, mode, now, inGlobal, heldOut, List.of()));
    }
    score(ctx, work, n);
    sort(work, n);
    // With shared facts, contacts planned earlier in the run are journalled and in the facts.
    List<Contact> earlier =
        state.facts() != null ? List.of() : planned.getOrDefault(customerId, List.of());
    GuardrailJudge judge =
        new GuardrailJudge(
            engine,
            mode,
            audience,
            ctx,
            now,
            state.ledger(),
            state.counters(),
            state.facts(),
            earlier);
    PlannedAction[] out = new PlannedAction[n];
    for (int i = 0; i < n; i++) {
      Candidate w = work[i];
      judge.judge(w);
      out[i] = w.toPlanned(customerId, i + 1, now);
      byStatus[w.status.ordinal()].increment();
      if (w.status != ActionStatus.CHOSEN) {
        byReason[w.verdicts[w.verdictCount - 1].reason().ordinal()].increment();
      }
    }
    record(ctx, judge, state.facts() != null);
    return decided(new Decision(customerId, id, mode, now, false, heldOut, immutable(out)));
  }

  private Decision decided(Decision decision) {
    engine.decided(decision);
    return decision;
  }

  private void score(CustomerContext ctx, Candidate[] work, int n) {
    double value = ctx.customerValue();
    double basket = ctx.expectedBasket();
    String segment = ctx.segmentKey();
    for (int i = 0; i < n; i++) {
      Candidate w = work[i];
      CompiledCampaign.CompiledAction a = w.action;
      Observation o = engine.rates.observed(w.campaign.id, a.type, segment);
      double p = a.prior.posteriorMean(o.successes(), o.trials());
      double cost = a.fixedCost + a.discountRate * basket * p;
      w.score =
          new Score(
              p,
              a.prior.alpha(),
              a.prior.beta(),
              o.successes(),
              o.trials(),
              value,
              cost,
              p * value - cost);
    }
  }

  /** Insertion sort: few candidates per customer. */
  private static void sort(Candidate[] work, int n) {
    for (int i = 1; i < n; i++) {
      Candidate w = work[i];
      int j = i - 1;
      while (j >= 0 && better(w, work[j])) {
        work[j + 1] = work[j];
        j--;
      }
      work[j + 1] = w;
    }
  }

  private static boolean better(Candidate a, Candidate b) {
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

  /**
   * The array as an immutable list, copied at most once (Decision keeps such lists as they are).
   */
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

  /** Counts what a decision chose and keeps its contacts for the customer's later decisions. */
  private void record(CustomerContext ctx, GuardrailJudge judge, boolean sharedFacts) {
    List<Candidate> chosen = judge.chosen();
    if (chosen.isEmpty()) {
      return;
    }
    withActions.increment();
    for (int i = 0; i < chosen.size(); i++) {
      Candidate w = chosen.get(i);
      chosenByCampaign.computeIfAbsent(w.campaign.id, k -> new LongAdder()).increment();
      boolean first = true;
      for (int j = 0; j < i; j++) {
        first &= chosen.get(j).campaign != w.campaign;
      }
      if (first) {
        audience.computeIfAbsent(w.campaign.id, k -> new AtomicLong()).incrementAndGet();
      }
    }
    List<Contact> added = judge.newContacts();
    if (added != null && !sharedFacts) {
      planned.merge(
          ctx.customerId(),
          List.copyOf(added),
          (old, add) -> {
            List<Contact> l = new ArrayList<>(old);
            l.addAll(add);
            return List.copyOf(l);
          });
    }
  }
}
