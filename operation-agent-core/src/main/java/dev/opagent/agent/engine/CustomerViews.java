package dev.opagent.agent.engine;

import dev.opagent.rules.attributes.CustomerView;
import dev.opagent.segment.Customer;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.MissingRegular;
import dev.opagent.segment.ProductHistory;
import dev.opagent.segment.Region;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentLabel;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds campaign-rules' {@link CustomerView} from the segment client's typed records, where both
 * libraries are visible. Stateless and thread-safe. The records are converted to the JSON-like maps
 * the view reads, in the agent's wire form (labels as wire values, zone-less UTC date-times as
 * {@code 2026-01-20T00:00:00}), without a JSON round trip.
 *
 * <pre>{@code
 * CustomerView view = CustomerViews.of(data, analysis, Map.of("purchase_stage", "决策阶段"), asOf);
 * Eligibility e = evaluator.evaluate(rules, view.customerId(), view);
 * }</pre>
 */
public final class CustomerViews {
  private static final DateTimeFormatter ZONELESS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  private CustomerViews() {}

  /** A view of the customer with the analysis (optional) and host attributes, as of a date. */
  public static CustomerView of(
      CustomerData data,
      @Nullable SegmentAnalysis analysis,
      Map<String, ?> attributes,
      LocalDate asOf) {
    CustomerView.Builder b = CustomerView.builder().customerData(customerData(data)).asOf(asOf);
    if (analysis != null) {
      b.analysis(analysis(analysis));
    }
    return b.putAttributes(attributes).build();
  }

  /** A view of the customer and the analysis, without host attributes. */
  public static CustomerView of(CustomerData data, SegmentAnalysis analysis, LocalDate asOf) {
    return of(data, analysis, Map.of(), asOf);
  }

  /** The customer data as the wire's JSON-like map. */
  public static Map<String, @Nullable Object> customerData(CustomerData d) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("customerId", d.customerId());
    put(m, "city", d.city());
    Customer c = d.customer();
    if (c != null) {
      Map<String, @Nullable Object> cm = new LinkedHashMap<>();
      put(cm, "customerId", c.customerId());
      put(cm, "age", c.age());
      put(cm, "gender", c.gender());
      put(cm, "registeredAt", date(c.registeredAt()));
      List<Object> history = new ArrayList<>(c.productHistory().size());
      for (ProductHistory p : c.productHistory()) {
        Map<String, @Nullable Object> pm = new LinkedHashMap<>();
        put(pm, "productId", p.productId());
        put(pm, "category", p.category());
        put(pm, "totalQuantity", p.totalQuantity());
        put(pm, "totalSpent", p.totalSpent());
        put(pm, "orderCount", p.orderCount());
        put(pm, "lastPurchase", date(p.lastPurchase()));
        put(pm, "avgDaysBetween", p.avgDaysBetween());
        pm.putAll(p.extra());
        history.add(Collections.unmodifiableMap(pm));
      }
      cm.put("productHistory", Collections.unmodifiableList(history));
      cm.putAll(c.extra());
      m.put("customer", Collections.unmodifiableMap(cm));
    }
    Region r = d.region();
    if (r != null) {
      Map<String, @Nullable Object> rm = new LinkedHashMap<>();
      put(rm, "name", r.name());
      put(rm, "climateType", r.climateType());
      put(rm, "medianBasket", r.medianBasket());
      put(rm, "trend", r.trend());
      rm.putAll(r.extra());
      m.put("region", Collections.unmodifiableMap(rm));
    }
    put(m, "currentSeason", label(d.currentSeason()));
    m.putAll(d.extra());
    return Collections.unmodifiableMap(m);
  }

  /** The analysis as the wire's JSON-like map. */
  public static Map<String, @Nullable Object> analysis(SegmentAnalysis a) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    put(m, "ageSegment", label(a.ageSegment()));
    put(m, "churnSegment", label(a.churnSegment()));
    put(m, "valueSegment", label(a.valueSegment()));
    put(m, "loyaltyTier", label(a.loyaltyTier()));
    put(m, "affinityType", label(a.affinityType()));
    put(m, "diversityProfile", label(a.diversityProfile()));
    List<Object> missing = new ArrayList<>(a.missingRegulars().size());
    for (MissingRegular r : a.missingRegulars()) {
      Map<String, @Nullable Object> rm = new LinkedHashMap<>();
      put(rm, "productId", r.productId());
      put(rm, "category", r.category());
      put(rm, "expectedEveryDays", r.expectedEveryDays());
      put(rm, "daysSinceLastPurchase", r.daysSinceLastPurchase());
      put(rm, "daysOverdue", r.daysOverdue());
      put(rm, "lastPurchase", date(r.lastPurchase()));
      rm.putAll(r.extra());
      missing.add(Collections.unmodifiableMap(rm));
    }
    m.put("missingRegulars", Collections.unmodifiableList(missing));
    m.putAll(a.extra());
    return Collections.unmodifiableMap(m);
  }

  private static void put(Map<String, @Nullable Object> m, String k, @Nullable Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  private static @Nullable String label(@Nullable SegmentLabel l) {
    return l == null ? null : l.wireValue();
  }

  private static @Nullable String date(@Nullable OffsetDateTime t) {
    if (t == null) {
      return null;
    }
    return t.getOffset().equals(ZoneOffset.UTC) && t.getNano() == 0
        ? ZONELESS.format(t.toLocalDateTime())
        : t.toString();
  }
}
