package dev.opagent.agent.engine;

import dev.opagent.agent.Channel;
import dev.opagent.rules.Eligibility;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ProductHistory;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.ValueSegment;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Everything the engine knows about one customer when deciding: the campaign eligibility verdicts,
 * the customer data and segment analysis they came from, host attributes, consent per channel, the
 * time zone, and the figures scoring needs. Immutable and thread-safe. Build it once per customer
 * (the builder does the parsing and arithmetic, so deciding does not).
 *
 * <p>Defaults computed by {@link Builder#build()} when not set explicitly:
 *
 * <ul>
 *   <li><b>expected basket</b>: the customer's average order value (total spent / orders over the
 *       product history); without orders, the region's median basket; else {@value
 *       #DEFAULT_BASKET}.
 *   <li><b>customer value</b> (what a conversion is worth): expected basket × a weight of the value
 *       segment — {@code HighValue} 1.5, {@code MediumValue} 1.0, {@code LowValue} 0.75, {@code
 *       New} and unknown 1.0 — so valuable customers win ties for scarce budget.
 *   <li><b>segment key</b> (for observed conversion rates): the churn segment's wire value, such as
 *       {@code Riskli}; {@code unknown} without an analysis.
 *   <li><b>consent</b>: none. Unknown consent counts as no, so set the channels the customer opted
 *       in to.
 *   <li><b>time zone</b>: none, meaning the policy's default zone.
 * </ul>
 *
 * <pre>{@code
 * CustomerContext ctx = CustomerContext.builder(eligibility)
 *     .customerData(data).analysis(analysis)
 *     .consent(Channel.EMAIL, Channel.SMS)
 *     .zone(ZoneId.of("Europe/Istanbul"))
 *     .build();
 * }</pre>
 */
public final class CustomerContext {
  /** Expected basket when neither the history nor the region tells. */
  public static final double DEFAULT_BASKET = 100.0;

  private final String customerId;
  private final Eligibility eligibility;
  private final @Nullable CustomerData customerData;
  private final @Nullable SegmentAnalysis analysis;
  private final Map<String, @Nullable Object> attributes;
  private final Set<Channel> consents;
  private final @Nullable ZoneId zone;
  private final double expectedBasket;
  private final double customerValue;
  private final String segmentKey;

  private CustomerContext(Builder b, double basket, double value, String segmentKey) {
    this.customerId = b.eligibility.customerId();
    this.eligibility = b.eligibility;
    this.customerData = b.customerData;
    this.analysis = b.analysis;
    this.attributes =
        b.attributes.isEmpty()
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
    this.consents = Set.copyOf(b.consents);
    this.zone = b.zone;
    this.expectedBasket = basket;
    this.customerValue = value;
    this.segmentKey = segmentKey;
  }

  /** A builder for the customer of {@code eligibility}. */
  public static Builder builder(Eligibility eligibility) {
    return new Builder(eligibility);
  }

  /** A context from the segment client's types, without consent (see the class comment). */
  public static CustomerContext of(
      CustomerData data, SegmentAnalysis analysis, Eligibility eligibility) {
    return builder(eligibility).customerData(data).analysis(analysis).build();
  }

  public String customerId() {
    return customerId;
  }

  public Eligibility eligibility() {
    return eligibility;
  }

  public @Nullable CustomerData customerData() {
    return customerData;
  }

  public @Nullable SegmentAnalysis analysis() {
    return analysis;
  }

  /** Host attributes. */
  public Map<String, @Nullable Object> attributes() {
    return attributes;
  }

  /** The channels the customer opted in to. */
  public Set<Channel> consents() {
    return consents;
  }

  /** Whether the customer opted in to {@code channel}. */
  public boolean hasConsent(Channel channel) {
    return consents.contains(channel);
  }

  /** The customer's time zone, or null for the policy's default. */
  public @Nullable ZoneId zone() {
    return zone;
  }

  /** The expected basket of a conversion, in the budget currency. */
  public double expectedBasket() {
    return expectedBasket;
  }

  /** What a conversion is worth, in the budget currency. */
  public double customerValue() {
    return customerValue;
  }

  /** The segment observed conversion rates are looked up by. */
  public String segmentKey() {
    return segmentKey;
  }

  @Override
  public String toString() {
    return "CustomerContext[" + customerId + "]";
  }

  /** Builds a {@link CustomerContext}. Not thread-safe. */
  public static final class Builder {
    private final Eligibility eligibility;
    private @Nullable CustomerData customerData;
    private @Nullable SegmentAnalysis analysis;

    /** Empty until the first attribute: most customers have none. */
    private Map<String, @Nullable Object> attributes = Map.of();

    /** Immutable until a second call adds to it: a caller's immutable set is kept as is. */
    private Set<Channel> consents = Set.of();

    private @Nullable ZoneId zone;
    private @Nullable Double expectedBasket;
    private @Nullable Double customerValue;
    private @Nullable String segmentKey;

    private Builder(Eligibility eligibility) {
      this.eligibility = Objects.requireNonNull(eligibility, "eligibility");
    }

    /** The customer data; its id must be the eligibility's. */
    public Builder customerData(CustomerData data) {
      if (!data.customerId().equals(eligibility.customerId())) {
        throw new IllegalArgumentException(
            "customer data and eligibility must be of the same customer");
      }
      this.customerData = data;
      return this;
    }

    public Builder analysis(SegmentAnalysis analysis) {
      this.analysis = Objects.requireNonNull(analysis, "analysis");
      return this;
    }

    public Builder putAttribute(String name, @Nullable Object value) {
      Objects.requireNonNull(name, "name");
      if (attributes.isEmpty()) {
        attributes = new LinkedHashMap<>();
      }
      attributes.put(name, value);
      return this;
    }

    public Builder putAttributes(Map<String, ?> values) {
      values.forEach(this::putAttribute);
      return this;
    }

    /** Adds channels the customer opted in to. */
    public Builder consent(Channel... channels) {
      Set<Channel> s = mutableConsents();
      for (Channel c : channels) {
        s.add(Objects.requireNonNull(c, "channel"));
      }
      return this;
    }

    /** Adds channels the customer opted in to. */
    public Builder consents(java.util.Collection<Channel> channels) {
      if (consents.isEmpty() && channels instanceof Set<Channel> given) {
        // An immutable set (Set.of, Set.copyOf) is kept as is, so a set shared by every customer
        // is not copied per customer; Set.copyOf rejects null elements.
        consents = Set.copyOf(given);
        return this;
      }
      Set<Channel> s = mutableConsents();
      channels.forEach(c -> s.add(Objects.requireNonNull(c, "channel")));
      return this;
    }

    /**
     * Removes the consents {@code which} selects: those the customer withdrew since the host's
     * records were read.
     */
    public Builder removeConsents(java.util.function.Predicate<Channel> which) {
      Objects.requireNonNull(which, "which");
      if (!consents.isEmpty()) {
        mutableConsents().removeIf(which);
      }
      return this;
    }

    private Set<Channel> mutableConsents() {
      if (!(consents instanceof java.util.HashSet<Channel>)) {
        consents = new java.util.HashSet<>(consents);
      }
      return consents;
    }

    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /** Overrides the computed expected basket. */
    public Builder expectedBasket(double basket) {
      this.expectedBasket = nonNegative(basket, "expectedBasket");
      return this;
    }

    /** Overrides the computed customer value (for example with a host's lifetime value). */
    public Builder customerValue(double value) {
      this.customerValue = nonNegative(value, "customerValue");
      return this;
    }

    /** Overrides the segment key of observed conversion rates. */
    public Builder segmentKey(String key) {
      this.segmentKey = Objects.requireNonNull(key, "key");
      return this;
    }

    public CustomerContext build() {
      double basket = expectedBasket != null ? expectedBasket : basket();
      double value = customerValue != null ? customerValue : basket * weight();
      String key =
          segmentKey != null
              ? segmentKey
              : analysis != null && analysis.churnSegment() != null
                  ? analysis.churnSegment().wireValue()
                  : "unknown";
      return new CustomerContext(this, basket, value, key);
    }

    private double basket() {
      CustomerData d = customerData;
      if (d == null) {
        return DEFAULT_BASKET;
      }
      if (d.customer() != null) {
        BigDecimal spent = BigDecimal.ZERO;
        long orders = 0;
        for (ProductHistory p : d.customer().productHistory()) {
          if (p.totalSpent() != null) {
            spent = spent.add(p.totalSpent());
          }
          if (p.orderCount() != null) {
            orders += p.orderCount();
          }
        }
        if (orders > 0 && spent.signum() > 0) {
          return spent.doubleValue() / orders;
        }
      }
      if (d.region() != null
          && d.region().medianBasket() != null
          && d.region().medianBasket().signum() > 0) {
        return d.region().medianBasket().doubleValue();
      }
      return DEFAULT_BASKET;
    }

    private double weight() {
      ValueSegment v = analysis == null ? null : analysis.valueSegment();
      if (v == null) {
        return 1.0;
      }
      // A label is its wire value: comparing those is the records' equality, without its bootstrap.
      String wire = v.wireValue();
      if (ValueSegment.HIGH_VALUE.wireValue().equals(wire)) {
        return 1.5;
      }
      if (ValueSegment.LOW_VALUE.wireValue().equals(wire)) {
        return 0.75;
      }
      return 1.0;
    }

    private static double nonNegative(double v, String name) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(name + " must be a non-negative number but was " + v);
      }
      return v;
    }
  }
}
