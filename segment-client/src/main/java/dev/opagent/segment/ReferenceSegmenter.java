package dev.opagent.segment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic, local implementation of the segment agent's rules: the same customer data and
 * the same day always give the same {@link SegmentAnalysis}. Immutable and thread-safe.
 *
 * <p>Used as the client's fallback when the agent is unavailable and by the testkit's simulator.
 * "Today" ({@code asOf}) is the current date of the injected {@link Clock} in the clock's zone;
 * every date in the customer data is converted to that zone before days are counted, so results do
 * not depend on the host's time zone. Money is compared exactly ({@link BigDecimal}, no division).
 *
 * <p>The rules, with {@code cadence} the median {@code avgDaysBetween} over purchased products (30
 * when none is known) and {@code recency} the days since the latest {@code lastPurchase}:
 *
 * <ul>
 *   <li><b>churn</b>: no purchases → {@code Yeni}; recency ≤ 1.5·cadence → {@code Aktif}; ≤
 *       3·cadence → {@code Ilık}; ≤ 6·cadence → {@code Riskli}; else {@code Kayıp}.
 *   <li><b>value</b>: monthly spend = total spent / max(1, tenure months); ≥ 2·median basket →
 *       {@code HighValue}; ≥ 0.75·median basket → {@code MediumValue}; otherwise {@code LowValue};
 *       no purchases → {@code New}.
 *   <li><b>loyalty</b>: ≥ 24 orders and ≥ 12 months of tenure → {@code Platin}; ≥ 12 orders →
 *       {@code Altın}; ≥ 4 → {@code Gümüş}; else {@code Bronz}.
 *   <li><b>diversity</b>: categories bought ≥ 3 → {@code Kaşif}; 2 → {@code Dengeli}; 1 → {@code
 *       Sadık}; none → {@code Yeni}.
 *   <li><b>affinity</b>: the top category by spend equals the region's trend (ignoring case) →
 *       {@code TrendFollower}; else its share of spend ≥ 60% → {@code CategoryFocused}; else {@code
 *       Mixed}; no purchases → {@code None}.
 *   <li><b>age</b>: {@code 18-24}, {@code 25-34}, {@code 35-44}, {@code 45-54}, {@code 55+};
 *       unknown or under 18 → {@code Unknown}.
 *   <li><b>missing regulars</b>: every product bought at least 3 times whose days since {@code
 *       lastPurchase} exceed 1.5·{@code avgDaysBetween}; it is overdue by the whole days past its
 *       expected re-order day ({@code lastPurchase + avgDaysBetween}). Most overdue first.
 * </ul>
 *
 * <p>Where the data is incomplete the choices are: a history entry counts as a purchase when its
 * {@code orderCount} is positive, or when {@code orderCount} is absent and it has a {@code
 * lastPurchase} (it then counts as one order); a missing {@code totalSpent} is zero; a missing
 * category is a category of its own. Tenure is counted in whole calendar months from {@code
 * registeredAt}; when that is unknown, from the earliest first order the history implies ({@code
 * lastPurchase − (orderCount − 1)·avgDaysBetween}). When no purchase is dated, recency is counted
 * from {@code registeredAt}, and the customer is {@code Kayıp} when that is unknown too. When the
 * region's median basket is unknown or zero, a buying customer is {@code MediumValue}. When nothing
 * was spent, categories are weighed by their order counts for affinity. Dates after {@code asOf}
 * count as {@code asOf}.
 *
 * <pre>{@code
 * ReferenceSegmenter segmenter = new ReferenceSegmenter(Clock.systemUTC());
 * SegmentAnalysis analysis = segmenter.analyze(customerData);
 * }</pre>
 */
public final class ReferenceSegmenter implements LocalSegmenter {
  /** Cadence in days assumed when no product in the history has an {@code avgDaysBetween}. */
  public static final BigDecimal DEFAULT_CADENCE_DAYS = BigDecimal.valueOf(30);

  /** Orders from which a product counts as a regular. */
  public static final int REGULAR_MIN_ORDERS = 3;

  private static final BigDecimal TWO = BigDecimal.valueOf(2);
  private static final BigDecimal THREE = BigDecimal.valueOf(3);
  private static final BigDecimal FOUR = BigDecimal.valueOf(4);
  private static final BigDecimal SIX = BigDecimal.valueOf(6);
  private static final BigDecimal TEN = BigDecimal.TEN;
  private static final String NO_CATEGORY = "";

  /** Longest history span counted, in days (about 10,000 years: beyond any valid date). */
  private static final BigDecimal MAX_SPAN_DAYS = BigDecimal.valueOf(3_660_000);

  /** Most overdue first; ties in a fixed order, so the result never depends on history order. */
  private static final Comparator<MissingRegular> MOST_OVERDUE_FIRST =
      Comparator.comparing((MissingRegular m) -> Objects.requireNonNull(m.daysOverdue()))
          .reversed()
          .thenComparing(m -> Objects.requireNonNullElse(m.productId(), ""))
          .thenComparing(m -> Objects.requireNonNullElse(m.category(), ""))
          .thenComparing(m -> Objects.requireNonNull(m.expectedEveryDays()))
          .thenComparing(m -> Objects.requireNonNull(m.daysSinceLastPurchase()));

  private final Clock clock;

  /**
   * Creates a segmenter whose {@code asOf} date is the current date of {@code clock}, in the
   * clock's zone. Pass {@link Clock#fixed} for reproducible results.
   */
  public ReferenceSegmenter(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A segmenter that uses today's date in UTC. */
  public static ReferenceSegmenter ofSystemClock() {
    return new ReferenceSegmenter(Clock.systemUTC());
  }

  /** The clock that gives this segmenter's {@code asOf} date. */
  public Clock clock() {
    return clock;
  }

  /**
   * Segments {@code data} as of the clock's current date. Every dimension of the result is set;
   * {@code missingRegulars} is empty when nothing is overdue.
   *
   * @throws InvalidInputException when {@code data} fails {@link CustomerDataValidator}
   */
  @Override
  public SegmentAnalysis analyze(CustomerData data) {
    CustomerDataValidator.validate(data);
    ZoneId zone = clock.getZone();
    LocalDate asOf = LocalDate.now(clock);
    Customer customer = data.customer();
    List<ProductHistory> purchases = new ArrayList<>();
    if (customer != null) {
      for (ProductHistory p : customer.productHistory()) {
        if (isPurchase(p)) {
          purchases.add(p);
        }
      }
    }
    Region region = data.region();
    Integer age = customer == null ? null : customer.age();
    OffsetDateTime registeredAt = customer == null ? null : customer.registeredAt();
    long tenureMonths = tenureMonths(registeredAt, purchases, asOf, zone);
    return new SegmentAnalysis(
        ageSegment(age),
        churn(purchases, registeredAt, asOf, zone),
        value(purchases, tenureMonths, region == null ? null : region.medianBasket()),
        loyalty(purchases, tenureMonths),
        affinity(purchases, region == null ? null : region.trend()),
        diversity(purchases),
        missingRegulars(purchases, asOf, zone));
  }

  static boolean isPurchase(ProductHistory p) {
    Integer orders = p.orderCount();
    return orders != null ? orders > 0 : p.lastPurchase() != null;
  }

  static int orders(ProductHistory p) {
    Integer orders = p.orderCount();
    return orders != null ? orders : 1;
  }

  static AgeSegment ageSegment(@Nullable Integer age) {
    if (age == null || age < 18) {
      return AgeSegment.UNKNOWN;
    }
    if (age <= 24) {
      return AgeSegment.AGE_18_24;
    }
    if (age <= 34) {
      return AgeSegment.AGE_25_34;
    }
    if (age <= 44) {
      return AgeSegment.AGE_35_44;
    }
    if (age <= 54) {
      return AgeSegment.AGE_45_54;
    }
    return AgeSegment.AGE_55_PLUS;
  }

  private static ChurnSegment churn(
      List<ProductHistory> purchases,
      @Nullable OffsetDateTime registeredAt,
      LocalDate asOf,
      ZoneId zone) {
    if (purchases.isEmpty()) {
      return ChurnSegment.NEW;
    }
    LocalDate latest = null;
    for (ProductHistory p : purchases) {
      if (p.lastPurchase() != null) {
        LocalDate d = date(p.lastPurchase(), zone);
        if (latest == null || d.isAfter(latest)) {
          latest = d;
        }
      }
    }
    if (latest == null && registeredAt != null) {
      latest = date(registeredAt, zone);
    }
    if (latest == null) {
      return ChurnSegment.LOST;
    }
    BigDecimal recency = BigDecimal.valueOf(daysBetween(latest, asOf));
    BigDecimal cadence = cadence(purchases);
    // recency ≤ 1.5·cadence  ⇔  2·recency ≤ 3·cadence (exact, no rounding)
    BigDecimal twiceRecency = recency.multiply(TWO);
    if (twiceRecency.compareTo(cadence.multiply(THREE)) <= 0) {
      return ChurnSegment.ACTIVE;
    }
    if (recency.compareTo(cadence.multiply(THREE)) <= 0) {
      return ChurnSegment.WARM;
    }
    if (recency.compareTo(cadence.multiply(SIX)) <= 0) {
      return ChurnSegment.AT_RISK;
    }
    return ChurnSegment.LOST;
  }

  /** Median {@code avgDaysBetween} over purchases that have a positive one; 30 when none has. */
  static BigDecimal cadence(List<ProductHistory> purchases) {
    List<BigDecimal> values = new ArrayList<>();
    for (ProductHistory p : purchases) {
      BigDecimal avg = p.avgDaysBetween();
      if (avg != null && avg.signum() > 0) {
        values.add(avg);
      }
    }
    if (values.isEmpty()) {
      return DEFAULT_CADENCE_DAYS;
    }
    values.sort(Comparator.naturalOrder());
    int n = values.size();
    if (n % 2 == 1) {
      return values.get(n / 2);
    }
    return values.get(n / 2 - 1).add(values.get(n / 2)).divide(TWO);
  }

  private static ValueSegment value(
      List<ProductHistory> purchases, long tenureMonths, @Nullable BigDecimal medianBasket) {
    if (purchases.isEmpty()) {
      return ValueSegment.NEW;
    }
    if (medianBasket == null || medianBasket.signum() == 0) {
      return ValueSegment.MEDIUM_VALUE;
    }
    BigDecimal total = BigDecimal.ZERO;
    for (ProductHistory p : purchases) {
      if (p.totalSpent() != null) {
        total = total.add(p.totalSpent());
      }
    }
    // total / months ≥ k·median  ⇔  total ≥ k·median·months (months ≥ 1)
    BigDecimal months = BigDecimal.valueOf(Math.max(1, tenureMonths));
    BigDecimal basketMonths = medianBasket.multiply(months);
    if (total.compareTo(basketMonths.multiply(TWO)) >= 0) {
      return ValueSegment.HIGH_VALUE;
    }
    // ≥ 0.75·median  ⇔  4·total ≥ 3·median·months
    if (total.multiply(FOUR).compareTo(basketMonths.multiply(THREE)) >= 0) {
      return ValueSegment.MEDIUM_VALUE;
    }
    return ValueSegment.LOW_VALUE;
  }

  private static LoyaltyTier loyalty(List<ProductHistory> purchases, long tenureMonths) {
    long orders = 0;
    for (ProductHistory p : purchases) {
      orders += orders(p);
    }
    if (orders >= 24 && tenureMonths >= 12) {
      return LoyaltyTier.PLATINUM;
    }
    if (orders >= 12) {
      return LoyaltyTier.GOLD;
    }
    if (orders >= 4) {
      return LoyaltyTier.SILVER;
    }
    return LoyaltyTier.BRONZE;
  }

  private static DiversityProfile diversity(List<ProductHistory> purchases) {
    int categories = weightsByCategory(purchases, false).size();
    if (categories >= 3) {
      return DiversityProfile.EXPLORER;
    }
    if (categories == 2) {
      return DiversityProfile.BALANCED;
    }
    if (categories == 1) {
      return DiversityProfile.FOCUSED;
    }
    return DiversityProfile.NEW;
  }

  private static AffinityType affinity(List<ProductHistory> purchases, @Nullable String trend) {
    if (purchases.isEmpty()) {
      return AffinityType.NONE;
    }
    Map<String, BigDecimal> weights = weightsByCategory(purchases, false);
    BigDecimal total = weights.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    if (total.signum() == 0) {
      weights = weightsByCategory(purchases, true);
      total = weights.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }
    String top = null;
    BigDecimal topWeight = BigDecimal.ZERO;
    for (Map.Entry<String, BigDecimal> e : weights.entrySet()) {
      int cmp = e.getValue().compareTo(topWeight);
      // Ties go to the alphabetically first category so the result never depends on history order.
      if (top == null || cmp > 0 || cmp == 0 && e.getKey().compareTo(top) < 0) {
        top = e.getKey();
        topWeight = e.getValue();
      }
    }
    if (trend != null && top != null && !top.equals(NO_CATEGORY) && top.equals(normalise(trend))) {
      return AffinityType.TREND_FOLLOWER;
    }
    // share ≥ 0.6  ⇔  10·top ≥ 6·total
    if (topWeight.multiply(TEN).compareTo(total.multiply(SIX)) >= 0) {
      return AffinityType.CATEGORY_FOCUSED;
    }
    return AffinityType.MIXED;
  }

  /**
   * Spend (or, with {@code byOrders}, order count) per normalised category, in first-seen order.
   */
  private static Map<String, BigDecimal> weightsByCategory(
      List<ProductHistory> purchases, boolean byOrders) {
    Map<String, BigDecimal> weights = new LinkedHashMap<>();
    for (ProductHistory p : purchases) {
      String category = p.category() == null ? NO_CATEGORY : normalise(p.category());
      BigDecimal w =
          byOrders
              ? BigDecimal.valueOf(orders(p))
              : Objects.requireNonNullElse(p.totalSpent(), BigDecimal.ZERO);
      weights.merge(category, w, BigDecimal::add);
    }
    return weights;
  }

  private static String normalise(String category) {
    return category.strip().toUpperCase(Locale.ROOT);
  }

  private static List<MissingRegular> missingRegulars(
      List<ProductHistory> purchases, LocalDate asOf, ZoneId zone) {
    List<MissingRegular> missing = new ArrayList<>();
    for (ProductHistory p : purchases) {
      Integer orders = p.orderCount();
      BigDecimal every = p.avgDaysBetween();
      OffsetDateTime last = p.lastPurchase();
      if (orders == null
          || orders < REGULAR_MIN_ORDERS
          || every == null
          || every.signum() <= 0
          || last == null) {
        continue;
      }
      long since = daysBetween(date(last, zone), asOf);
      // since > 1.5·every  ⇔  2·since > 3·every
      if (BigDecimal.valueOf(since).multiply(TWO).compareTo(every.multiply(THREE)) <= 0) {
        continue;
      }
      int overdue =
          BigDecimal.valueOf(since).subtract(every).setScale(0, RoundingMode.FLOOR).intValueExact();
      missing.add(
          new MissingRegular(
              p.productId(), p.category(), every, Math.toIntExact(since), overdue, last));
    }
    missing.sort(MOST_OVERDUE_FIRST);
    return missing;
  }

  private static long tenureMonths(
      @Nullable OffsetDateTime registeredAt,
      List<ProductHistory> purchases,
      LocalDate asOf,
      ZoneId zone) {
    LocalDate start = registeredAt == null ? null : date(registeredAt, zone);
    if (start == null) {
      for (ProductHistory p : purchases) {
        if (p.lastPurchase() == null) {
          continue;
        }
        BigDecimal every = Objects.requireNonNullElse(p.avgDaysBetween(), BigDecimal.ZERO);
        // Validated amounts keep this product small (at most 10^12 · 2^31), but it is clamped
        // before it becomes a long: a span beyond the calendar would wrap or leave LocalDate.
        BigDecimal exactSpan =
            every
                .multiply(BigDecimal.valueOf(Math.max(0, orders(p) - 1)))
                .setScale(0, RoundingMode.FLOOR);
        long span = exactSpan.min(MAX_SPAN_DAYS).longValueExact();
        LocalDate first = date(p.lastPurchase(), zone).minusDays(span);
        if (start == null || first.isBefore(start)) {
          start = first;
        }
      }
    }
    if (start == null || !start.isBefore(asOf)) {
      return 0;
    }
    return ChronoUnit.MONTHS.between(start, asOf);
  }

  private static LocalDate date(OffsetDateTime value, ZoneId zone) {
    return value.atZoneSameInstant(zone).toLocalDate();
  }

  private static long daysBetween(LocalDate from, LocalDate asOf) {
    return Math.max(0, ChronoUnit.DAYS.between(from, asOf));
  }

  @Override
  public String toString() {
    return "ReferenceSegmenter[clock=" + clock + "]";
  }
}
