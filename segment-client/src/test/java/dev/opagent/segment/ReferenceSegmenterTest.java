package dev.opagent.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceSegmenterTest {
  private static final LocalDate AS_OF = LocalDate.of(2026, 3, 15);
  private static final ReferenceSegmenter SEGMENTER = at(AS_OF);

  private static final String SEED_NEW_CUSTOMER =
      """
      {"customerData": {
        "customerId": "C-TEST-001",
        "city": "Istanbul",
        "customer": {
          "customerId": "C-TEST-001",
          "age": 28,
          "gender": "F",
          "registeredAt": "2026-01-15T00:00:00",
          "productHistory": []
        },
        "region": {
          "name": "Marmara",
          "climateType": "Temperate",
          "medianBasket": 250.0,
          "trend": "Skincare"
        },
        "currentSeason": "Winter"
      }}""";

  private static final String SEED_ACTIVE_CUSTOMER =
      """
      {"customerData": {
        "customerId": "C-1001",
        "city": "Istanbul",
        "customer": {
          "customerId": "C-1001",
          "age": 32,
          "gender": "F",
          "registeredAt": "2024-03-15T00:00:00",
          "productHistory": [
            {
              "productId": "P-2001",
              "category": "SKINCARE",
              "totalQuantity": 8,
              "totalSpent": 479.20,
              "orderCount": 8,
              "lastPurchase": "2026-01-20T00:00:00",
              "avgDaysBetween": 30
            }
          ]
        },
        "region": {
          "name": "Marmara",
          "climateType": "Temperate",
          "medianBasket": 75.0,
          "trend": "SKINCARE"
        },
        "currentSeason": "Winter"
      }}""";

  @Test
  void analyze_workedExampleC1001_matchesDesign() {
    SegmentAnalysis analysis = SEGMENTER.analyze(CustomerData.fromJson(SEED_ACTIVE_CUSTOMER));

    assertThat(analysis.churnSegment()).isEqualTo(ChurnSegment.WARM);
    assertThat(analysis.churnSegment().wireValue()).isEqualTo("Ilık");
    assertThat(analysis.valueSegment()).isEqualTo(ValueSegment.LOW_VALUE);
    assertThat(analysis.loyaltyTier()).isEqualTo(LoyaltyTier.SILVER);
    assertThat(analysis.loyaltyTier().wireValue()).isEqualTo("Gümüş");
    assertThat(analysis.diversityProfile()).isEqualTo(DiversityProfile.FOCUSED);
    assertThat(analysis.diversityProfile().wireValue()).isEqualTo("Sadık");
    assertThat(analysis.affinityType()).isEqualTo(AffinityType.TREND_FOLLOWER);
    assertThat(analysis.ageSegment()).isEqualTo(AgeSegment.AGE_25_34);
    assertThat(analysis.missingRegulars())
        .containsExactly(
            new MissingRegular(
                "P-2001",
                "SKINCARE",
                new BigDecimal("30"),
                54,
                24,
                OffsetDateTime.of(2026, 1, 20, 0, 0, 0, 0, ZoneOffset.UTC)));
    assertThat(analysis.extra()).isEmpty();
  }

  @Test
  void analyze_workedExampleC1001_writesTheAgentsWireJson() throws Exception {
    SegmentAnalysis analysis = SEGMENTER.analyze(CustomerData.fromJson(SEED_ACTIVE_CUSTOMER));

    assertThat(dev.opagent.segment.internal.wire.Json.MAPPER.readTree(analysis.toJson()))
        .isEqualTo(
            dev.opagent.segment.internal.wire.Json.MAPPER.readTree(
                """
            {"ageSegment": "25-34", "churnSegment": "Ilık", "valueSegment": "LowValue",
             "loyaltyTier": "Gümüş", "affinityType": "TrendFollower", "diversityProfile": "Sadık",
             "missingRegulars": [{"productId": "P-2001", "category": "SKINCARE",
               "expectedEveryDays": 30, "daysSinceLastPurchase": 54, "daysOverdue": 24,
               "lastPurchase": "2026-01-20T00:00:00"}]}"""));
  }

  @Test
  void analyze_seedNewCustomerWithoutHistory_isNewEverywhere() {
    SegmentAnalysis analysis = SEGMENTER.analyze(CustomerData.fromJson(SEED_NEW_CUSTOMER));

    assertThat(analysis)
        .isEqualTo(
            new SegmentAnalysis(
                AgeSegment.AGE_25_34,
                ChurnSegment.NEW,
                ValueSegment.NEW,
                LoyaltyTier.BRONZE,
                AffinityType.NONE,
                DiversityProfile.NEW,
                List.of()));
  }

  @Test
  void analyze_customerDataWithoutCustomerOrRegion_isNewAndUnknownAge() {
    SegmentAnalysis analysis = SEGMENTER.analyze(new CustomerData("C-1", null, null, null, null));

    assertThat(analysis)
        .isEqualTo(
            new SegmentAnalysis(
                AgeSegment.UNKNOWN,
                ChurnSegment.NEW,
                ValueSegment.NEW,
                LoyaltyTier.BRONZE,
                AffinityType.NONE,
                DiversityProfile.NEW,
                List.of()));
  }

  @Test
  void analyze_invalidData_throwsInvalidInputNamingTheField() {
    CustomerData invalid = data(customer(200, "2024-01-01", List.of()), region("75", "X"));

    assertThatThrownBy(() -> SEGMENTER.analyze(invalid))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("customerData.customer.age");
  }

  @Test
  void analyze_sameInputTwice_givesEqualResults() {
    CustomerData data = CustomerData.fromJson(SEED_ACTIVE_CUSTOMER);

    assertThat(SEGMENTER.analyze(data)).isEqualTo(SEGMENTER.analyze(data));
  }

  @Test
  void analyze_clockMoves_resultFollowsTheClock() {
    CustomerData data = CustomerData.fromJson(SEED_ACTIVE_CUSTOMER);

    assertThat(at(LocalDate.of(2026, 2, 1)).analyze(data).churnSegment())
        .isEqualTo(ChurnSegment.ACTIVE);
    assertThat(at(LocalDate.of(2026, 6, 1)).analyze(data).churnSegment())
        .isEqualTo(ChurnSegment.AT_RISK);
    assertThat(at(LocalDate.of(2027, 1, 1)).analyze(data).churnSegment())
        .isEqualTo(ChurnSegment.LOST);
  }

  @Test
  void analyze_clockZone_countsDaysInTheClocksZone() {
    // 2026-03-14T22:00Z is already 2026-03-15 in Istanbul (UTC+3); in UTC it is still the 14th.
    Instant instant = Instant.parse("2026-03-14T22:00:00Z");
    CustomerData data = CustomerData.fromJson(SEED_ACTIVE_CUSTOMER);

    MissingRegular inIstanbul =
        new ReferenceSegmenter(Clock.fixed(instant, ZoneId.of("Europe/Istanbul")))
            .analyze(data)
            .missingRegulars()
            .get(0);
    MissingRegular inUtc =
        new ReferenceSegmenter(Clock.fixed(instant, ZoneOffset.UTC))
            .analyze(data)
            .missingRegulars()
            .get(0);

    assertThat(inIstanbul.daysSinceLastPurchase()).isEqualTo(54);
    assertThat(inIstanbul.daysOverdue()).isEqualTo(24);
    assertThat(inUtc.daysSinceLastPurchase()).isEqualTo(53);
    assertThat(inUtc.daysOverdue()).isEqualTo(23);
  }

  @Test
  void constructor_nullClock_throws() {
    assertThatThrownBy(() -> new ReferenceSegmenter(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("clock");
  }

  @Nested
  class Churn {
    @ParameterizedTest(name = "{0} days since last purchase at cadence {1} -> {2}")
    @CsvSource({
      "0, 30, Aktif",
      "45, 30, Aktif",
      "46, 30, Ilık",
      "90, 30, Ilık",
      "91, 30, Riskli",
      "180, 30, Riskli",
      "181, 30, Kayıp",
      "10, 7, Aktif",
      "11, 7, Ilık",
      "16, 10.5, Ilık",
      "15, 10.5, Aktif",
    })
    void analyze_recencyAgainstCadence_boundariesAreInclusive(
        int days, String cadence, String expected) {
      ProductHistory p = product("P-1", "SKINCARE", 1, "10", AS_OF.minusDays(days), cadence);

      assertThat(analyze(p).churnSegment()).isEqualTo(ChurnSegment.of(expected));
    }

    @Test
    void analyze_cadenceIsTheMedianOverProducts() {
      // cadences 10, 20, 90: median 20 → 50 days is Ilık (≤ 60); the mean (40) would say Aktif.
      SegmentAnalysis analysis =
          analyze(
              product("P-1", "A", 1, "10", AS_OF.minusDays(50), "10"),
              product("P-2", "A", 1, "10", AS_OF.minusDays(80), "20"),
              product("P-3", "A", 1, "10", AS_OF.minusDays(90), "90"));

      assertThat(analysis.churnSegment()).isEqualTo(ChurnSegment.WARM);
    }

    @Test
    void analyze_evenNumberOfCadences_medianIsTheMeanOfTheMiddleTwo() {
      assertThat(
              ReferenceSegmenter.cadence(
                  List.of(
                      product("P-1", "A", 1, "1", AS_OF, "10"),
                      product("P-2", "A", 1, "1", AS_OF, "15"),
                      product("P-3", "A", 1, "1", AS_OF, "21"),
                      product("P-4", "A", 1, "1", AS_OF, "100"))))
          .isEqualByComparingTo("18");
    }

    @Test
    void analyze_noCadenceKnown_assumes30Days() {
      ProductHistory p = product("P-1", "A", 1, "10", AS_OF.minusDays(45), null);
      ProductHistory q = product("P-1", "A", 1, "10", AS_OF.minusDays(46), null);

      assertThat(analyze(p).churnSegment()).isEqualTo(ChurnSegment.ACTIVE);
      assertThat(analyze(q).churnSegment()).isEqualTo(ChurnSegment.WARM);
    }

    @Test
    void analyze_recencyCountsFromTheLatestPurchase() {
      SegmentAnalysis analysis =
          analyze(
              product("P-1", "A", 1, "10", AS_OF.minusDays(400), "30"),
              product("P-2", "A", 1, "10", AS_OF.minusDays(3), "30"));

      assertThat(analysis.churnSegment()).isEqualTo(ChurnSegment.ACTIVE);
    }

    @Test
    void analyze_noPurchaseIsDated_countsFromRegistration() {
      ProductHistory undated =
          new ProductHistory("P-1", "A", 2, new BigDecimal("10"), 2, null, new BigDecimal("30"));

      assertThat(
              SEGMENTER
                  .analyze(data(customer(30, "2026-02-20", List.of(undated)), region("75", "A")))
                  .churnSegment())
          .isEqualTo(ChurnSegment.ACTIVE);
      assertThat(
              SEGMENTER
                  .analyze(data(customer(30, null, List.of(undated)), region("75", "A")))
                  .churnSegment())
          .isEqualTo(ChurnSegment.LOST);
    }

    @Test
    void analyze_entriesWithZeroOrders_areNotPurchases() {
      ProductHistory never =
          new ProductHistory(
              "P-1",
              "A",
              0,
              BigDecimal.ZERO,
              0,
              OffsetDateTime.of(2026, 3, 1, 0, 0, 0, 0, ZoneOffset.UTC),
              null);

      assertThat(analyze(never).churnSegment()).isEqualTo(ChurnSegment.NEW);
      assertThat(analyze(never).diversityProfile()).isEqualTo(DiversityProfile.NEW);
    }

    @Test
    void analyze_purchaseDatedAfterAsOf_countsAsToday() {
      ProductHistory future = product("P-1", "A", 1, "10", AS_OF.plusDays(5), "30");

      assertThat(analyze(future).churnSegment()).isEqualTo(ChurnSegment.ACTIVE);
    }
  }

  @Nested
  class Value {
    @ParameterizedTest(name = "spent {0} over {1} months at median basket {2} -> {3}")
    @CsvSource({
      // monthly spend = spent / max(1, months); 2·median → High; 0.75·median → Medium
      "150.00, 1, 75, HighValue",
      "149.99, 1, 75, MediumValue",
      "56.25, 1, 75, MediumValue",
      "56.24, 1, 75, LowValue",
      "0.01, 1, 75, LowValue",
      "0, 1, 75, LowValue",
      "3600, 24, 75, HighValue",
      "3599.99, 24, 75, MediumValue",
      "1350, 24, 75, MediumValue",
      "1349.99, 24, 75, LowValue",
      "150, 0, 75, HighValue",
    })
    void analyze_monthlySpendAgainstMedianBasket(
        String spent, int months, String median, String expected) {
      CustomerData data =
          data(
              customer(
                  30,
                  AS_OF.minusMonths(months).toString(),
                  List.of(product("P-1", "A", 1, spent, AS_OF, "30"))),
              region(median, "B"));

      assertThat(SEGMENTER.analyze(data).valueSegment()).isEqualTo(ValueSegment.of(expected));
    }

    @Test
    void analyze_tenureCountsWholeMonths() {
      // registered 2025-12-16: 2 whole months to 2026-03-15, so 300 / 2 = 150 = 2·75 → High
      CustomerData data =
          data(
              customer(30, "2025-12-16", List.of(product("P-1", "A", 1, "300", AS_OF, "30"))),
              region("75", "B"));
      CustomerData oneDayEarlier =
          data(
              customer(30, "2025-12-15", List.of(product("P-1", "A", 1, "300", AS_OF, "30"))),
              region("75", "B"));

      assertThat(SEGMENTER.analyze(data).valueSegment()).isEqualTo(ValueSegment.HIGH_VALUE);
      assertThat(SEGMENTER.analyze(oneDayEarlier).valueSegment())
          .isEqualTo(ValueSegment.MEDIUM_VALUE);
    }

    @Test
    void analyze_spendSumsOverProducts() {
      CustomerData data =
          data(
              customer(
                  30,
                  AS_OF.minusMonths(1).toString(),
                  List.of(
                      product("P-1", "A", 1, "100", AS_OF, "30"),
                      product("P-2", "B", 1, "50", AS_OF, "30"))),
              region("75", "C"));

      assertThat(SEGMENTER.analyze(data).valueSegment()).isEqualTo(ValueSegment.HIGH_VALUE);
    }

    @Test
    void analyze_unknownRegistration_tenureFromTheEarliestImpliedOrder() {
      // 5 orders every 30 days, last 2026-03-15 → first order 120 days earlier (2025-11-15)
      // → 4 whole months, so 600 / 4 = 150 = 2·75
      CustomerData data =
          data(
              customer(30, null, List.of(product("P-1", "A", 5, "600", AS_OF, "30"))),
              region("75", "C"));

      assertThat(SEGMENTER.analyze(data).valueSegment()).isEqualTo(ValueSegment.HIGH_VALUE);
      CustomerData lessSpend =
          data(
              customer(30, null, List.of(product("P-1", "A", 5, "599.99", AS_OF, "30"))),
              region("75", "C"));
      assertThat(SEGMENTER.analyze(lessSpend).valueSegment()).isEqualTo(ValueSegment.MEDIUM_VALUE);
    }

    @Test
    void analyze_unknownOrZeroMedianBasket_isMediumValue() {
      List<ProductHistory> history = List.of(product("P-1", "A", 1, "10", AS_OF, "30"));

      assertThat(SEGMENTER.analyze(data(customer(30, "2025-01-01", history), null)).valueSegment())
          .isEqualTo(ValueSegment.MEDIUM_VALUE);
      assertThat(
              SEGMENTER
                  .analyze(data(customer(30, "2025-01-01", history), region("0", "A")))
                  .valueSegment())
          .isEqualTo(ValueSegment.MEDIUM_VALUE);
    }

    @Test
    void analyze_noPurchases_isNew() {
      assertThat(
              SEGMENTER
                  .analyze(data(customer(30, "2020-01-01", List.of()), region("75", "A")))
                  .valueSegment())
          .isEqualTo(ValueSegment.NEW);
    }
  }

  @Nested
  class Loyalty {
    @ParameterizedTest(name = "{0} orders, {1} months -> {2}")
    @CsvSource({
      "24, 12, Platin",
      "24, 11, Altın",
      "23, 12, Altın",
      "12, 0, Altın",
      "11, 36, Gümüş",
      "4, 1, Gümüş",
      "3, 60, Bronz",
      "1, 1, Bronz",
    })
    void analyze_ordersAndTenure(int orders, int months, String expected) {
      CustomerData data =
          data(
              customer(
                  30,
                  AS_OF.minusMonths(months).toString(),
                  List.of(product("P-1", "A", orders, "10", AS_OF, "30"))),
              region("75", "A"));

      assertThat(SEGMENTER.analyze(data).loyaltyTier()).isEqualTo(LoyaltyTier.of(expected));
    }

    @Test
    void analyze_ordersSumOverProducts() {
      CustomerData data =
          data(
              customer(
                  30,
                  "2020-01-01",
                  List.of(
                      product("P-1", "A", 10, "10", AS_OF, "30"),
                      product("P-2", "B", 14, "10", AS_OF, "30"))),
              region("75", "A"));

      assertThat(SEGMENTER.analyze(data).loyaltyTier()).isEqualTo(LoyaltyTier.PLATINUM);
    }

    @Test
    void analyze_noPurchases_isBronze() {
      assertThat(
              SEGMENTER
                  .analyze(data(customer(30, "2020-01-01", List.of()), region("75", "A")))
                  .loyaltyTier())
          .isEqualTo(LoyaltyTier.BRONZE);
    }
  }

  @Nested
  class DiversityAndAffinity {
    @ParameterizedTest(name = "categories {0} -> {1}")
    @CsvSource({
      "'', Yeni",
      "A, Sadık",
      "A A, Sadık",
      "A a, Sadık",
      "A B, Dengeli",
      "A B C, Kaşif",
      "A B C D, Kaşif",
    })
    void analyze_distinctCategories(String categories, String expected) {
      List<ProductHistory> history = new ArrayList<>();
      String[] names = categories.isBlank() ? new String[0] : categories.split(" ");
      for (int i = 0; i < names.length; i++) {
        history.add(product("P-" + i, names[i], 1, "10", AS_OF, "30"));
      }

      assertThat(analyze(history.toArray(ProductHistory[]::new)).diversityProfile())
          .isEqualTo(DiversityProfile.of(expected));
    }

    @Test
    void analyze_missingCategory_countsAsACategoryOfItsOwn() {
      SegmentAnalysis analysis =
          analyze(
              product("P-1", null, 1, "10", AS_OF, "30"),
              product("P-2", "A", 1, "10", AS_OF, "30"));

      assertThat(analysis.diversityProfile()).isEqualTo(DiversityProfile.BALANCED);
    }

    @ParameterizedTest(name = "spend {0} with trend {1} -> {2}")
    @CsvSource({
      // spend per category as CATEGORY=amount; region trend; expected affinity
      "SKINCARE=10, SKINCARE, TrendFollower",
      "Skincare=10, sKiNcArE, TrendFollower",
      "SKINCARE=40 MAKEUP=60, SKINCARE, CategoryFocused",
      "SKINCARE=60 MAKEUP=40, SKINCARE, TrendFollower",
      "SKINCARE=59 MAKEUP=41, HAIRCARE, Mixed",
      "SKINCARE=60 MAKEUP=40, HAIRCARE, CategoryFocused",
      "SKINCARE=30 MAKEUP=30 HAIRCARE=40, HAIRCARE, TrendFollower",
      "SKINCARE=30 MAKEUP=30 HAIRCARE=40, PERFUME, Mixed",
      "SKINCARE=10, PERFUME, CategoryFocused",
    })
    void analyze_topCategoryBySpend(String spend, String trend, String expected) {
      ProductHistory[] history =
          Arrays.stream(spend.split(" "))
              .map(s -> s.split("="))
              .map(kv -> product("P-" + kv[0], kv[0], 1, kv[1], AS_OF, "30"))
              .toArray(ProductHistory[]::new);
      CustomerData data = data(customer(30, "2025-01-01", List.of(history)), region("75", trend));

      assertThat(SEGMENTER.analyze(data).affinityType()).isEqualTo(AffinityType.of(expected));
    }

    @Test
    void analyze_tiedTopCategories_choosesAlphabeticallyWhateverTheOrder() {
      List<ProductHistory> ab =
          List.of(
              product("P-1", "A", 1, "50", AS_OF, "30"), product("P-2", "B", 1, "50", AS_OF, "30"));
      List<ProductHistory> ba = List.of(ab.get(1), ab.get(0));

      assertThat(
              SEGMENTER
                  .analyze(data(customer(30, "2025-01-01", ab), region("75", "A")))
                  .affinityType())
          .isEqualTo(AffinityType.TREND_FOLLOWER);
      assertThat(
              SEGMENTER
                  .analyze(data(customer(30, "2025-01-01", ba), region("75", "A")))
                  .affinityType())
          .isEqualTo(AffinityType.TREND_FOLLOWER);
      assertThat(
              SEGMENTER
                  .analyze(data(customer(30, "2025-01-01", ba), region("75", "B")))
                  .affinityType())
          .isEqualTo(AffinityType.MIXED);
    }

    @Test
    void analyze_nothingSpent_weighsCategoriesByOrders() {
      SegmentAnalysis analysis =
          SEGMENTER.analyze(
              data(
                  customer(
                      30,
                      "2025-01-01",
                      List.of(
                          product("P-1", "A", 7, "0", AS_OF, "30"),
                          product("P-2", "B", 3, "0", AS_OF, "30"))),
                  region("75", "C")));

      assertThat(analysis.affinityType()).isEqualTo(AffinityType.CATEGORY_FOCUSED);
    }

    @Test
    void analyze_noPurchases_affinityNone() {
      assertThat(analyze().affinityType()).isEqualTo(AffinityType.NONE);
    }
  }

  @Nested
  class Age {
    @ParameterizedTest(name = "age {0} -> {1}")
    @CsvSource({
      "0, Unknown", "17, Unknown", "18, 18-24", "24, 18-24", "25, 25-34", "34, 25-34",
      "35, 35-44", "44, 35-44", "45, 45-54", "54, 45-54", "55, 55+", "130, 55+",
    })
    void analyze_ageBands(int age, String expected) {
      CustomerData data = data(customer(age, "2025-01-01", List.of()), region("75", "A"));

      assertThat(SEGMENTER.analyze(data).ageSegment()).isEqualTo(AgeSegment.of(expected));
    }

    @Test
    void analyze_unknownAge_isUnknown() {
      CustomerData data = data(customer(null, "2025-01-01", List.of()), region("75", "A"));

      assertThat(SEGMENTER.analyze(data).ageSegment()).isEqualTo(AgeSegment.UNKNOWN);
    }
  }

  @Nested
  class MissingRegulars {
    @ParameterizedTest(name = "{0} orders every {1} days, last {2} days ago -> overdue {3}")
    @CsvSource({
      "3, 30, 46, 16",
      "3, 30, 45, -1",
      "2, 30, 90, -1",
      "8, 30, 54, 24",
      "5, 7, 11, 4",
      "5, 7, 10, -1",
      "4, 10.5, 16, 5",
      "4, 10.5, 15, -1",
    })
    void analyze_regularProductOverdue(int orders, String every, int daysAgo, int overdue) {
      SegmentAnalysis analysis =
          analyze(product("P-9", "HAIRCARE", orders, "10", AS_OF.minusDays(daysAgo), every));

      if (overdue < 0) {
        assertThat(analysis.missingRegulars()).isEmpty();
        assertThat(analysis.hasMissingRegulars()).isFalse();
      } else {
        assertThat(analysis.missingRegulars())
            .singleElement()
            .satisfies(
                m -> {
                  assertThat(m.productId()).isEqualTo("P-9");
                  assertThat(m.category()).isEqualTo("HAIRCARE");
                  assertThat(m.expectedEveryDays()).isEqualByComparingTo(every);
                  assertThat(m.daysSinceLastPurchase()).isEqualTo(daysAgo);
                  assertThat(m.daysOverdue()).isEqualTo(overdue);
                  assertThat(m.lastPurchase())
                      .isEqualTo(AS_OF.minusDays(daysAgo).atStartOfDay().atOffset(ZoneOffset.UTC));
                });
      }
    }

    @Test
    void analyze_productWithoutCadence_isNeverMissing() {
      assertThat(
              analyze(product("P-1", "A", 10, "10", AS_OF.minusDays(400), null)).missingRegulars())
          .isEmpty();
    }

    @Test
    void analyze_severalMissing_mostOverdueFirst() {
      SegmentAnalysis analysis =
          analyze(
              product("P-1", "A", 3, "10", AS_OF.minusDays(50), "30"),
              product("P-2", "A", 3, "10", AS_OF.minusDays(90), "30"),
              product("P-3", "B", 3, "10", AS_OF.minusDays(5), "30"),
              product("P-0", "B", 3, "10", AS_OF.minusDays(50), "30"));

      assertThat(analysis.missingRegulars())
          .extracting(MissingRegular::productId)
          .containsExactly("P-2", "P-0", "P-1");
    }
  }

  private static ReferenceSegmenter at(LocalDate day) {
    return new ReferenceSegmenter(
        Clock.fixed(day.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
  }

  private static SegmentAnalysis analyze(ProductHistory... history) {
    return SEGMENTER.analyze(data(customer(30, "2025-01-01", List.of(history)), region("75", "Z")));
  }

  private static ProductHistory product(
      String id, String category, int orders, String spent, LocalDate last, String every) {
    return new ProductHistory(
        id,
        category,
        orders,
        new BigDecimal(spent),
        orders,
        last.atStartOfDay().atOffset(ZoneOffset.UTC),
        every == null ? null : new BigDecimal(every));
  }

  private static Customer customer(Integer age, String registered, List<ProductHistory> history) {
    return new Customer(
        "C-1",
        age,
        "F",
        registered == null
            ? null
            : LocalDate.parse(registered).atStartOfDay().atOffset(ZoneOffset.UTC),
        history);
  }

  private static Region region(String median, String trend) {
    return new Region("Marmara", "Temperate", new BigDecimal(median), trend);
  }

  private static CustomerData data(Customer customer, Region region) {
    return new CustomerData("C-1", "Istanbul", customer, region, Season.WINTER);
  }
}
