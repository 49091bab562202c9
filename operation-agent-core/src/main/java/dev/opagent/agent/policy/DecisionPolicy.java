package dev.opagent.agent.policy;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.rules.assignment.Holdout;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Everything the decision engine decides by, as data: run caps, exclusive campaigns, channel
 * mapping and costs, conversion priors, frequency caps, quiet hours, execution limits, approval
 * thresholds, budgets, the global holdout and the minimum score. Immutable and thread-safe; build
 * with {@link #builder()} (not thread-safe) or take {@link #ofDefaults()}.
 *
 * <pre>{@code
 * DecisionPolicy policy = DecisionPolicy.builder()
 *     .maxActionsPerCustomer(2)
 *     .addFrequencyCap(FrequencyCap.of(Channel.SMS, 1, CapWindow.calendarDays(1)))
 *     .putExecutionLimit("create_discount", 500)
 *     .budgets(BudgetLimits.builder(TRY).global(new BigDecimal("5000")).build())
 *     .globalHoldout(Holdout.of("global-control-2026", 5))
 *     .build();
 * }</pre>
 *
 * @param maxActionsPerCustomer actions chosen per customer per run
 * @param maxActionsPerChannel actions chosen per customer per channel per run
 * @param exclusiveCampaigns groups of campaigns of which a customer gets at most one per run
 * @param channels the channel of each action type
 * @param channelCosts the cost of one action per channel id, in the budget currency
 * @param actionPriors conversion priors by action type
 * @param campaignPriors conversion priors by campaign, taking precedence over action types
 * @param defaultPrior the prior of everything else
 * @param frequencyCaps contact caps
 * @param quietHours quiet windows
 * @param executionLimits actions per action type per day (in {@code operatingZone})
 * @param approval when actions wait for approval
 * @param budgets money limits
 * @param globalHoldout customers in it receive nothing; null for none
 * @param minScore candidates scoring below it are suppressed
 * @param defaultZone the time zone of customers whose context names none
 * @param operatingZone the zone whose calendar days execution limits count in
 */
public record DecisionPolicy(
    int maxActionsPerCustomer,
    int maxActionsPerChannel,
    List<Set<String>> exclusiveCampaigns,
    Map<String, Channel> channels,
    Map<String, BigDecimal> channelCosts,
    Map<String, ConversionPrior> actionPriors,
    Map<String, ConversionPrior> campaignPriors,
    ConversionPrior defaultPrior,
    List<FrequencyCap> frequencyCaps,
    List<QuietHours> quietHours,
    Map<String, Integer> executionLimits,
    ApprovalThresholds approval,
    BudgetLimits budgets,
    @Nullable Holdout globalHoldout,
    double minScore,
    ZoneId defaultZone,
    ZoneId operatingZone) {

  /** The default currency: Turkish lira, the currency of the segment agent's shops. */
  public static final Currency DEFAULT_CURRENCY = Currency.getInstance("TRY");

  private static final DecisionPolicy DEFAULTS = builder().build();

  public DecisionPolicy {
    positive(maxActionsPerCustomer, "maxActionsPerCustomer");
    positive(maxActionsPerChannel, "maxActionsPerChannel");
    exclusiveCampaigns = exclusiveCampaigns.stream().map(Set::copyOf).toList();
    if (exclusiveCampaigns.size() > 64) {
      throw new IllegalArgumentException(
          "at most 64 exclusive campaign groups are supported but there were "
              + exclusiveCampaigns.size());
    }
    channels = Map.copyOf(channels);
    channelCosts.forEach(
        (k, v) -> {
          if (v.signum() < 0) {
            throw new IllegalArgumentException(
                "cost of channel '" + k + "' must not be negative but was " + v);
          }
        });
    channelCosts = Map.copyOf(channelCosts);
    actionPriors = Map.copyOf(actionPriors);
    campaignPriors = Map.copyOf(campaignPriors);
    Objects.requireNonNull(defaultPrior, "defaultPrior");
    frequencyCaps = List.copyOf(frequencyCaps);
    quietHours = List.copyOf(quietHours);
    executionLimits.forEach(
        (k, v) -> {
          if (v < 0) {
            throw new IllegalArgumentException(
                "execution limit of '" + k + "' must not be negative but was " + v);
          }
        });
    executionLimits = Map.copyOf(executionLimits);
    Objects.requireNonNull(approval, "approval");
    Objects.requireNonNull(budgets, "budgets");
    if (Double.isNaN(minScore)) {
      throw new IllegalArgumentException("minScore must be a number");
    }
    Objects.requireNonNull(defaultZone, "defaultZone");
    Objects.requireNonNull(operatingZone, "operatingZone");
  }

  /** The defaults of {@link Builder}: safe, documented on each builder method. */
  public static DecisionPolicy ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Reads a policy from JSON. Members are the builder's names; absent members keep their defaults.
   * Lists ({@code exclusiveCampaigns}, {@code frequencyCaps}, {@code quietHours}) replace the
   * defaults; maps ({@code channels}, {@code channelCosts}, {@code actionPriors}, {@code
   * campaignPriors}, {@code executionLimits}) add to them, and an execution limit of {@code null}
   * removes one. Amounts are strings or numbers, durations ISO-8601 ({@code "P7D"}), times {@code
   * "21:00"}, channels their ids or {@code {"id": "whatsapp", "contact": true}}.
   *
   * <pre>{@code
   * {"maxActionsPerCustomer": 2,
   *  "frequencyCaps": [{"channel": "sms", "max": 1, "calendarDays": 1},
   *                    {"max": 3, "rolling": "P7D", "bypassFromPriority": 100}],
   *  "quietHours": [{"start": "21:00", "end": "09:00", "channels": ["sms", "push"]}],
   *  "executionLimits": {"create_discount": 500},
   *  "approval": {"discountRateAtLeast": 0.2, "spendAtLeast": "50", "audienceAbove": 10000},
   *  "budgets": {"currency": "TRY", "global": "5000", "perCampaign": {"winback": "1500"}},
   *  "globalHoldout": {"key": "global-control-2026", "percentage": 5},
   *  "defaultZone": "Europe/Istanbul"}
   * }</pre>
   *
   * @throws InvalidPolicyException listing every problem with its JSON pointer
   */
  public static DecisionPolicy fromJson(String json) {
    return PolicyJson.read("policy", json);
  }

  /**
   * Reads a policy from JSON, as {@link #fromJson(String)}, naming {@code sourceName} (a file path,
   * say) in every problem: {@code policy.json:3:28: /maxActionsPerCustomer: must be a whole
   * number}.
   *
   * @throws InvalidPolicyException listing every problem with its file, line, column and JSON
   *     pointer
   */
  public static DecisionPolicy fromJson(String sourceName, String json) {
    return PolicyJson.read(sourceName, json);
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this policy's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The cost of one action on {@code channel}; zero when not configured. */
  public BigDecimal cost(Channel channel) {
    return channelCosts.getOrDefault(channel.id(), BigDecimal.ZERO);
  }

  /** The prior of an action: by campaign, else by action type, else the default. */
  public ConversionPrior prior(String campaign, String actionType) {
    ConversionPrior p = campaignPriors.get(campaign);
    if (p == null) {
      p = actionPriors.get(actionType);
    }
    return p == null ? defaultPrior : p;
  }

  /** How far back contact history matters for the frequency caps. */
  public Duration contactLookback() {
    Duration max = Duration.ZERO;
    for (FrequencyCap c : frequencyCaps) {
      Duration d =
          c.window() instanceof CapWindow.Rolling r
              ? r.length()
              : Duration.ofDays(((CapWindow.CalendarDays) c.window()).days() + 1L);
      if (d.compareTo(max) > 0) {
        max = d;
      }
    }
    return max;
  }

  private static void positive(int v, String name) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be positive but was " + v);
    }
  }

  /** The built-in channel of each known action type. */
  public static Map<String, Channel> defaultChannels() {
    Map<String, Channel> m = new LinkedHashMap<>();
    m.put("send_email", Channel.EMAIL);
    m.put("send_retention_offer", Channel.EMAIL);
    m.put("send_replenishment_reminder", Channel.EMAIL);
    m.put("send_product_recommendation", Channel.EMAIL);
    m.put("send_coupon", Channel.EMAIL);
    m.put("send_sms", Channel.SMS);
    m.put("send_push", Channel.PUSH);
    m.put("push_message", Channel.IN_APP);
    m.put("send_in_app_message", Channel.IN_APP);
    m.put("create_discount", Channel.DISCOUNT);
    m.put("create_discount_code", Channel.DISCOUNT);
    m.put("update_recommendation", Channel.RECOMMENDATION);
    m.put("update_product_recommendation", Channel.RECOMMENDATION);
    m.put("trigger_service_followup", Channel.PHONE);
    m.put("assign_dedicated_agent", Channel.PHONE);
    m.put("create_ticket", Channel.TICKET);
    return m;
  }

  /** Builds a {@link DecisionPolicy}. Not thread-safe; {@link #build()} copies. */
  public static final class Builder {
    private int maxActionsPerCustomer = 1;
    private int maxActionsPerChannel = 1;
    private final List<Set<String>> exclusiveCampaigns = new ArrayList<>();
    private final Map<String, Channel> channels = new LinkedHashMap<>();
    private final Map<String, BigDecimal> channelCosts = new LinkedHashMap<>();
    private final Map<String, ConversionPrior> actionPriors = new LinkedHashMap<>();
    private final Map<String, ConversionPrior> campaignPriors = new LinkedHashMap<>();
    private ConversionPrior defaultPrior = new ConversionPrior(1, 99);
    private final List<FrequencyCap> frequencyCaps = new ArrayList<>();
    private final List<QuietHours> quietHours = new ArrayList<>();
    private final Map<String, Integer> executionLimits = new LinkedHashMap<>();
    private ApprovalThresholds approval = ApprovalThresholds.ofDefaults();
    private BudgetLimits budgets = BudgetLimits.unlimited(DEFAULT_CURRENCY);
    private @Nullable Holdout globalHoldout;
    private double minScore = 0.0;
    private ZoneId defaultZone = ZoneOffset.UTC;
    private ZoneId operatingZone = ZoneOffset.UTC;

    private Builder() {
      exclusiveCampaigns.add(Set.of("winback", "loyalty"));
      channels.putAll(defaultChannels());
      channelCosts.put("email", new BigDecimal("0.01"));
      channelCosts.put("sms", new BigDecimal("0.05"));
      channelCosts.put("push", new BigDecimal("0.002"));
      channelCosts.put("in_app", BigDecimal.ZERO);
      channelCosts.put("phone", new BigDecimal("2.00"));
      channelCosts.put("ticket", new BigDecimal("0.50"));
      channelCosts.put("discount", BigDecimal.ZERO);
      channelCosts.put("recommendation", BigDecimal.ZERO);
      actionPriors.put("send_email", new ConversionPrior(2, 98));
      actionPriors.put("send_retention_offer", new ConversionPrior(2, 98));
      actionPriors.put("send_replenishment_reminder", new ConversionPrior(5, 95));
      actionPriors.put("send_product_recommendation", new ConversionPrior(3, 97));
      actionPriors.put("send_sms", new ConversionPrior(3, 97));
      actionPriors.put("send_push", new ConversionPrior(1, 99));
      actionPriors.put("create_discount", new ConversionPrior(8, 92));
      actionPriors.put("send_coupon", new ConversionPrior(8, 92));
      actionPriors.put("trigger_service_followup", new ConversionPrior(10, 90));
      frequencyCaps.add(FrequencyCap.overall(3, CapWindow.rolling(Duration.ofDays(7))));
      frequencyCaps.add(FrequencyCap.of(Channel.EMAIL, 1, CapWindow.calendarDays(1)));
      frequencyCaps.add(FrequencyCap.of(Channel.SMS, 1, CapWindow.rolling(Duration.ofDays(7))));
      frequencyCaps.add(FrequencyCap.of(Channel.PUSH, 1, CapWindow.calendarDays(1)));
      frequencyCaps.add(FrequencyCap.of(Channel.PHONE, 1, CapWindow.rolling(Duration.ofDays(30))));
      quietHours.add(
          new QuietHours(
              LocalTime.of(21, 0),
              LocalTime.of(9, 0),
              Set.of(Channel.SMS, Channel.PUSH, Channel.PHONE)));
      executionLimits.put("create_discount", 1_000);
    }

    private Builder(DecisionPolicy p) {
      maxActionsPerCustomer = p.maxActionsPerCustomer;
      maxActionsPerChannel = p.maxActionsPerChannel;
      exclusiveCampaigns.addAll(p.exclusiveCampaigns);
      channels.putAll(p.channels);
      channelCosts.putAll(p.channelCosts);
      actionPriors.putAll(p.actionPriors);
      campaignPriors.putAll(p.campaignPriors);
      defaultPrior = p.defaultPrior;
      frequencyCaps.addAll(p.frequencyCaps);
      quietHours.addAll(p.quietHours);
      executionLimits.putAll(p.executionLimits);
      approval = p.approval;
      budgets = p.budgets;
      globalHoldout = p.globalHoldout;
      minScore = p.minScore;
      defaultZone = p.defaultZone;
      operatingZone = p.operatingZone;
    }

    /**
     * Actions chosen per customer per run. Default 1: one message at a time is what customers
     * tolerate; raise it when a campaign's actions are meant to go together.
     */
    public Builder maxActionsPerCustomer(int max) {
      this.maxActionsPerCustomer = max;
      return this;
    }

    /** Actions chosen per customer per channel per run. Default 1. */
    public Builder maxActionsPerChannel(int max) {
      this.maxActionsPerChannel = max;
      return this;
    }

    /**
     * Adds a group of campaigns of which a customer receives at most one per run, the
     * highest-scoring. Default: {@code winback} and {@code loyalty} (a VIP message to a customer
     * being won back reads wrong).
     */
    public Builder addExclusiveCampaigns(Set<String> campaigns) {
      if (campaigns.size() < 2) {
        throw new IllegalArgumentException(
            "an exclusive group needs at least 2 campaigns but had " + campaigns.size());
      }
      exclusiveCampaigns.add(Set.copyOf(campaigns));
      return this;
    }

    /** Removes every exclusive group, including the default one. */
    public Builder clearExclusiveCampaigns() {
      exclusiveCampaigns.clear();
      return this;
    }

    /**
     * Maps an action type to a channel. Defaults: {@link DecisionPolicy#defaultChannels()}. An
     * action's own {@code channel} parameter, when it names a channel of this map or a built-in
     * one, takes precedence. Action types without a channel are blocked ({@link
     * dev.opagent.agent.engine.ReasonCode#UNMAPPED_ACTION_TYPE}): the engine does not act on what
     * it cannot classify.
     */
    public Builder putChannel(String actionType, Channel channel) {
      channels.put(
          Objects.requireNonNull(actionType, "actionType"),
          Objects.requireNonNull(channel, "channel"));
      return this;
    }

    /**
     * The cost of one action on a channel. Defaults: email 0.01, sms 0.05, push 0.002, in_app 0,
     * phone 2.00, ticket 0.50, discount 0 and recommendation 0 (a discount's cost is its rate × the
     * expected basket × the conversion probability, added on top).
     */
    public Builder putChannelCost(Channel channel, BigDecimal cost) {
      channelCosts.put(channel.id(), Objects.requireNonNull(cost, "cost"));
      return this;
    }

    /**
     * The conversion prior of an action type. Defaults (mean, worth 100 trials): send_email 2%,
     * send_retention_offer 2%, send_replenishment_reminder 5%, send_product_recommendation 3%,
     * send_sms 3%, send_push 1%, create_discount and send_coupon 8%, trigger_service_followup 10%.
     */
    public Builder putActionPrior(String actionType, ConversionPrior prior) {
      actionPriors.put(
          Objects.requireNonNull(actionType, "actionType"), Objects.requireNonNull(prior, "prior"));
      return this;
    }

    /** The conversion prior of a campaign, over its action types' priors. Default: none. */
    public Builder putCampaignPrior(String campaign, ConversionPrior prior) {
      campaignPriors.put(
          Objects.requireNonNull(campaign, "campaign"), Objects.requireNonNull(prior, "prior"));
      return this;
    }

    /** The prior of action types without one. Default Beta(1, 99): 1%. */
    public Builder defaultPrior(ConversionPrior prior) {
      this.defaultPrior = Objects.requireNonNull(prior, "prior");
      return this;
    }

    /**
     * Adds a frequency cap. Defaults: 3 contacts per rolling 7 days overall; email 1 per calendar
     * day; sms 1 per rolling 7 days; push 1 per calendar day; phone 1 per rolling 30 days; none
     * bypassable.
     */
    public Builder addFrequencyCap(FrequencyCap cap) {
      frequencyCaps.add(Objects.requireNonNull(cap, "cap"));
      return this;
    }

    /** Removes every frequency cap, including the defaults. */
    public Builder clearFrequencyCaps() {
      frequencyCaps.clear();
      return this;
    }

    /** Adds quiet hours. Default: 21:00–09:00 local time for sms, push and phone. */
    public Builder addQuietHours(QuietHours hours) {
      quietHours.add(Objects.requireNonNull(hours, "hours"));
      return this;
    }

    /** Removes all quiet hours, including the default. */
    public Builder clearQuietHours() {
      quietHours.clear();
      return this;
    }

    /**
     * At most {@code perDay} actions of a type per day of the operating zone. Default:
     * create_discount 1,000 per day, a brake on a runaway discount campaign.
     */
    public Builder putExecutionLimit(String actionType, int perDay) {
      executionLimits.put(Objects.requireNonNull(actionType, "actionType"), perDay);
      return this;
    }

    /** Removes the execution limit of one action type. */
    public Builder removeExecutionLimit(String actionType) {
      executionLimits.remove(Objects.requireNonNull(actionType, "actionType"));
      return this;
    }

    /** Removes every execution limit, including the default. */
    public Builder clearExecutionLimits() {
      executionLimits.clear();
      return this;
    }

    /** When actions wait for approval. Default {@link ApprovalThresholds#ofDefaults()}. */
    public Builder approval(ApprovalThresholds approval) {
      this.approval = Objects.requireNonNull(approval, "approval");
      return this;
    }

    /**
     * Money limits, used when the engine creates its own ledger. Default: unlimited in {@link
     * DecisionPolicy#DEFAULT_CURRENCY} (spending is still accounted); set limits before going live.
     */
    public Builder budgets(BudgetLimits budgets) {
      this.budgets = Objects.requireNonNull(budgets, "budgets");
      return this;
    }

    /**
     * The global control group: customers in it receive nothing and are recorded as held out.
     * Default: none. Use the same holdout as the {@code CampaignEvaluator}'s global control group.
     */
    public Builder globalHoldout(@Nullable Holdout holdout) {
      this.globalHoldout = holdout;
      return this;
    }

    /**
     * Candidates whose expected value (score) is below this are suppressed. Default 0: never spend
     * more than a contact is expected to return.
     */
    public Builder minScore(double minScore) {
      this.minScore = minScore;
      return this;
    }

    /** The time zone of customers whose context names none. Default UTC. */
    public Builder defaultZone(ZoneId zone) {
      this.defaultZone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /** The zone whose calendar days execution limits count in. Default UTC. */
    public Builder operatingZone(ZoneId zone) {
      this.operatingZone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * @throws IllegalArgumentException if a value is out of range; the message names it
     */
    public DecisionPolicy build() {
      return new DecisionPolicy(
          maxActionsPerCustomer,
          maxActionsPerChannel,
          exclusiveCampaigns,
          channels,
          channelCosts,
          actionPriors,
          campaignPriors,
          defaultPrior,
          frequencyCaps,
          quietHours,
          executionLimits,
          approval,
          budgets,
          globalHoldout,
          minScore,
          defaultZone,
          operatingZone);
    }
  }
}
