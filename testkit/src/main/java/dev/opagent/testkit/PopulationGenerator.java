package dev.opagent.testkit;

import dev.opagent.segment.Customer;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ProductHistory;
import dev.opagent.segment.Region;
import dev.opagent.segment.Season;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A seeded generator of realistic customer populations of any size: Turkish cities in their seven
 * geographic regions (each with a climate, a median basket and a trending category), ages,
 * registration dates and purchase histories with per-product cadences, recencies spread so that
 * every churn, value, loyalty, diversity and affinity segment of the reference segmenter occurs.
 * Immutable and thread-safe.
 *
 * <p>Customer {@code i} depends only on the seed and {@code i}: {@link #customer(long)} gives
 * random access, and {@link #stream(long)} is lazy (a million customers are never held in memory)
 * and may run in parallel with the same result.
 *
 * <pre>{@code
 * PopulationGenerator population = PopulationGenerator.builder().seed(42).build();
 * population.stream(1_000_000).forEach(client::analyzeAsync);
 * CustomerData first = population.customer(0);   // always the same for seed 42
 * }</pre>
 */
public final class PopulationGenerator {
  private static final String[] CATEGORIES = {
    "SKINCARE", "MAKEUP", "HAIRCARE", "FRAGRANCE", "PERSONAL_CARE", "BABY_CARE", "SUPPLEMENTS"
  };

  /** Unit price range per category, in the shop's currency (lira). */
  private static final int[][] PRICES = {
    {40, 350}, {30, 250}, {25, 180}, {150, 900}, {15, 90}, {30, 200}, {60, 400}
  };

  private static final int[] CADENCES = {7, 14, 21, 30, 30, 30, 45, 60, 90};

  private static final List<RegionProfile> REGIONS =
      List.of(
          new RegionProfile(
              "Marmara",
              "Temperate",
              "180.0",
              "SKINCARE",
              List.of(
                  city("Istanbul", 156),
                  city("Bursa", 32),
                  city("Kocaeli", 21),
                  city("Tekirdağ", 11),
                  city("Balıkesir", 12),
                  city("Sakarya", 11),
                  city("Edirne", 4))),
          new RegionProfile(
              "Ege",
              "Mediterranean",
              "150.0",
              "FRAGRANCE",
              List.of(
                  city("İzmir", 44),
                  city("Manisa", 15),
                  city("Aydın", 11),
                  city("Denizli", 10),
                  city("Muğla", 10))),
          new RegionProfile(
              "Akdeniz",
              "Mediterranean",
              "140.0",
              "SKINCARE",
              List.of(
                  city("Antalya", 27),
                  city("Adana", 23),
                  city("Mersin", 19),
                  city("Hatay", 17),
                  city("Isparta", 4))),
          new RegionProfile(
              "İç Anadolu",
              "Continental",
              "130.0",
              "HAIRCARE",
              List.of(
                  city("Ankara", 57),
                  city("Konya", 23),
                  city("Kayseri", 14),
                  city("Eskişehir", 9),
                  city("Sivas", 6))),
          new RegionProfile(
              "Karadeniz",
              "Oceanic",
              "110.0",
              "PERSONAL_CARE",
              List.of(
                  city("Samsun", 14),
                  city("Trabzon", 8),
                  city("Ordu", 8),
                  city("Zonguldak", 6),
                  city("Rize", 3))),
          new RegionProfile(
              "Doğu Anadolu",
              "Continental",
              "85.0",
              "BABY_CARE",
              List.of(city("Erzurum", 8), city("Malatya", 8), city("Van", 11), city("Elazığ", 6))),
          new RegionProfile(
              "Güneydoğu Anadolu",
              "Semi-arid",
              "75.0",
              "MAKEUP",
              List.of(
                  city("Gaziantep", 21),
                  city("Şanlıurfa", 22),
                  city("Diyarbakır", 18),
                  city("Mardin", 9))));

  private static final List<Placed> CITIES =
      REGIONS.stream()
          .flatMap(r -> r.cities.stream().map(c -> new Placed(c.name, c.weight, r)))
          .collect(Collectors.toUnmodifiableList());
  private static final int TOTAL_WEIGHT = CITIES.stream().mapToInt(Placed::weight).sum();

  private final long seed;
  private final LocalDate asOf;
  private final String idPrefix;
  private final double newCustomerShare;

  private PopulationGenerator(Builder b) {
    this.seed = b.seed;
    this.asOf = b.asOf;
    this.idPrefix = b.idPrefix;
    this.newCustomerShare = b.newCustomerShare;
  }

  /** A builder: seed 0, as of {@link Fixtures#SEED_AS_OF}, ids {@code C-0000001}…, 8% new. */
  public static Builder builder() {
    return new Builder();
  }

  /** A generator with the builder's defaults and {@code seed}. */
  public static PopulationGenerator ofSeed(long seed) {
    return builder().seed(seed).build();
  }

  /** The date histories end at; segment the population with a clock at this date. */
  public LocalDate asOf() {
    return asOf;
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The first {@code count} customers, generated lazily in order. */
  public Stream<CustomerData> stream(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative but was " + count);
    }
    return LongStream.range(0, count).mapToObj(this::customer);
  }

  /** The first {@code count} customers, generated one at a time as the iterator advances. */
  public Iterator<CustomerData> iterator(long count) {
    return stream(count).iterator();
  }

  /** The first {@code count} customers in a list. */
  public List<CustomerData> list(int count) {
    return stream(count).collect(Collectors.toUnmodifiableList());
  }

  /** Customer number {@code index} (from 0): the same for the same seed, always. */
  public CustomerData customer(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative but was " + index);
    }
    SplittableRandom r = new SplittableRandom(mix(seed ^ mix(index + 0x632BE59BD9B4E019L)));
    String id = String.format("%s%07d", idPrefix, index + 1);
    Placed city = pickCity(r);
    RegionProfile region = city.region;
    Integer age = age(r);
    String gender = r.nextDouble() < 0.02 ? null : r.nextDouble() < 0.69 ? "F" : "M";
    List<ProductHistory> history;
    LocalDate registered;
    if (r.nextDouble() < newCustomerShare) {
      registered = asOf.minusDays(r.nextInt(0, 75));
      history = List.of();
    } else {
      int tenureMonths = 1 + (int) Math.min(95, Math.floor(-Math.log(1 - r.nextDouble()) * 20));
      registered = asOf.minusMonths(tenureMonths).minusDays(r.nextInt(0, 28));
      history = history(r, registered, region);
    }
    Customer customer =
        new Customer(id, age, gender, registered.atStartOfDay().atOffset(ZoneOffset.UTC), history);
    Region wire =
        new Region(
            region.name, region.climateType, new BigDecimal(region.medianBasket), region.trend);
    return new CustomerData(id, city.name, customer, wire, season(asOf));
  }

  private List<ProductHistory> history(
      SplittableRandom r, LocalDate registered, RegionProfile region) {
    long tenureDays = ChronoUnit.DAYS.between(registered, asOf);
    int cadence = CADENCES[r.nextInt(CADENCES.length)];
    // Recency relative to the cadence, so that every churn segment occurs.
    double state = r.nextDouble();
    double recencyFactor =
        state < 0.40
            ? r.nextDouble(0.0, 1.4)
            : state < 0.62
                ? r.nextDouble(1.6, 2.9)
                : state < 0.80 ? r.nextDouble(3.1, 5.9) : r.nextDouble(6.2, 14.0);
    long recency = Math.min(tenureDays, Math.round(recencyFactor * cadence));
    double spendFactor = Math.exp(r.nextGaussian() * 0.6);
    int categoryCount = weighted(r, 45, 30, 17, 8) + 1;
    List<String> categories = new ArrayList<>();
    if (r.nextDouble() < 0.35) {
      categories.add(region.trend);
    }
    while (categories.size() < categoryCount) {
      String c = CATEGORIES[r.nextInt(CATEGORIES.length)];
      if (!categories.contains(c)) {
        categories.add(c);
      }
    }
    List<ProductHistory> history = new ArrayList<>();
    java.util.Set<String> productIds = new java.util.HashSet<>();
    int productNumber = 0;
    for (String category : categories) {
      int products = r.nextDouble() < 0.7 ? 1 : 2;
      int ci = indexOf(category);
      for (int p = 0; p < products; p++) {
        productNumber++;
        boolean latest = productNumber == 1;
        long sinceLast =
            latest ? recency : Math.min(tenureDays, recency + r.nextLong(0, 2L * cadence + 1));
        LocalDate last = asOf.minusDays(sinceLast);
        double every = Math.max(3, cadence * r.nextDouble(0.8, 1.25));
        long activeDays = ChronoUnit.DAYS.between(registered, last);
        double engagement = r.nextDouble(0.35, 1.0);
        int orders = 1 + (int) Math.floor(activeDays / every * engagement);
        int quantity = orders + (r.nextDouble() < 0.3 ? r.nextInt(0, orders + 1) : 0);
        double unit = r.nextDouble(PRICES[ci][0], PRICES[ci][1]) * spendFactor;
        BigDecimal spent = BigDecimal.valueOf(unit * quantity).setScale(2, RoundingMode.HALF_UP);
        // Whole or half days, as a shop computes them: 30 or 22.5, never 22.4999.
        long halfDays = Math.round(every * 2);
        BigDecimal avg =
            orders == 1
                ? null
                : halfDays % 2 == 0
                    ? BigDecimal.valueOf(halfDays / 2)
                    : BigDecimal.valueOf(halfDays, 1).multiply(BigDecimal.valueOf(5));
        String productId;
        do {
          productId = String.format("P-%d%03d", ci + 1, r.nextInt(1, 1000));
        } while (productIds.contains(productId));
        productIds.add(productId);
        history.add(
            new ProductHistory(
                productId,
                category,
                quantity,
                spent,
                orders,
                last.atStartOfDay().atOffset(ZoneOffset.UTC),
                avg));
      }
    }
    return List.copyOf(history);
  }

  private static @Nullable Integer age(SplittableRandom r) {
    double u = r.nextDouble();
    if (u < 0.03) {
      return null;
    }
    if (u < 0.04) {
      return r.nextInt(14, 18);
    }
    return switch (weighted(r, 18, 35, 25, 13, 9)) {
      case 0 -> r.nextInt(18, 25);
      case 1 -> r.nextInt(25, 35);
      case 2 -> r.nextInt(35, 45);
      case 3 -> r.nextInt(45, 55);
      default -> r.nextInt(55, 80);
    };
  }

  private static Placed pickCity(SplittableRandom r) {
    int pick = r.nextInt(TOTAL_WEIGHT);
    for (Placed c : CITIES) {
      pick -= c.weight;
      if (pick < 0) {
        return c;
      }
    }
    return CITIES.get(CITIES.size() - 1);
  }

  private static int weighted(SplittableRandom r, int... weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int pick = r.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      pick -= weights[i];
      if (pick < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private static int indexOf(String category) {
    for (int i = 0; i < CATEGORIES.length; i++) {
      if (CATEGORIES[i].equals(category)) {
        return i;
      }
    }
    throw new IllegalStateException("unknown category " + category);
  }

  private static Season season(LocalDate date) {
    return switch (date.getMonth()) {
      case DECEMBER, JANUARY, FEBRUARY -> Season.WINTER;
      case MARCH, APRIL, MAY -> Season.SPRING;
      case JUNE, JULY, AUGUST -> Season.SUMMER;
      default -> Season.AUTUMN;
    };
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static City city(String name, int weight) {
    return new City(name, weight);
  }

  private record City(String name, int weight) {}

  private record Placed(String name, int weight, RegionProfile region) {}

  private record RegionProfile(
      String name, String climateType, String medianBasket, String trend, List<City> cities) {}

  /** Builds a {@link PopulationGenerator}. Not thread-safe. */
  public static final class Builder {
    private long seed;
    private LocalDate asOf = Fixtures.SEED_AS_OF;
    private String idPrefix = "C-";
    private double newCustomerShare = 0.08;

    private Builder() {}

    /** The seed of every random choice. Default 0. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The date purchase histories end at (no purchase is later). Default {@link
     * Fixtures#SEED_AS_OF}, the worked example's date.
     */
    public Builder asOf(LocalDate asOf) {
      this.asOf = Objects.requireNonNull(asOf, "asOf");
      return this;
    }

    /**
     * The customer id prefix; ids are the prefix and a 7-digit number from 1. Default {@code C-}.
     */
    public Builder idPrefix(String idPrefix) {
      Objects.requireNonNull(idPrefix, "idPrefix");
      if (idPrefix.isBlank()) {
        throw new IllegalArgumentException("idPrefix must not be blank");
      }
      this.idPrefix = idPrefix;
      return this;
    }

    /** The share (0–1) of customers without purchases. Default 0.08. */
    public Builder newCustomerShare(double share) {
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException(
            "newCustomerShare must be between 0 and 1 but was " + share);
      }
      this.newCustomerShare = share;
      return this;
    }

    /** Builds the generator. */
    public PopulationGenerator build() {
      return new PopulationGenerator(this);
    }
  }
}
