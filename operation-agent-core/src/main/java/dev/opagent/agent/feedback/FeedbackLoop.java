package dev.opagent.agent.feedback;

import dev.opagent.agent.execution.ExecutionListener;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.spi.ConversionRates;
import dev.opagent.agent.spi.Observation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Closes the loop from execution back to decisions: records what was delivered and what customers
 * did afterwards, attributes each interaction to the action that caused it, and keeps the metrics
 * per action, campaign, strategy (campaign and action type), segment and experiment variant.
 * Thread-safe: recording and snapshots take one lock; {@link #observed} (which the decision engine
 * calls for every candidate) reads without locking and without allocating.
 *
 * <p><b>Attribution.</b> An interaction with an idempotency key belongs to that action. One without
 * a key belongs to the most recent action of its campaign delivered to the customer at or before
 * the interaction (last touch). Either way it counts only if it happened within the {@linkplain
 * Builder#conversionWindow conversion window} after that delivery (both ends inclusive). Opens,
 * clicks, coupon uses and delivery confirmations count once per action; a customer's conversions in
 * a campaign count once per delivery cycle (see {@link Attribution.Outcome#DUPLICATE_CONVERSION}).
 * {@link #record} returns what it did, and every outcome is counted in {@link
 * MetricsReport#attributions()}.
 *
 * <p><b>Deliveries</b> come from the executor: register the loop as its {@link ExecutionListener},
 * or call {@link #recordDelivery} for each completed action.
 *
 * <p><b>Rebuilding.</b> A loop rebuilt from a store records the stored deliveries, then gives back
 * each stored interaction with the attribution it got when it was first recorded ({@link
 * #restore}), so that replay does not decide again.
 *
 * <p><b>Feeding back.</b> As {@link ConversionRates}, the loop gives the decision engine the
 * conversions and deliveries of each (campaign, action type, segment), so the engine's
 * probabilities move from the prior towards what was observed. {@link #campaigns()} gives live
 * campaign figures without copying the per-action metrics (the LLM tools of {@code
 * operation-agent-tools} read them through {@code FeedbackLoopMetrics}).
 *
 * <pre>{@code
 * FeedbackLoop loop = FeedbackLoop.builder().conversionWindow(Duration.ofDays(7)).clock(clock).build();
 * DecisionEngine engine = DecisionEngine.builder().conversionRates(loop).build();
 *  *
 * loop.recordDelivery(request, receipt);                  // the executor, per completed action
 * loop.record(Interaction.of(request.idempotencyKey(), "C-1001", "winback",
 *     InteractionType.OPENED, openedAt));                // a tracked open
 * Attribution a = loop.record(Interaction.conversion("C-1001", "winback", orderAt,
 *     new BigDecimal("249.90")));                         // a shop order, last touch
 *
 * MetricsReport report = loop.metrics();
 * report.campaign("winback").map(Metrics::roi);
 * report.attributions().count(Attribution.Outcome.OUTSIDE_WINDOW);
 * }</pre>
 *
 * <p><b>Not bounded.</b> State is kept in memory for every delivered action, about a few hundred
 * bytes each, and nothing is evicted: attribution needs every delivery to tell {@link
 * Attribution.Outcome#OUTSIDE_WINDOW} from {@link Attribution.Outcome#UNATTRIBUTED_NO_DELIVERY},
 * {@link #recordDelivery} needs every key so that a replayed delivery is not counted twice, and the
 * per-action metrics are part of {@link #metrics()}; forgetting any of them would change figures
 * without saying so, and refusing a delivery from the executor's listener would only drop it from
 * the metrics. {@link #metrics()} copies the per-action metrics, so its cost grows with the number
 * of actions. For long-running hosts, build one loop per period (a campaign, a month), or keep
 * deliveries and interactions in the durable store of the {@code operating-store} module, which
 * rebuilds a loop from them.
 */
public final class FeedbackLoop implements ConversionRates, ExecutionListener, InteractionRecorder {
  /** The default conversion window: 7 days. */
  public static final Duration DEFAULT_CONVERSION_WINDOW = Duration.ofDays(7);

  private static final Comparator<StrategyKey> STRATEGY_ORDER =
      Comparator.comparing(StrategyKey::campaign).thenComparing(StrategyKey::actionType);
  private static final Comparator<VariantKey> VARIANT_ORDER =
      Comparator.comparing(VariantKey::campaign).thenComparing(VariantKey::variant);

  private final Duration window;
  private final Clock clock;

  private final Object lock = new Object();

  /** Guarded by {@link #lock}. */
  private final Map<String, Delivery> deliveries = new HashMap<>();

  /** Guarded by {@link #lock}. */
  private final Map<CustomerCampaign, Touches> touches = new HashMap<>();

  /** Guarded by {@link #lock}: customer → the campaigns delivered to them. */
  private final Map<String, List<String>> campaignsByCustomer = new HashMap<>();

  /** Guarded by {@link #lock}. */
  private final Map<String, Tally> byCampaign = new HashMap<>();

  /** Guarded by {@link #lock}. */
  private final Map<StrategyKey, Tally> byStrategy = new HashMap<>();

  /** Guarded by {@link #lock}. */
  private final Map<String, Tally> bySegment = new HashMap<>();

  /** Guarded by {@link #lock}. */
  private final Map<VariantKey, Tally> byVariant = new HashMap<>();

  /** Guarded by {@link #lock}: [type][outcome]. */
  private final long[][] outcomes =
      new long[InteractionType.values().length][Attribution.Outcome.values().length];

  /** Guarded by {@link #lock}. */
  private long duplicateDeliveries;

  /** campaign → action type → segment → observation; written under the lock, read without. */
  private final ConcurrentHashMap<
          String, ConcurrentHashMap<String, ConcurrentHashMap<String, Observation>>>
      observations = new ConcurrentHashMap<>();

  private FeedbackLoop(Builder b) {
    this.window = b.window;
    this.clock = b.clock;
  }

  /** A builder with a 7-day conversion window and the system clock. */
  public static Builder builder() {
    return new Builder();
  }

  /** A loop with a 7-day conversion window and the system clock. */
  public static FeedbackLoop ofDefaults() {
    return builder().build();
  }

  /** How long after a delivery an interaction is still attributed to it. */
  public Duration conversionWindow() {
    return window;
  }

  /**
   * Records a completed action, as the executor reports it: one delivery of the request's campaign,
   * action type, segment and variant, at the receipt's time and cost (the receipt's actual cost, or
   * the request's reserved cost when the receipt has none). A key already recorded is not counted
   * again (it is counted in {@link AttributionCounts#duplicateDeliveries()}); a {@linkplain
   * DeliveryReceipt#duplicate() duplicate receipt} for a key the loop has not seen is recorded,
   * since the channel did deliver it once.
   *
   * @return true if the delivery was recorded, false if its key was already known
   * @throws IllegalArgumentException if the receipt is for another idempotency key
   */
  public boolean recordDelivery(ActionRequest request, DeliveryReceipt receipt) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(receipt, "receipt");
    if (!request.idempotencyKey().equals(receipt.idempotencyKey())) {
      throw new IllegalArgumentException(
          "receipt " + receipt.idempotencyKey() + " is not for action " + request.idempotencyKey());
    }
    BigDecimal cost = receipt.cost() != null ? receipt.cost() : request.cost();
    synchronized (lock) {
      if (deliveries.containsKey(request.idempotencyKey())) {
        duplicateDeliveries++;
        return false;
      }
      Delivery d = new Delivery(request, receipt.deliveredAt(), cost);
      deliveries.put(d.key, d);
      touches
          .computeIfAbsent(
              new CustomerCampaign(d.customerId, d.campaign),
              k -> {
                campaignsByCustomer
                    .computeIfAbsent(d.customerId, c -> new ArrayList<>(2))
                    .add(d.campaign);
                return new Touches();
              })
          .add(d);
      forEachTally(
          d,
          t -> {
            t.delivered++;
            t.cost = t.cost.add(cost);
          });
      if (d.segment != null) {
        ConcurrentHashMap<String, Observation> bySegment = observationsOf(d);
        Observation o = bySegment.getOrDefault(d.segment, Observation.NONE);
        bySegment.put(d.segment, new Observation(o.successes(), o.trials() + 1));
      }
      return true;
    }
  }

  /**
   * Records the delivery of a {@link ExecutionState#COMPLETED} journal entry.
   *
   * @return true if the delivery was recorded, false if its key was already known
   * @throws IllegalArgumentException if the entry is not completed or has no receipt
   */
  public boolean recordDelivery(ExecutionRecord record) {
    Objects.requireNonNull(record, "record");
    DeliveryReceipt receipt = record.receipt();
    if (record.state() != ExecutionState.COMPLETED || receipt == null) {
      throw new IllegalArgumentException(
          "only a completed action with a receipt was delivered, "
              + "but "
              + record.key()
              + " is "
              + record.state());
    }
    return recordDelivery(record.request(), receipt);
  }

  /**
   * As an {@link ExecutionListener} of the executor: records the completed action's delivery, as
   * {@link #recordDelivery(ExecutionRecord)} does.
   */
  @Override
  public void completed(ExecutionRecord record) {
    recordDelivery(record);
  }

  /**
   * The campaign of the last action delivered to {@code customerId} at or before {@code at}, across
   * campaigns: where a customer event that names no campaign (a purchase, an open in a client that
   * strips tracking parameters) is attributed by last touch, as {@link
   * Interaction#conversion(String, String, Instant, BigDecimal)}. Empty when nothing was delivered
   * to the customer by then.
   */
  @Override
  public Optional<String> lastTouch(String customerId, Instant at) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(at, "at");
    synchronized (lock) {
      @Nullable Delivery last = null;
      for (String campaign : campaignsByCustomer.getOrDefault(customerId, List.of())) {
        Touches t = touches.get(new CustomerCampaign(customerId, campaign));
        Delivery d = t == null ? null : t.lastAtOrBefore(at);
        if (d != null && (last == null || d.deliveredAt.isAfter(last.deliveredAt))) {
          last = d;
        }
      }
      return last == null ? Optional.empty() : Optional.of(last.campaign);
    }
  }

  /**
   * Attributes one interaction and, if it is {@link Attribution.Outcome#ATTRIBUTED}, counts it. The
   * outcome is counted either way.
   */
  @Override
  public Attribution record(Interaction interaction) {
    Objects.requireNonNull(interaction, "interaction");
    synchronized (lock) {
      Attribution a = attribute(interaction);
      outcomes[interaction.type().ordinal()][a.outcome().ordinal()]++;
      return a;
    }
  }

  /**
   * Counts an interaction as it was attributed before, without attributing it again: for a loop
   * rebuilt from stored interactions whose outcomes were decided when they were first recorded
   * (possibly by another process sharing the store), so that a rebuild gives the same metrics
   * whatever order deliveries and interactions are read back in. The outcome is counted; an {@link
   * Attribution.Outcome#ATTRIBUTED} interaction updates its action, the metrics and the
   * observations as {@link #record} did (an event its action already has is not counted again).
   * Record the deliveries first, in the order they were first recorded: of two deliveries of a
   * campaign to a customer at the same instant, later interactions go to the one recorded last.
   *
   * @throws IllegalArgumentException if the attribution is of another interaction type, or is
   *     attributed to an action this loop has no delivery of, or to one of another customer or
   *     campaign
   */
  public void restore(Interaction interaction, Attribution attribution) {
    Objects.requireNonNull(interaction, "interaction");
    Objects.requireNonNull(attribution, "attribution");
    if (attribution.type() != interaction.type()) {
      throw new IllegalArgumentException(
          "the attribution is of type "
              + attribution.type()
              + " but the interaction is "
              + interaction.type());
    }
    synchronized (lock) {
      if (attribution.isAttributed()) {
        Delivery d = deliveries.get(attribution.idempotencyKey());
        if (d == null) {
          throw new IllegalArgumentException(
              "the attributed action has no recorded delivery:"
                  + " record the deliveries before restoring their interactions");
        }
        if (!d.customerId.equals(interaction.customerId())
            || !d.campaign.equals(interaction.campaign())) {
          throw new IllegalArgumentException(
              "the attributed action is of another customer or" + " campaign than the interaction");
        }
        count(
            d,
            interaction,
            Objects.requireNonNull(
                touches.get(new CustomerCampaign(d.customerId, d.campaign)),
                "every delivery is among its customer's touches"));
      }
      outcomes[interaction.type().ordinal()][attribution.outcome().ordinal()]++;
    }
  }

  private Attribution attribute(Interaction i) {
    InteractionType type = i.type();
    Touches customerTouches = touches.get(new CustomerCampaign(i.customerId(), i.campaign()));
    Delivery d;
    if (i.idempotencyKey() != null) {
      d = deliveries.get(i.idempotencyKey());
      if (d == null) {
        return new Attribution(Attribution.Outcome.UNATTRIBUTED_NO_DELIVERY, null, type);
      }
      if (!d.customerId.equals(i.customerId()) || !d.campaign.equals(i.campaign())) {
        return new Attribution(Attribution.Outcome.KEY_MISMATCH, null, type);
      }
    } else {
      if (customerTouches == null) {
        return new Attribution(Attribution.Outcome.UNATTRIBUTED_NO_DELIVERY, null, type);
      }
      d = customerTouches.lastAtOrBefore(i.at());
      if (d == null) {
        return new Attribution(
            Attribution.Outcome.BEFORE_DELIVERY, customerTouches.first().key, type);
      }
    }
    if (i.at().isBefore(d.deliveredAt)) {
      return new Attribution(Attribution.Outcome.BEFORE_DELIVERY, d.key, type);
    }
    if (i.at().isAfter(d.deliveredAt.plus(window))) {
      return new Attribution(Attribution.Outcome.OUTSIDE_WINDOW, d.key, type);
    }
    Objects.requireNonNull(customerTouches, "every delivery is among its customer's touches");
    switch (type) {
      case DELIVERED -> {
        if (d.confirmed) {
          return duplicateEvent(d, type);
        }
      }
      case OPENED -> {
        if (d.opened) {
          return duplicateEvent(d, type);
        }
      }
      case CLICKED -> {
        if (d.clicked) {
          return duplicateEvent(d, type);
        }
      }
      case COUPON_USED -> {
        if (d.couponUsed) {
          return duplicateEvent(d, type);
        }
      }
      case CONVERTED -> {
        Instant last = customerTouches.lastConversionAt;
        if (last != null && !last.isBefore(d.deliveredAt)) {
          return new Attribution(Attribution.Outcome.DUPLICATE_CONVERSION, d.key, type);
        }
      }
    }
    count(d, i, customerTouches);
    return new Attribution(Attribution.Outcome.ATTRIBUTED, d.key, type);
  }

  /**
   * Counts an attributed interaction into its action, the tallies and the observations. An event
   * the action already has is not counted again.
   */
  private void count(Delivery d, Interaction i, Touches customerTouches) {
    switch (i.type()) {
      case DELIVERED -> d.confirmed = true;
      case OPENED -> {
        if (!d.opened) {
          d.opened = true;
          forEachTally(d, t -> t.opened++);
        }
      }
      case CLICKED -> {
        if (!d.clicked) {
          d.clicked = true;
          forEachTally(d, t -> t.clicked++);
        }
      }
      case COUPON_USED -> {
        if (!d.couponUsed) {
          d.couponUsed = true;
          forEachTally(d, t -> t.couponsUsed++);
        }
      }
      case CONVERTED -> {
        Instant last = customerTouches.lastConversionAt;
        customerTouches.lastConversionAt = last == null || i.at().isAfter(last) ? i.at() : last;
        if (d.converted) {
          return;
        }
        BigDecimal revenue = i.revenue() != null ? i.revenue() : BigDecimal.ZERO;
        d.converted = true;
        d.revenue = revenue;
        forEachTally(
            d,
            t -> {
              t.conversions++;
              t.revenue = t.revenue.add(revenue);
            });
        if (d.segment != null) {
          ConcurrentHashMap<String, Observation> bySegment = observationsOf(d);
          Observation o =
              Objects.requireNonNull(
                  bySegment.get(d.segment), "a trial was observed when the action was delivered");
          bySegment.put(d.segment, new Observation(o.successes() + 1, o.trials()));
        }
      }
    }
  }

  private static Attribution duplicateEvent(Delivery d, InteractionType type) {
    return new Attribution(Attribution.Outcome.DUPLICATE_EVENT, d.key, type);
  }

  /**
   * Conversions and deliveries of {@code actionType} in {@code campaign} to customers of {@code
   * segment}: what the decision engine's posterior is computed from. Actions recorded without a
   * segment are not in any segment's observation. Lock-free.
   */
  @Override
  public Observation observed(String campaign, String actionType, String segment) {
    ConcurrentHashMap<String, ConcurrentHashMap<String, Observation>> byType =
        observations.get(campaign);
    if (byType == null) {
      return Observation.NONE;
    }
    ConcurrentHashMap<String, Observation> bySegment = byType.get(actionType);
    if (bySegment == null) {
      return Observation.NONE;
    }
    Observation o = bySegment.get(segment);
    return o == null ? Observation.NONE : o;
  }

  /** A snapshot of every metric and attribution count, with maps sorted by key. */
  public MetricsReport metrics() {
    synchronized (lock) {
      Map<String, Metrics> actions = new TreeMap<>();
      deliveries.forEach((key, d) -> actions.put(key, d.metrics()));
      Map<InteractionType, Map<Attribution.Outcome, Long>> counts =
          new EnumMap<>(InteractionType.class);
      for (InteractionType t : InteractionType.values()) {
        Map<Attribution.Outcome, Long> c = new EnumMap<>(Attribution.Outcome.class);
        for (Attribution.Outcome o : Attribution.Outcome.values()) {
          c.put(o, outcomes[t.ordinal()][o.ordinal()]);
        }
        counts.put(t, c);
      }
      return new MetricsReport(
          clock.instant(),
          actions,
          sorted(byCampaign, null),
          sorted(byStrategy, STRATEGY_ORDER),
          sorted(bySegment, null),
          sorted(byVariant, VARIANT_ORDER),
          new AttributionCounts(counts, duplicateDeliveries));
    }
  }

  /** The metrics of the experiment variants of {@code campaign}, by variant name. */
  public Map<String, Metrics> variants(String campaign) {
    Objects.requireNonNull(campaign, "campaign");
    synchronized (lock) {
      Map<String, Metrics> out = new TreeMap<>();
      byVariant.forEach(
          (k, t) -> {
            if (k.campaign().equals(campaign)) {
              out.put(k.variant(), t.metrics());
            }
          });
      return Collections.unmodifiableMap(out);
    }
  }

  /**
   * The metrics of every campaign with a delivery, by campaign id in ascending order: a snapshot,
   * cheaper than {@link #metrics()} because it copies no per-action metrics.
   */
  public Map<String, Metrics> campaigns() {
    synchronized (lock) {
      Map<String, Metrics> out = new TreeMap<>();
      byCampaign.forEach((campaign, t) -> out.put(campaign, t.metrics()));
      return Collections.unmodifiableMap(out);
    }
  }

  /** The metrics of {@code campaign}; empty before its first delivery. */
  public Optional<Metrics> campaign(String campaign) {
    Objects.requireNonNull(campaign, "campaign");
    synchronized (lock) {
      Tally t = byCampaign.get(campaign);
      return t == null ? Optional.empty() : Optional.of(t.metrics());
    }
  }

  private ConcurrentHashMap<String, Observation> observationsOf(Delivery d) {
    return observations
        .computeIfAbsent(d.campaign, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(d.actionType, k -> new ConcurrentHashMap<>());
  }

  private void forEachTally(Delivery d, Consumer<Tally> update) {
    update.accept(byCampaign.computeIfAbsent(d.campaign, k -> new Tally()));
    update.accept(byStrategy.computeIfAbsent(d.strategy, k -> new Tally()));
    if (d.segment != null) {
      update.accept(bySegment.computeIfAbsent(d.segment, k -> new Tally()));
    }
    if (d.variant != null) {
      update.accept(byVariant.computeIfAbsent(d.variant, k -> new Tally()));
    }
  }

  private static <K> Map<K, Metrics> sorted(Map<K, Tally> tallies, @Nullable Comparator<K> order) {
    List<K> keys = new ArrayList<>(tallies.keySet());
    if (order == null) {
      @SuppressWarnings("unchecked")
      Comparator<K> natural = (Comparator<K>) Comparator.naturalOrder();
      keys.sort(natural);
    } else {
      keys.sort(order);
    }
    Map<K, Metrics> out = new LinkedHashMap<>();
    for (K k : keys) {
      out.put(k, Objects.requireNonNull(tallies.get(k), "a key of tallies").metrics());
    }
    return out;
  }

  /** One delivered action and what has been attributed to it. Guarded by the loop's lock. */
  private static final class Delivery {
    final String key;
    final String customerId;
    final String campaign;
    final String actionType;
    final StrategyKey strategy;
    final @Nullable String segment;
    final @Nullable VariantKey variant;
    final Instant deliveredAt;
    final BigDecimal cost;
    boolean confirmed;
    boolean opened;
    boolean clicked;
    boolean couponUsed;
    boolean converted;
    BigDecimal revenue = BigDecimal.ZERO;

    Delivery(ActionRequest r, Instant deliveredAt, BigDecimal cost) {
      this.key = r.idempotencyKey();
      this.customerId = r.customerId();
      this.campaign = r.campaign();
      this.actionType = r.actionType();
      this.strategy = new StrategyKey(r.campaign(), r.actionType());
      this.segment = r.segment();
      this.variant = r.variant() == null ? null : new VariantKey(r.campaign(), r.variant());
      this.deliveredAt = deliveredAt;
      this.cost = cost;
    }

    Metrics metrics() {
      return new Metrics(
          1, opened ? 1 : 0, clicked ? 1 : 0, couponUsed ? 1 : 0, converted ? 1 : 0, revenue, cost);
    }
  }

  /** A customer's deliveries of one campaign, oldest first, and the last counted conversion. */
  private static final class Touches {
    private final List<Delivery> deliveries = new ArrayList<>(2);
    @Nullable Instant lastConversionAt;

    void add(Delivery d) {
      int i = deliveries.size();
      while (i > 0 && deliveries.get(i - 1).deliveredAt.isAfter(d.deliveredAt)) {
        i--;
      }
      deliveries.add(i, d);
    }

    Delivery first() {
      return deliveries.get(0);
    }

    /** The latest delivery at or before {@code at}, or null when every one is after it. */
    @Nullable Delivery lastAtOrBefore(Instant at) {
      for (int i = deliveries.size() - 1; i >= 0; i--) {
        Delivery d = deliveries.get(i);
        if (!d.deliveredAt.isAfter(at)) {
          return d;
        }
      }
      return null;
    }
  }

  private record CustomerCampaign(String customerId, String campaign) {}

  /** Mutable counters of a group. Guarded by the loop's lock. */
  private static final class Tally {
    long delivered;
    long opened;
    long clicked;
    long couponsUsed;
    long conversions;
    BigDecimal revenue = BigDecimal.ZERO;
    BigDecimal cost = BigDecimal.ZERO;

    Metrics metrics() {
      return new Metrics(delivered, opened, clicked, couponsUsed, conversions, revenue, cost);
    }
  }

  /** Builds a {@link FeedbackLoop}. Not thread-safe. */
  public static final class Builder {
    private Duration window = DEFAULT_CONVERSION_WINDOW;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * How long after a delivery its interactions still count. Default 7 days. Shorten it for
     * impulse channels (an SMS flash sale), lengthen it for considered purchases; a longer window
     * credits more organic purchases to campaigns.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder conversionWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("conversionWindow must be positive but was " + window);
      }
      this.window = window;
      return this;
    }

    /** The clock that stamps {@link MetricsReport#asOf()}. Default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The loop. */
    public FeedbackLoop build() {
      return new FeedbackLoop(this);
    }
  }
}
