package dev.opagent.agent.engine;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.policy.ConversionPrior;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.policy.FrequencyCap;
import dev.opagent.agent.policy.QuietHours;
import dev.opagent.rules.Action;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything per campaign the engine needs at decision time, computed once per (policy, rule
 * actions): channels, costs, priors, discount rates, exclusive groups, caps and quiet hours that
 * apply. Immutable and thread-safe.
 */
final class CompiledCampaign {
  final String id;
  final List<Action> source;
  final long exclusiveMask;
  final ApprovalKey approvalKey;
  final CompiledAction[] candidates;

  /** The approval texts once the run's audience of this campaign passes the threshold. */
  final @Nullable ApprovalTexts audienceApproval;

  private CompiledCampaign(
      DecisionPolicy policy,
      String id,
      List<Action> source,
      long exclusiveMask,
      CompiledAction[] candidates) {
    this.id = id;
    this.source = source;
    this.exclusiveMask = exclusiveMask;
    this.approvalKey = ApprovalKey.campaign(id);
    this.candidates = candidates;
    long above = policy.approval().audienceAbove();
    this.audienceApproval =
        above == Long.MAX_VALUE
            ? null
            : new ApprovalTexts(
                DecisionRun.AUDIENCE_PREFIX
                    + " of campaign '"
                    + id
                    + "' in this run exceeds "
                    + above);
  }

  /** Whether this was compiled from exactly these action instances. */
  boolean compiledFrom(List<Action> actions) {
    if (actions.size() != source.size()) {
      return false;
    }
    for (int i = 0; i < actions.size(); i++) {
      if (actions.get(i) != source.get(i)) {
        return false;
      }
    }
    return true;
  }

  static CompiledCampaign compile(DecisionPolicy policy, String campaign, List<Action> actions) {
    long mask = 0;
    for (int g = 0; g < policy.exclusiveCampaigns().size(); g++) {
      if (policy.exclusiveCampaigns().get(g).contains(campaign)) {
        mask |= 1L << g;
      }
    }
    Channel[] channels = new Channel[actions.size()];
    boolean anyContact = false;
    for (int i = 0; i < actions.size(); i++) {
      channels[i] = channel(policy, actions.get(i));
      anyContact |= channels[i] != null && channels[i].contact();
    }
    List<Action> attachments = new ArrayList<>();
    List<Channel> attachmentChannels = new ArrayList<>();
    if (anyContact) {
      for (int i = 0; i < actions.size(); i++) {
        if (channels[i] != null && !channels[i].contact()) {
          attachments.add(actions.get(i));
          attachmentChannels.add(channels[i]);
        }
      }
    }
    List<CompiledAction> out = new ArrayList<>();
    for (int i = 0; i < actions.size(); i++) {
      Channel c = channels[i];
      if (anyContact && c != null && !c.contact()) {
        continue;
      }
      List<Action> att = c != null && c.contact() ? attachments : List.of();
      List<Channel> attCh = c != null && c.contact() ? attachmentChannels : List.of();
      out.add(CompiledAction.compile(policy, campaign, actions.get(i), c, att, attCh));
    }
    return new CompiledCampaign(
        policy, campaign, List.copyOf(actions), mask, out.toArray(new CompiledAction[0]));
  }

  private static @Nullable Channel channel(DecisionPolicy policy, Action a) {
    Object p = a.parameter("channel");
    if (p instanceof String s) {
      for (Channel c : policy.channels().values()) {
        if (c.id().equals(s)) {
          return c;
        }
      }
      for (Channel c : BUILT_IN) {
        if (c.id().equals(s)) {
          return c;
        }
      }
    }
    return policy.channels().get(a.type());
  }

  /**
   * Why an action needs approval and the verdict messages that say so, built once when the reason
   * depends only on the policy and the campaign.
   */
  static final class ApprovalTexts {
    final String reason;
    final String approved;
    final String rejected;
    final String pending;
    final String requested;
    final String dryRun;

    ApprovalTexts(String reason) {
      this.reason = reason;
      this.approved = "approved: " + reason;
      this.rejected = "approval rejected: " + reason;
      this.pending = "awaiting approval: " + reason;
      this.requested = "approval requested: " + reason;
      this.dryRun = "approval needed (dry run, not requested): " + reason;
    }
  }

  private static final Channel[] BUILT_IN = {
    Channel.EMAIL,
    Channel.SMS,
    Channel.PUSH,
    Channel.IN_APP,
    Channel.PHONE,
    Channel.DISCOUNT,
    Channel.RECOMMENDATION,
    Channel.TICKET
  };

  /** One candidate action, precomputed. */
  static final class CompiledAction {
    final Action action;
    final String type;
    final @Nullable Channel channel;
    final boolean contact;
    final List<Action> attachments;
    final double discountRate;
    final double fixedCost;
    final BigDecimal fixedCostMoney;
    final ConversionPrior prior;
    final Duration delay;
    final long delaySeconds;
    final FrequencyCap[] caps;
    final QuietHours[] quiet;

    /** Action types (own and attachments') with an execution limit, and the limits. */
    final String[] limitedTypes;

    final long[] limits;
    final Map<String, @Nullable Object> parameters;

    /** The approval texts when the discount reaches the policy's threshold; null otherwise. */
    final @Nullable ApprovalTexts discountApproval;

    /** The value of this action's approval key for a customer: prefix + customer id + suffix. */
    final String actionKeyPrefix;

    final String actionKeySuffix;

    /**
     * The last verdict list and approval verdict handed out, shared by later decisions whose
     * verdicts are the same (immutable values, so sharing them is invisible).
     */
    private volatile @Nullable List<GuardrailVerdict> lastVerdicts;

    private volatile @Nullable GuardrailVerdict lastApprovalVerdict;

    private CompiledAction(
        DecisionPolicy policy,
        String campaign,
        Action action,
        @Nullable Channel channel,
        List<Action> attachments,
        double discountRate,
        BigDecimal fixedCost,
        ConversionPrior prior,
        FrequencyCap[] caps,
        QuietHours[] quiet,
        String[] limitedTypes,
        long[] limits) {
      this.action = action;
      this.type = action.type();
      this.channel = channel;
      this.contact = channel != null && channel.contact();
      this.attachments = List.copyOf(attachments);
      this.discountRate = discountRate;
      this.fixedCostMoney = fixedCost;
      this.fixedCost = fixedCost.doubleValue();
      this.prior = prior;
      this.delay = action.delay();
      this.delaySeconds = action.delay().getSeconds();
      this.caps = caps;
      this.quiet = quiet;
      this.limitedTypes = limitedTypes;
      this.limits = limits;
      this.parameters = action.parameters();
      double threshold = policy.approval().discountRateAtLeast();
      this.discountApproval =
          discountRate >= threshold
              ? new ApprovalTexts(
                  "discount "
                      + percent(discountRate)
                      + " reaches the approval threshold of "
                      + percent(threshold))
              : null;
      this.actionKeyPrefix = "action:" + campaign + ":";
      this.actionKeySuffix = ":" + type;
    }

    /** An immutable list of {@code verdicts[0..n)}, the previous one when equal to it. */
    List<GuardrailVerdict> verdicts(GuardrailVerdict[] verdicts, int n) {
      List<GuardrailVerdict> last = lastVerdicts;
      if (last != null && last.size() == n) {
        int i = 0;
        while (i < n && last.get(i) == verdicts[i]) {
          i++;
        }
        if (i == n) {
          return last;
        }
      }
      List<GuardrailVerdict> fresh = List.of(java.util.Arrays.copyOf(verdicts, n));
      lastVerdicts = fresh;
      return fresh;
    }

    /** An approval verdict, the previous one when equal to it. */
    GuardrailVerdict approvalVerdict(
        VerdictKind kind, ReasonCode reason, String message, @Nullable Instant until) {
      GuardrailVerdict last = lastApprovalVerdict;
      if (last != null
          && last.kind() == kind
          && last.reason() == reason
          && last.message().equals(message)
          && java.util.Objects.equals(last.until(), until)) {
        return last;
      }
      GuardrailVerdict fresh =
          new GuardrailVerdict(Guardrail.APPROVAL, kind, reason, message, until);
      lastApprovalVerdict = fresh;
      return fresh;
    }

    static CompiledAction compile(
        DecisionPolicy policy,
        String campaign,
        Action a,
        @Nullable Channel channel,
        List<Action> attachments,
        List<Channel> attachmentChannels) {
      double rate = discountRate(a);
      BigDecimal cost = channel == null ? BigDecimal.ZERO : policy.cost(channel);
      ConversionPrior prior = policy.campaignPriors().get(campaign);
      for (int i = 0; i < attachments.size(); i++) {
        Action att = attachments.get(i);
        double r = discountRate(att);
        if (r > rate) {
          rate = r;
        }
        cost = cost.add(policy.cost(attachmentChannels.get(i)));
        if (prior == null && r > 0) {
          prior = policy.actionPriors().get(att.type());
        }
      }
      if (prior == null) {
        prior = policy.prior(campaign, a.type());
      }
      List<FrequencyCap> caps = new ArrayList<>();
      List<QuietHours> quiet = new ArrayList<>();
      if (channel != null && channel.contact()) {
        for (FrequencyCap f : policy.frequencyCaps()) {
          if (f.applies(channel)) {
            caps.add(f);
          }
        }
        for (QuietHours q : policy.quietHours()) {
          if (q.channels().contains(channel)) {
            quiet.add(q);
          }
        }
      }
      List<String> types = new ArrayList<>();
      List<Long> limits = new ArrayList<>();
      addLimit(policy, a.type(), types, limits);
      for (Action att : attachments) {
        addLimit(policy, att.type(), types, limits);
      }
      long[] l = new long[limits.size()];
      for (int i = 0; i < l.length; i++) {
        l[i] = limits.get(i);
      }
      return new CompiledAction(
          policy,
          campaign,
          a,
          channel,
          attachments,
          rate,
          cost,
          prior,
          caps.toArray(new FrequencyCap[0]),
          quiet.toArray(new QuietHours[0]),
          types.toArray(new String[0]),
          l);
    }

    private static void addLimit(
        DecisionPolicy policy, String type, List<String> types, List<Long> limits) {
      Integer limit = policy.executionLimits().get(type);
      if (limit != null && !types.contains(type)) {
        types.add(type);
        limits.add(limit.longValue());
      }
    }

    static String percent(double rate) {
      return BigDecimal.valueOf(rate).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    /**
     * The discount rate an action offers: {@code discount}, {@code discount_rate} or {@code
     * discountRate} as a fraction (values above 1 are read as percent), or {@code discount_percent}
     * in percent; 0 when none.
     */
    static double discountRate(Action a) {
      double r = 0;
      for (String k : new String[] {"discount", "discount_rate", "discountRate"}) {
        if (a.parameter(k) instanceof Number n) {
          double v = n.doubleValue();
          r = Math.max(r, v > 1 ? v / 100.0 : v);
        }
      }
      if (a.parameter("discount_percent") instanceof Number n) {
        r = Math.max(r, n.doubleValue() / 100.0);
      }
      return r > 0 ? r : 0;
    }
  }
}
