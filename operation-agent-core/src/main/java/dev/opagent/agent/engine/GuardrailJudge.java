package dev.opagent.agent.engine;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalScope;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.budget.BudgetLedger;
import dev.opagent.agent.budget.BudgetScope;
import dev.opagent.agent.budget.ReserveResult;
import dev.opagent.agent.internal.ExecutionCounters;
import dev.opagent.agent.internal.ZoneDays;
import dev.opagent.agent.policy.CapWindow;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.policy.FrequencyCap;
import dev.opagent.agent.policy.QuietHours;
import dev.opagent.agent.spi.Contact;
import dev.opagent.agent.spi.GuardrailFacts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The guardrails of one decision, applied to its candidates in rank order. Each candidate meets
 * them in a fixed sequence and stops at the first that does not let it through:
 *
 * <ol>
 *   <li>{@link Guardrail#SCORE}: amounts are finite and at most {@link DecisionRun#MAX_AMOUNT}
 *       (blocked otherwise, so every later guardrail fails closed), and the expected value reaches
 *       the policy's minimum (suppressed otherwise);
 *   <li>{@link Guardrail#CONFLICT}: no exclusive campaign chosen before it, and the run caps per
 *       customer and per channel are not reached (suppressed otherwise);
 *   <li>{@link Guardrail#CHANNEL}: the action type maps to a channel;
 *   <li>for contacts only, {@link Guardrail#CONSENT}, {@link Guardrail#FREQUENCY} (deferred until a
 *       contact leaves the window, unless the campaign's priority bypasses the cap) and {@link
 *       Guardrail#QUIET_HOURS} (deferred to the window's end in the customer's zone);
 *   <li>{@link Guardrail#APPROVAL}: spend, discount or audience thresholds need a decision of a
 *       person; a live run files the request;
 *   <li>{@link Guardrail#EXECUTION_LIMIT}: a slot of each limited action type for the operating
 *       day, taken all or none;
 *   <li>{@link Guardrail#BUDGET}: the expected cost is reserved from the campaign and global
 *       budgets; when it does not fit, the execution slots just taken are given back.
 * </ol>
 *
 * <p>What passes is {@link ActionStatus#CHOSEN}, counts against the caps of the candidates after
 * it, and is listed in {@link #chosen()}. One judge per decision; not thread-safe.
 */
final class GuardrailJudge {
  private final DecisionEngine engine;
  private final DecisionPolicy policy;
  private final RunMode mode;
  private final Map<String, AtomicLong> audience;
  private final CustomerContext ctx;
  private final BudgetLedger ledger;
  private final ExecutionCounters counters;
  private final @Nullable GuardrailFacts facts;
  private final Instant now;
  private final long nowSec;
  private final long operatingDay;
  private final ZoneId zone;
  private final List<Contact> earlier;
  private @Nullable List<Contact> history;
  private final List<Candidate> chosen = new ArrayList<>(2);
  private @Nullable List<Contact> newContacts;

  GuardrailJudge(
      DecisionEngine engine,
      RunMode mode,
      Map<String, AtomicLong> audience,
      CustomerContext ctx,
      Instant now,
      BudgetLedger ledger,
      ExecutionCounters counters,
      @Nullable GuardrailFacts facts,
      List<Contact> earlier) {
    this.engine = engine;
    this.policy = engine.policy;
    this.mode = mode;
    this.audience = audience;
    this.ctx = ctx;
    this.ledger = ledger;
    this.counters = counters;
    this.facts = facts;
    this.now = now;
    this.nowSec = now.getEpochSecond();
    this.operatingDay = engine.zoneDays.epochDay(policy.operatingZone(), nowSec);
    ZoneId z = ctx.zone();
    this.zone = z != null ? z : policy.defaultZone();
    this.earlier = earlier;
  }

  void judge(Candidate w) {
    CompiledCampaign.CompiledAction a = w.action;
    Candidate v = w;
    Score sc = w.score;
    // Every comparison with NaN is false: judge amounts first, so the guardrails fail closed.
    double max = DecisionRun.MAX_AMOUNT;
    if (!(Math.abs(sc.cost()) <= max
        && Math.abs(sc.score()) <= max
        && Math.abs(sc.customerValue()) <= max)) {
      block(
          w,
          GuardrailVerdict.block(
              Guardrail.SCORE,
              ReasonCode.INVALID_AMOUNT,
              "the expected value or cost is not a finite amount of at most "
                  + (long) max
                  + "; check the customer's amounts (basket, spending)"));
      return;
    }
    if (!(w.score.score() >= policy.minScore())) {
      suppress(
          w,
          GuardrailVerdict.block(
              Guardrail.SCORE,
              ReasonCode.BELOW_MIN_SCORE,
              "expected value "
                  + round(w.score.score())
                  + " is below the minimum "
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
      GuardrailVerdict q = quietHours(a, a.channel);
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
      block(
          w,
          GuardrailVerdict.defer(
              Guardrail.EXECUTION_LIMIT,
              ReasonCode.EXECUTION_LIMIT,
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
        block(
            w,
            GuardrailVerdict.block(
                Guardrail.BUDGET,
                ReasonCode.BUDGET_EXHAUSTED,
                (ins.scope() == BudgetScope.CAMPAIGN ? "campaign" : "global")
                    + " budget has "
                    + ins.available().stripTrailingZeros().toPlainString()
                    + " "
                    + ledger.currency()
                    + " left, the action needs "
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
      newContacts.add(
          new Contact(
              a.channel,
              now.plusSeconds(a.delaySeconds),
              w.campaign.id,
              a.type,
              BigDecimal.valueOf(units, BudgetLedger.SCALE)));
    }
  }

  /** The candidates chosen so far, in rank order. */
  List<Candidate> chosen() {
    return chosen;
  }

  /** The contacts the chosen candidates will make, or {@code null} when none. */
  @Nullable List<Contact> newContacts() {
    return newContacts;
  }

  private void releaseSlots(CompiledCampaign.CompiledAction a, int taken, long day) {
    for (int i = 0; i < taken; i++) {
      counters.release(a.limitedTypes[i], day);
    }
  }

  private void suppress(Candidate w, GuardrailVerdict verdict) {
    w.add(verdict);
    w.status = ActionStatus.SUPPRESSED;
  }

  private void block(Candidate w, GuardrailVerdict verdict) {
    w.add(verdict);
    w.status = verdict.kind() == VerdictKind.DEFER ? ActionStatus.DEFERRED : ActionStatus.BLOCKED;
  }

  private @Nullable GuardrailVerdict conflict(Candidate w) {
    Channel ch = w.action.channel;
    int total = 0;
    int sameChannel = 0;
    for (Contact c : earlier) {
      total++;
      if (c.channel().equals(ch)) {
        sameChannel++;
      }
    }
    for (Candidate c : chosen) {
      if (c.campaign != w.campaign && (c.campaign.exclusiveMask & w.campaign.exclusiveMask) != 0) {
        return GuardrailVerdict.block(
            Guardrail.CONFLICT,
            ReasonCode.EXCLUSIVE_CAMPAIGN,
            "campaign '"
                + c.campaign.id
                + "' is exclusive with '"
                + w.campaign.id
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

  private GuardrailVerdict frequency(Candidate w) {
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
      for (Candidate c : chosen) {
        if (c.action.contact && c.action.channel != null && cap.applies(c.action.channel)) {
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
      return GuardrailVerdict.defer(
          Guardrail.FREQUENCY,
          ReasonCode.FREQUENCY_CAP,
          count
              + " of "
              + cap.max()
              + " "
              + (cap.channel() == null ? "contacts" : cap.channel().id() + " contacts")
              + " in "
              + describe(cap.window()),
          until(cap, start, count));
    }
    return bypassed
        ? GuardrailVerdict.allow(
            Guardrail.FREQUENCY,
            ReasonCode.CAP_BYPASSED,
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

  private GuardrailVerdict quietHours(CompiledCampaign.CompiledAction a, Channel channel) {
    if (a.quiet.length == 0) {
      return GuardrailVerdict.passed(Guardrail.QUIET_HOURS);
    }
    long at = nowSec + a.delaySeconds;
    int s = ZoneDays.localSecondOfDay(zone, at);
    for (QuietHours q : a.quiet) {
      if (q.containsSecondOfDay(s)) {
        long day = ZoneDays.localEpochDay(zone, at);
        long endDay = s < q.end().toSecondOfDay() ? day : day + 1;
        return GuardrailVerdict.defer(
            Guardrail.QUIET_HOURS,
            ReasonCode.QUIET_HOURS,
            channel.id()
                + " is quiet from "
                + q.start()
                + " to "
                + q.end()
                + " in the customer's time zone",
            ZoneDays.at(zone, endDay, q.end()));
      }
    }
    return GuardrailVerdict.passed(Guardrail.QUIET_HOURS);
  }

  private GuardrailVerdict approval(Candidate w) {
    ApprovalThresholds t = policy.approval();
    CompiledCampaign.CompiledAction a = w.action;
    CompiledCampaign.ApprovalTexts texts = a.discountApproval;
    ApprovalScope scope = t.scope();
    if (texts == null) {
      if (engine.approvalSpend != null && w.score.cost() >= engine.approvalSpendValue) {
        texts =
            new CompiledCampaign.ApprovalTexts(
                "expected cost "
                    + round(w.score.cost())
                    + " reaches the approval threshold of "
                    + engine.approvalSpend);
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
    ApprovalKey actionKey =
        new ApprovalKey(a.actionKeyPrefix + ctx.customerId() + a.actionKeySuffix);
    ApprovalStatus s =
        DecisionEngine.combined(engine.gate.check(campaignKey), engine.gate.check(actionKey));
    switch (s) {
      case APPROVED:
        {
          w.approvalRequestId = approvedId(campaignKey, actionKey);
          return a.approvalVerdict(VerdictKind.ALLOW, ReasonCode.APPROVED, texts.approved, null);
        }
      case REJECTED:
        w.approvalRequestId = requestIdWith(campaignKey, actionKey, ApprovalStatus.REJECTED);
        return a.approvalVerdict(
            VerdictKind.BLOCK, ReasonCode.APPROVAL_REJECTED, texts.rejected, null);
      case PENDING:
        {
          ApprovalRequest r = pending(campaignKey, actionKey);
          w.approvalRequestId = r != null ? r.id() : null;
          return a.approvalVerdict(
              VerdictKind.DEFER,
              ReasonCode.APPROVAL_PENDING,
              texts.pending,
              r != null ? r.deadline() : now.plus(engine.gate.requestTtl()));
        }
      default:
        {
          if (mode == RunMode.LIVE) {
            ApprovalKey key = scope == ApprovalScope.CAMPAIGN ? campaignKey : actionKey;
            ApprovalRequest r =
                engine.gate.request(key, texts.reason, DecisionEngine.ACTOR, money(w.score.cost()));
            w.approvalRequestId = r.id();
            return a.approvalVerdict(
                VerdictKind.DEFER, ReasonCode.APPROVAL_REQUIRED, texts.requested, r.deadline());
          }
          return a.approvalVerdict(
              VerdictKind.DEFER,
              ReasonCode.APPROVAL_REQUIRED,
              texts.dryRun,
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

  /** An expected cost as money: in ten-thousandths of the budget currency, rounded up. */
  static BigDecimal money(double cost) {
    return BigDecimal.valueOf(units(cost), BudgetLedger.SCALE);
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
    return BigDecimal.valueOf(v)
        .setScale(4, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }
}
