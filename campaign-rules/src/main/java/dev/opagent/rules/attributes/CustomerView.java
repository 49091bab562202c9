package dev.opagent.rules.attributes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.rules.internal.Values;
import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The attribute view campaign rules are written against: one customer's data as the segment agent
 * receives it, the agent's analysis, the host's own attributes and a few derived values. Immutable
 * and thread-safe once built; lookups do not allocate.
 *
 * <p>Paths (inputs are the segment agent's wire JSON, as {@code JsonNode} or JSON-like {@code
 * Map}):
 *
 * <table>
 *   <caption>Attribute paths</caption>
 *   <tr><th>path</th><th>from</th><th>examples</th></tr>
 *   <tr><td>{@code customerId}, {@code city}, {@code currentSeason}</td>
 *       <td>customerData</td><td>{@code "C-1001"}, {@code "Istanbul"}, {@code "Winter"}</td></tr>
 *   <tr><td>{@code customer.*}</td><td>customerData.customer</td>
 *       <td>{@code customer.age}, {@code customer.gender}, {@code customer.registeredAt},
 *       {@code customer.productHistory}</td></tr>
 *   <tr><td>{@code region.*}</td><td>customerData.region</td>
 *       <td>{@code region.name}, {@code region.climateType}, {@code region.medianBasket},
 *       {@code region.trend}</td></tr>
 *   <tr><td>{@code segments.*}</td><td>the analysis</td>
 *       <td>{@code segments.churnSegment} ({@code Yeni Aktif Ilık Riskli Kayıp}),
 *       {@code segments.valueSegment}, {@code segments.loyaltyTier}
 *       ({@code Platin Altın Gümüş Bronz}), {@code segments.diversityProfile}
 *       ({@code Kaşif Dengeli Sadık Yeni}), {@code segments.affinityType},
 *       {@code segments.ageSegment}, {@code segments.missingRegulars} (list of
 *       {@code {productId, category, expectedEveryDays, daysSinceLastPurchase, daysOverdue,
 *       lastPurchase}})</td></tr>
 *   <tr><td>{@code attributes.*}</td><td>host attributes</td>
 *       <td>{@code attributes.purchase_stage}, {@code attributes.price_sensitivity},
 *       {@code attributes.engagement_level}; a telecom host's {@code attributes.tariff},
 *       {@code attributes.tenure_months}</td></tr>
 *   <tr><td>{@code derived.daysSinceLastPurchase}</td><td>computed</td>
 *       <td>whole days from the latest {@code productHistory[].lastPurchase} to the as-of date;
 *       absent without purchases</td></tr>
 *   <tr><td>{@code derived.missingRegularsCount}</td><td>computed</td>
 *       <td>size of {@code segments.missingRegulars}; 0 when absent</td></tr>
 *   <tr><td>{@code derived.tenureMonths}</td><td>computed</td>
 *       <td>whole months from {@code customer.registeredAt} to the as-of date; absent when
 *       unknown</td></tr>
 *   <tr><td>{@code derived.totalOrders}, {@code derived.totalSpent},
 *       {@code derived.categoryCount}</td><td>computed</td>
 *       <td>sums of {@code orderCount} and {@code totalSpent}, number of distinct categories in
 *       {@code productHistory}</td></tr>
 * </table>
 *
 * <pre>{@code
 * CustomerView view = CustomerView.builder()
 *     .customerData(line.get("customerData"))
 *     .analysis(line.get("analysis"))
 *     .putAttribute("purchase_stage", "决策阶段")
 *     .asOf(LocalDate.of(2026, 3, 15))
 *     .build();
 * }</pre>
 */
public final class CustomerView implements Attributes {
  private final String customerId;

  /** The top level, as read by paths; {@link #asMap()} hands out an unmodifiable view of it. */
  private final Map<String, @Nullable Object> top;

  private final Map<String, @Nullable Object> root;
  private final Map<String, Object> derived;

  private CustomerView(
      String customerId, Map<String, @Nullable Object> top, Map<String, Object> derived) {
    this.customerId = customerId;
    this.top = top;
    this.root = Collections.unmodifiableMap(top);
    this.derived = derived;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A view of one input line of the form {@code {"customerData": …, "analysis": …, "attributes":
   * …}} ({@code analysis} and {@code attributes} optional).
   *
   * @throws IllegalArgumentException if {@code line} has no {@code customerData} object or no
   *     customer id
   */
  public static CustomerView fromWire(JsonNode line, LocalDate asOf) {
    JsonNode customerData = line.get("customerData");
    if (customerData == null || !customerData.isObject()) {
      throw new IllegalArgumentException("input has no customerData object");
    }
    Builder b = builder().customerData(customerData).asOf(asOf);
    JsonNode analysis = line.get("analysis");
    if (analysis != null && analysis.isObject()) {
      b.analysis(analysis);
    }
    JsonNode attributes = line.get("attributes");
    if (attributes != null && attributes.isObject()) {
      for (Map.Entry<String, JsonNode> e : attributes.properties()) {
        b.putAttribute(e.getKey(), e.getValue());
      }
    }
    return b.build();
  }

  /** The customer's id ({@code customerData.customerId}, else {@code customer.customerId}). */
  public String customerId() {
    return customerId;
  }

  /** The derived values, by name (without the {@code derived.} prefix). */
  public Map<String, Object> derived() {
    return derived;
  }

  /** The whole view as a JSON-like map (what the paths index into). */
  public Map<String, @Nullable Object> asMap() {
    return root;
  }

  /**
   * As {@link Values#getPath} from the top level, with the steps through the top-level map and
   * through Jackson objects taken directly.
   */
  @Override
  public @Nullable Object get(AttributePath path) {
    String first = path.segment(0);
    Object current = top.get(first);
    if (current == null && !top.containsKey(first)) {
      return Attributes.ABSENT;
    }
    for (int i = 1, n = path.size(); i < n; i++) {
      if (current instanceof ObjectNode o) {
        current = o.get(path.segment(i));
        if (current == null) {
          return Attributes.ABSENT;
        }
      } else {
        return Values.getPath(top, path);
      }
    }
    return current;
  }

  @Override
  public String toString() {
    return "CustomerView[" + customerId + "]";
  }

  /** Builds a {@link CustomerView}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Object customerData;
    private @Nullable Object analysis;
    private final Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
    private @Nullable LocalDate asOf;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The segment agent's {@code customerData} object. Required. */
    public Builder customerData(JsonNode customerData) {
      this.customerData = Objects.requireNonNull(customerData, "customerData");
      return this;
    }

    /** The segment agent's {@code customerData} object as JSON-like maps. Required. */
    public Builder customerData(Map<String, ?> customerData) {
      this.customerData = Objects.requireNonNull(customerData, "customerData");
      return this;
    }

    /** The segment agent's {@code analysis} object. Without one, {@code segments.*} is absent. */
    public Builder analysis(JsonNode analysis) {
      this.analysis = Objects.requireNonNull(analysis, "analysis");
      return this;
    }

    /** The segment agent's {@code analysis} object as JSON-like maps. */
    public Builder analysis(Map<String, ?> analysis) {
      this.analysis = Objects.requireNonNull(analysis, "analysis");
      return this;
    }

    /** A host attribute, readable as {@code attributes.<name>}. */
    public Builder putAttribute(String name, @Nullable Object value) {
      if (name.isEmpty() || name.indexOf('.') >= 0) {
        throw new IllegalArgumentException(
            "attribute name must be non-empty and without '.' but was '" + name + "'");
      }
      attributes.put(name, value);
      return this;
    }

    /** Host attributes, readable as {@code attributes.<name>}. */
    public Builder putAttributes(Map<String, ?> attributes) {
      attributes.forEach(this::putAttribute);
      return this;
    }

    /** The date derived values are computed at. Default: today in the clock's time zone. */
    public Builder asOf(LocalDate asOf) {
      this.asOf = Objects.requireNonNull(asOf, "asOf");
      return this;
    }

    /** Clock for the default as-of date. Default: {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the view.
     *
     * @throws IllegalStateException if no customer data was given
     * @throws IllegalArgumentException if the customer data has no customer id
     */
    public CustomerView build() {
      Object data = customerData;
      if (data == null) {
        throw new IllegalStateException("customerData is required");
      }
      LocalDate date = asOf != null ? asOf : LocalDate.now(clock);
      Object customer = Values.field(data, "customer");
      String id = text(Values.field(data, "customerId"));
      if (id == null && customer != null && Values.kind(customer) == Values.OBJECT) {
        id = text(Values.field(customer, "customerId"));
      }
      if (id == null || id.isEmpty()) {
        throw new IllegalArgumentException("customerData has no customerId");
      }
      Map<String, @Nullable Object> root = new LinkedHashMap<>();
      root.put("customerId", id);
      copy(data, "city", root);
      copy(data, "currentSeason", root);
      copy(data, "customer", root);
      copy(data, "region", root);
      if (analysis != null) {
        root.put("segments", analysis);
      }
      root.put("attributes", Collections.unmodifiableMap(new LinkedHashMap<>(attributes)));
      Map<String, Object> derived = derive(customer, analysis, date);
      root.put("derived", derived);
      return new CustomerView(id, root, derived);
    }

    private static void copy(Object from, String name, Map<String, @Nullable Object> to) {
      Object v = Values.field(from, name);
      if (v != Attributes.ABSENT) {
        to.put(name, v);
      }
    }

    private static Map<String, Object> derive(
        @Nullable Object customer, @Nullable Object analysis, LocalDate asOf) {
      Map<String, Object> d = new LinkedHashMap<>();
      Object history =
          customer != null && Values.kind(customer) == Values.OBJECT
              ? Values.field(customer, "productHistory")
              : Attributes.ABSENT;
      LocalDate last = null;
      long orders = 0;
      BigDecimal spent = BigDecimal.ZERO;
      Set<String> categories = new HashSet<>();
      if (history != null && Values.kind(history) == Values.ARRAY) {
        for (int i = 0, n = Values.size(history); i < n; i++) {
          Object item = Values.element(history, i);
          if (item == null || Values.kind(item) != Values.OBJECT) {
            continue;
          }
          LocalDate purchase = date(Values.field(item, "lastPurchase"));
          if (purchase != null && (last == null || purchase.isAfter(last))) {
            last = purchase;
          }
          Object count = Values.field(item, "orderCount");
          if (count != null && Values.kind(count) == Values.NUMBER) {
            orders += (long) Values.number(count);
          }
          Object total = Values.field(item, "totalSpent");
          if (total != null && Values.kind(total) == Values.NUMBER) {
            spent = spent.add(BigDecimal.valueOf(Values.number(total)));
          }
          String category = text(Values.field(item, "category"));
          if (category != null) {
            categories.add(category);
          }
        }
      }
      if (last != null) {
        d.put("daysSinceLastPurchase", ChronoUnit.DAYS.between(last, asOf));
      }
      Object missing =
          analysis == null ? Attributes.ABSENT : Values.field(analysis, "missingRegulars");
      d.put(
          "missingRegularsCount",
          missing != null && Values.kind(missing) == Values.ARRAY ? Values.size(missing) : 0);
      LocalDate registered =
          customer != null && Values.kind(customer) == Values.OBJECT
              ? date(Values.field(customer, "registeredAt"))
              : null;
      if (registered != null) {
        d.put("tenureMonths", ChronoUnit.MONTHS.between(registered, asOf));
      }
      d.put("totalOrders", orders);
      d.put("totalSpent", spent.doubleValue());
      d.put("categoryCount", categories.size());
      return Collections.unmodifiableMap(d);
    }

    private static @Nullable String text(@Nullable Object v) {
      return v != null && Values.kind(v) == Values.STRING ? Values.string(v) : null;
    }

    /** Reads {@code 2026-01-20}, {@code 2026-01-20T00:00:00} or with an offset; null otherwise. */
    static @Nullable LocalDate date(@Nullable Object v) {
      String s = text(v);
      if (s == null) {
        return null;
      }
      try {
        if (s.length() == 10) {
          return LocalDate.parse(s);
        }
        try {
          return LocalDateTime.parse(s).toLocalDate();
        } catch (DateTimeParseException e) {
          return OffsetDateTime.parse(s).toLocalDate();
        }
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }
}
