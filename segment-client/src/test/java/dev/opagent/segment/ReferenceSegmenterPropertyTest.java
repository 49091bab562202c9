package dev.opagent.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.internal.wire.Json;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ReferenceSegmenterPropertyTest {
  private static final LocalDate AS_OF = LocalDate.of(2026, 3, 15);
  private static final ReferenceSegmenter SEGMENTER =
      new ReferenceSegmenter(
          Clock.fixed(AS_OF.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));

  @Property(tries = 2000)
  void analyze_anyValidCustomer_givesACompleteAnalysisOfKnownLabels(
      @ForAll("validCustomers") CustomerData data) {
    assertThat(CustomerDataValidator.problems(data)).isEmpty();

    SegmentAnalysis a = SEGMENTER.analyze(data);

    assertThat(
            List.of(
                a.ageSegment(),
                a.churnSegment(),
                a.valueSegment(),
                a.loyaltyTier(),
                a.affinityType(),
                a.diversityProfile()))
        .allSatisfy(label -> assertThat(label.isKnown()).isTrue());
    assertThat(a.extra()).isEmpty();
  }

  @Property(tries = 1000)
  void analyze_anyValidCustomer_missingRegularsAreCompleteAndOverdue(
      @ForAll("validCustomers") CustomerData data) {
    SegmentAnalysis a = SEGMENTER.analyze(data);
    Set<String> regulars =
        data.customer() == null
            ? Set.of()
            : data.customer().productHistory().stream()
                .filter(p -> p.orderCount() != null && p.orderCount() >= 3)
                .map(ProductHistory::productId)
                .collect(Collectors.toSet());

    assertThat(a.missingRegulars())
        .allSatisfy(
            m -> {
              assertThat(m.productId()).isIn(regulars);
              assertThat(m.expectedEveryDays()).isPositive();
              assertThat(m.lastPurchase()).isNotNull();
              assertThat(BigDecimal.valueOf(m.daysSinceLastPurchase()))
                  .isGreaterThan(m.expectedEveryDays().multiply(new BigDecimal("1.5")));
              assertThat(m.daysOverdue())
                  .isNotNegative()
                  .isEqualTo(
                      BigDecimal.valueOf(m.daysSinceLastPurchase())
                          .subtract(m.expectedEveryDays())
                          .setScale(0, java.math.RoundingMode.FLOOR)
                          .intValueExact());
            });
    assertThat(a.missingRegulars())
        .extracting(MissingRegular::daysOverdue)
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }

  @Property(tries = 1000)
  void analyze_noPurchases_iffEveryPurchaseDimensionSaysNew(
      @ForAll("validCustomers") CustomerData data) {
    SegmentAnalysis a = SEGMENTER.analyze(data);
    boolean bought =
        data.customer() != null
            && data.customer().productHistory().stream().anyMatch(ReferenceSegmenter::isPurchase);

    assertThat(a.churnSegment().equals(ChurnSegment.NEW)).isEqualTo(!bought);
    assertThat(a.valueSegment().equals(ValueSegment.NEW)).isEqualTo(!bought);
    assertThat(a.diversityProfile().equals(DiversityProfile.NEW)).isEqualTo(!bought);
    assertThat(a.affinityType().equals(AffinityType.NONE)).isEqualTo(!bought);
    if (!bought) {
      assertThat(a.loyaltyTier()).isEqualTo(LoyaltyTier.BRONZE);
      assertThat(a.missingRegulars()).isEmpty();
    }
  }

  @Property(tries = 500)
  void analyze_isDeterministicAndIndependentOfHistoryOrder(
      @ForAll("validCustomers") CustomerData data) {
    SegmentAnalysis a = SEGMENTER.analyze(data);
    assertThat(SEGMENTER.analyze(data)).isEqualTo(a);
    if (data.customer() != null) {
      List<ProductHistory> reversed = new java.util.ArrayList<>(data.customer().productHistory());
      java.util.Collections.reverse(reversed);
      Customer c = data.customer();
      CustomerData flipped =
          new CustomerData(
              data.customerId(),
              data.city(),
              new Customer(c.customerId(), c.age(), c.gender(), c.registeredAt(), reversed),
              data.region(),
              data.currentSeason());

      assertThat(SEGMENTER.analyze(flipped)).isEqualTo(a);
    }
  }

  @Property(tries = 500)
  void analyze_resultSurvivesTheWire(@ForAll("validCustomers") CustomerData data) throws Exception {
    SegmentAnalysis a = SEGMENTER.analyze(data);

    SegmentAnalysis read = Json.MAPPER.readValue(a.toJson(), SegmentAnalysis.class);

    // Numbers may change form on the way (17.0 is read back as 17), never value.
    java.util.Comparator<com.fasterxml.jackson.databind.JsonNode> sameValue =
        (x, y) ->
            x.isNumber() && y.isNumber()
                ? x.decimalValue().compareTo(y.decimalValue())
                : x.equals(y) ? 0 : 1;
    assertThat(
            Json.MAPPER.readTree(read.toJson()).equals(sameValue, Json.MAPPER.readTree(a.toJson())))
        .as("%s read back as %s", a, read)
        .isTrue();
    assertThat(read.churnSegment()).isEqualTo(a.churnSegment());
    assertThat(read.missingRegulars()).hasSameSizeAs(a.missingRegulars());
  }

  @Provide
  Arbitrary<CustomerData> validCustomers() {
    Arbitrary<Customer> customers =
        Combinators.combine(
                Arbitraries.integers().between(0, CustomerDataValidator.MAX_AGE).injectNull(0.1),
                dates(-4000, 30).injectNull(0.15),
                products().list().ofMaxSize(8))
            .as(
                (age, registeredAt, history) ->
                    new Customer("C-P", age, "F", registeredAt, history));
    Arbitrary<Region> regions =
        Combinators.combine(
                Arbitraries.bigDecimals()
                    .between(BigDecimal.ZERO, new BigDecimal("2000"))
                    .ofScale(2)
                    .injectNull(0.1),
                Arbitraries.of("SKINCARE", "Skincare", "MAKEUP", "HAIRCARE", "FRAGRANCE")
                    .injectNull(0.1))
            .as((median, trend) -> new Region("Marmara", "Temperate", median, trend));
    return Combinators.combine(customers.injectNull(0.05), regions.injectNull(0.05))
        .as(
            (customer, region) ->
                new CustomerData("C-P", "Istanbul", customer, region, Season.WINTER));
  }

  private static Arbitrary<ProductHistory> products() {
    Arbitrary<Integer> orders =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
            net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(1, 60)),
            net.jqwik.api.Tuple.of(1, Arbitraries.<Integer>just(null)));
    Arbitrary<BigDecimal> spent =
        Arbitraries.bigDecimals()
            .between(BigDecimal.ZERO, new BigDecimal("20000"))
            .ofScale(2)
            .injectNull(0.05);
    Arbitrary<BigDecimal> every =
        Arbitraries.bigDecimals()
            .between(BigDecimal.ZERO, new BigDecimal("180"))
            .ofScale(1)
            .injectNull(0.1);
    return Combinators.combine(
            Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(4).map(s -> "P-" + s),
            Arbitraries.of("SKINCARE", "skincare", "MAKEUP", "HAIRCARE", "FRAGRANCE", "BABY")
                .injectNull(0.05),
            orders,
            spent,
            dates(-1500, 10).injectNull(0.05),
            every)
        .as(
            (id, category, n, total, last, avg) ->
                new ProductHistory(id, category, n == null ? null : n * 2, total, n, last, avg));
  }

  private static Arbitrary<OffsetDateTime> dates(int fromDays, int toDays) {
    return Arbitraries.integers()
        .between(fromDays, toDays)
        .map(d -> AS_OF.plusDays(d).atStartOfDay().atOffset(ZoneOffset.UTC));
  }
}
