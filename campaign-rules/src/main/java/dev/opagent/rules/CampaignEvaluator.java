package dev.opagent.rules;

import dev.opagent.rules.assignment.Holdout;
import dev.opagent.rules.condition.Failure;
import dev.opagent.rules.spi.Attributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Decides which campaigns customers are eligible for. Immutable and thread-safe: one instance
 * serves any number of threads and rule sets. The {@link Builder} is not thread-safe.
 *
 * <p>Per rule, in order: a disabled rule or one outside its validity window is {@link
 * Verdict.Inactive}, and so is an event-triggered rule ({@link Rule#trigger()}) in a round and a
 * rule without a trigger on an event ({@link #evaluateEvent}); a customer failing the condition is
 * {@link Verdict.Ineligible} with the failing sub-condition and the value seen; a matching customer
 * in the global control group or the rule's holdout is {@link Verdict.HeldOut}; otherwise {@link
 * Verdict.Eligible}. Each call reads the clock once, so all rules of one evaluation see the same
 * instant, and takes the {@link RuleSet} as an argument, so an evaluation sees one consistent set
 * even while a {@link RuleSetHolder} reloads.
 *
 * <pre>{@code
 * CampaignEvaluator evaluator = CampaignEvaluator.builder()
 *     .clock(clock)
 *     .globalControlGroup(Holdout.of("global-control-2026", 5))
 *     .build();
 * Eligibility e = evaluator.evaluate(holder.current(), "C-1001", view);
 * e.eligible();   // ["retention", "replenishment"]
 * }</pre>
 */
public final class CampaignEvaluator {
  private final Clock clock;
  private final @Nullable Holdout globalControl;

  private CampaignEvaluator(Builder b) {
    this.clock = b.clock;
    this.globalControl = b.globalControl;
  }

  /** System UTC clock, no global control group. */
  public static CampaignEvaluator ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every rule's verdict for one customer, by priority. */
  public Eligibility evaluate(RuleSet rules, String customerId, Attributes attributes) {
    return evaluate(rules, customerId, attributes, null);
  }

  /**
   * Every rule's verdict for one customer on the arrival of one of their events: the rules whose
   * {@link Trigger} fires on an event of {@code eventType} that happened at {@code eventAt} are
   * evaluated as in a round; every other rule is {@link Verdict.Inactive}, {@link
   * Verdict.InactiveCause#ROUNDS_ONLY} when it has no trigger and {@link
   * Verdict.InactiveCause#AWAITING_EVENT} when it waits for another event or the event is older
   * than its trigger's {@code within} at the clock's instant.
   *
   * @param eventType the event's type, such as {@code cart_abandoned}
   * @param eventAt when the event happened
   */
  public Eligibility evaluateEvent(
      RuleSet rules, String customerId, Attributes attributes, String eventType, Instant eventAt) {
    return evaluate(
        rules,
        customerId,
        attributes,
        new On(Objects.requireNonNull(eventType, "eventType"), Objects.requireNonNull(eventAt)));
  }

  /** The event a rule set is evaluated for; {@code null} in a round. */
  private record On(String type, Instant at) {}

  private Eligibility evaluate(
      RuleSet rules, String customerId, Attributes attributes, @Nullable On on) {
    Instant now = clock.instant();
    VerdictMemo[] memos = rules.memos();
    Verdict[] details = new Verdict[memos.length];
    String[] eligible = new String[memos.length];
    int eligibleCount = 0;
    VerdictMemo.Lookups lookups = new VerdictMemo.Lookups(attributes);
    for (int i = 0; i < memos.length; i++) {
      VerdictMemo memo = memos[i];
      Rule rule = memo.rule;
      lookups.reset();
      int status = status(rule, customerId, lookups, now, on);
      Verdict v;
      if (status == ELIGIBLE) {
        v = memo.eligible;
        eligible[eligibleCount++] = rule.id();
      } else if (status == INELIGIBLE) {
        v = memo.ineligible(lookups);
      } else {
        v = verdict(rule, status, customerId, attributes, now, on);
      }
      details[i] = v;
    }
    return new Eligibility(customerId, immutable(eligible, eligibleCount), List.of(details));
  }

  private static List<String> immutable(String[] a, int n) {
    switch (n) {
      case 0:
        return List.of();
      case 1:
        return List.of(a[0]);
      case 2:
        return List.of(a[0], a[1]);
      default:
        return List.of(Arrays.copyOf(a, n));
    }
  }

  /** Every rule's verdict for one customer. */
  public Eligibility evaluate(RuleSet rules, Candidate candidate) {
    return evaluate(rules, candidate.customerId(), candidate.attributes());
  }

  /** One rule's verdict for one customer, at the clock's current instant. */
  public Verdict evaluate(Rule rule, String customerId, Attributes attributes) {
    return verdict(rule, customerId, attributes, clock.instant());
  }

  /**
   * Whether one customer is eligible for one rule: the allocation-free path for bulk targeting (no
   * reasons are built).
   */
  public boolean isEligible(Rule rule, String customerId, Attributes attributes) {
    return status(rule, customerId, attributes, clock.instant(), null) == ELIGIBLE;
  }

  /**
   * The audience of {@code campaign} among {@code candidates}, consumed once, against one rule set
   * and one instant.
   *
   * @throws IllegalArgumentException if the rule set has no rule {@code campaign}; the message
   *     lists the ids it has
   */
  public Targeting target(RuleSet rules, String campaign, Stream<Candidate> candidates) {
    return target(rules, campaign, candidates.iterator());
  }

  /** As {@link #target(RuleSet, String, Stream)}, over an iterable. */
  public Targeting target(RuleSet rules, String campaign, Iterable<Candidate> candidates) {
    return target(rules, campaign, candidates.iterator());
  }

  private Targeting target(RuleSet rules, String campaign, Iterator<Candidate> candidates) {
    Rule rule =
        rules
            .rule(campaign)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "rule set "
                            + rules.name()
                            + " has no rule '"
                            + campaign
                            + "'; it has: "
                            + String.join(", ", rules.ids())));
    Instant now = clock.instant();
    long evaluated = 0;
    long ineligible = 0;
    long inactive = 0;
    List<String> targets = new ArrayList<>();
    List<String> heldOut = new ArrayList<>();
    while (candidates.hasNext()) {
      Candidate c = candidates.next();
      evaluated++;
      switch (status(rule, c.customerId(), c.attributes(), now, null)) {
        case ELIGIBLE:
          targets.add(c.customerId());
          break;
        case HELD_OUT_GLOBAL:
        case HELD_OUT_RULE:
          heldOut.add(c.customerId());
          break;
        case INELIGIBLE:
          ineligible++;
          break;
        default:
          inactive++;
      }
    }
    return new Targeting(
        campaign,
        rules.checksum(),
        evaluated,
        targets.size(),
        heldOut.size(),
        ineligible,
        inactive,
        targets,
        heldOut);
  }

  private static final int ELIGIBLE = 0;
  private static final int INELIGIBLE = 1;
  private static final int HELD_OUT_GLOBAL = 2;
  private static final int HELD_OUT_RULE = 3;
  private static final int DISABLED = 4;
  private static final int NOT_YET_VALID = 5;
  private static final int EXPIRED = 6;
  private static final int AWAITING_EVENT = 7;
  private static final int ROUNDS_ONLY = 8;

  private int status(
      Rule rule, String customerId, Attributes attributes, Instant now, @Nullable On on) {
    if (!rule.enabled()) {
      return DISABLED;
    }
    ValidityWindow w = rule.validity();
    if (w.from() != null && now.isBefore(w.from())) {
      return NOT_YET_VALID;
    }
    if (w.until() != null && !now.isBefore(w.until())) {
      return EXPIRED;
    }
    Trigger trigger = rule.trigger();
    if (on == null) {
      if (trigger != null) {
        return AWAITING_EVENT;
      }
    } else if (trigger == null) {
      return ROUNDS_ONLY;
    } else if (!trigger.firedBy(on.type(), on.at(), now)) {
      return AWAITING_EVENT;
    }
    if (!rule.condition().test(attributes)) {
      return INELIGIBLE;
    }
    if (globalControl != null && globalControl.contains(customerId)) {
      return HELD_OUT_GLOBAL;
    }
    if (rule.holdout().contains(customerId)) {
      return HELD_OUT_RULE;
    }
    return ELIGIBLE;
  }

  private Verdict verdict(Rule rule, String customerId, Attributes attributes, Instant now) {
    return verdict(
        rule, status(rule, customerId, attributes, now, null), customerId, attributes, now, null);
  }

  /** The explanation of a condition that failed for {@code attributes}. */
  static Failure explain(Rule rule, Attributes attributes) {
    return rule.condition()
        .explain(attributes)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "condition of rule '"
                        + rule.id()
                        + "' failed but has no explanation; attributes changed during evaluation?"));
  }

  private Verdict verdict(
      Rule rule,
      int status,
      String customerId,
      Attributes attributes,
      Instant now,
      @Nullable On on) {
    switch (status) {
      case AWAITING_EVENT:
        return new Verdict.Inactive(
            rule.id(),
            rule.name(),
            Verdict.InactiveCause.AWAITING_EVENT,
            awaiting(Objects.requireNonNull(rule.trigger()), on, now));
      case ROUNDS_ONLY:
        return new Verdict.Inactive(
            rule.id(),
            rule.name(),
            Verdict.InactiveCause.ROUNDS_ONLY,
            "the rule has no trigger; it applies in rounds, not on events");
      case ELIGIBLE:
        return new Verdict.Eligible(rule.id(), rule.name(), rule.priority(), rule.actions());
      case INELIGIBLE:
        return new Verdict.Ineligible(rule.id(), rule.name(), explain(rule, attributes));
      case HELD_OUT_GLOBAL:
        {
          Holdout g = Objects.requireNonNull(globalControl);
          return new Verdict.HeldOut(
              rule.id(), rule.name(), g.key(), g.bucket(customerId), g.percentage());
        }
      case HELD_OUT_RULE:
        {
          Holdout h = rule.holdout();
          return new Verdict.HeldOut(
              rule.id(), rule.name(), h.key(), h.bucket(customerId), h.percentage());
        }
      case DISABLED:
        return new Verdict.Inactive(
            rule.id(), rule.name(), Verdict.InactiveCause.DISABLED, "rule is disabled");
      case NOT_YET_VALID:
        return new Verdict.Inactive(
            rule.id(),
            rule.name(),
            Verdict.InactiveCause.NOT_YET_VALID,
            "valid from "
                + rule.validity().from()
                + " ("
                + rule.validity().zone()
                + "), now "
                + now);
      default:
        return new Verdict.Inactive(
            rule.id(),
            rule.name(),
            Verdict.InactiveCause.EXPIRED,
            "valid until "
                + rule.validity().until()
                + " ("
                + rule.validity().zone()
                + "), now "
                + now);
    }
  }

  private static String awaiting(Trigger t, @Nullable On on, Instant now) {
    String wants = "applies on a '" + t.event() + "' event at most " + t.within() + " old";
    if (on == null) {
      return wants + ", not in rounds";
    }
    if (!on.type().equals(t.event())) {
      return wants + ", not on '" + on.type() + "'";
    }
    return wants + "; this one happened at " + on.at() + ", now " + now;
  }

  /** Builds a {@link CampaignEvaluator}. Not thread-safe. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private @Nullable Holdout globalControl;

    private Builder() {}

    /**
     * The clock validity windows are checked against. Default {@link Clock#systemUTC()}; tests
     * inject a fixed clock.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * A global control group: customers in it are held out of every campaign, to measure the
     * combined lift of all campaigns. Default: none.
     */
    public Builder globalControlGroup(Holdout holdout) {
      this.globalControl = Objects.requireNonNull(holdout, "holdout");
      return this;
    }

    public CampaignEvaluator build() {
      return new CampaignEvaluator(this);
    }
  }
}
