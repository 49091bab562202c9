package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.segment.AffinityType;
import dev.opagent.segment.AgeSegment;
import dev.opagent.segment.ChurnSegment;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.CustomerDataValidator;
import dev.opagent.segment.DiversityProfile;
import dev.opagent.segment.LoyaltyTier;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentLabel;
import dev.opagent.segment.ValueSegment;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PopulationGeneratorTest {
  private static final PopulationGenerator POPULATION = PopulationGenerator.ofSeed(42);
  private static final ReferenceSegmenter SEGMENTER = new ReferenceSegmenter(Fixtures.seedClock());

  @Test
  void stream_5000Customers_coverEverySegmentOfEveryDimension() {
    List<SegmentAnalysis> analyses = POPULATION.stream(5000).map(SEGMENTER::analyze).toList();

    assertThat(labels(analyses, SegmentAnalysis::churnSegment))
        .containsAll(ChurnSegment.knownValues());
    assertThat(labels(analyses, SegmentAnalysis::valueSegment))
        .containsAll(ValueSegment.knownValues());
    assertThat(labels(analyses, SegmentAnalysis::loyaltyTier))
        .containsAll(LoyaltyTier.knownValues());
    assertThat(labels(analyses, SegmentAnalysis::diversityProfile))
        .containsAll(DiversityProfile.knownValues());
    assertThat(labels(analyses, SegmentAnalysis::affinityType))
        .containsAll(AffinityType.knownValues());
    assertThat(labels(analyses, SegmentAnalysis::ageSegment)).containsAll(AgeSegment.knownValues());
    assertThat(analyses.stream().filter(SegmentAnalysis::hasMissingRegulars).count())
        .isBetween(250L, 4000L);
  }

  @Test
  void stream_noSegmentDominates() {
    List<SegmentAnalysis> analyses = POPULATION.stream(5000).map(SEGMENTER::analyze).toList();

    for (ChurnSegment churn : ChurnSegment.knownValues()) {
      assertThat(analyses.stream().filter(a -> a.churnSegment().equals(churn)).count())
          .as(churn.name())
          .isBetween(150L, 2500L);
    }
    for (ValueSegment value : ValueSegment.knownValues()) {
      assertThat(analyses.stream().filter(a -> a.valueSegment().equals(value)).count())
          .as(value.name())
          .isBetween(150L, 3000L);
    }
  }

  @Test
  void customers_areValidRealisticAndEndBeforeAsOf() {
    List<CustomerData> customers = POPULATION.list(2000);

    assertThat(customers)
        .allSatisfy(
            c -> {
              assertThat(CustomerDataValidator.problems(c)).isEmpty();
              assertThat(c.customer().customerId()).isEqualTo(c.customerId());
              assertThat(c.city()).isNotBlank();
              assertThat(c.region().medianBasket()).isPositive();
              assertThat(c.customer().registeredAt().toLocalDate())
                  .isBeforeOrEqualTo(POPULATION.asOf());
              assertThat(c.customer().productHistory())
                  .allSatisfy(
                      p -> {
                        assertThat(p.lastPurchase().toLocalDate())
                            .isBetween(
                                c.customer().registeredAt().toLocalDate(), POPULATION.asOf());
                        assertThat(p.totalQuantity()).isGreaterThanOrEqualTo(p.orderCount());
                        assertThat(p.totalSpent()).isPositive();
                        assertThat(p.avgDaysBetween() == null).isEqualTo(p.orderCount() == 1);
                      });
              assertThat(
                      c.customer().productHistory().stream()
                          .map(p -> p.productId())
                          .distinct()
                          .count())
                  .isEqualTo(c.customer().productHistory().size());
            });
    Set<String> cities = customers.stream().map(CustomerData::city).collect(Collectors.toSet());
    Set<String> regions =
        customers.stream().map(c -> c.region().name()).collect(Collectors.toSet());
    assertThat(cities).contains("Istanbul", "İzmir", "Ankara", "Şanlıurfa").hasSizeGreaterThan(25);
    assertThat(regions)
        .containsExactlyInAnyOrder(
            "Marmara",
            "Ege",
            "Akdeniz",
            "İç Anadolu",
            "Karadeniz",
            "Doğu Anadolu",
            "Güneydoğu Anadolu");
    assertThat(customers.stream().filter(c -> c.city().equals("Istanbul")).count())
        .as("Istanbul is the largest city")
        .isBetween(300L, 700L);
  }

  @Test
  void customer_sameSeedSameCustomer_randomAccessEqualsStreamOrder() {
    List<CustomerData> first = POPULATION.list(300);

    assertThat(PopulationGenerator.ofSeed(42).list(300)).isEqualTo(first);
    assertThat(POPULATION.customer(123)).isEqualTo(first.get(123));
    assertThat(POPULATION.stream(300).parallel().toList()).isEqualTo(first);
    assertThat(first.get(0).customerId()).isEqualTo("C-0000001");
    assertThat(PopulationGenerator.ofSeed(43).list(300)).isNotEqualTo(first);
  }

  @Test
  void stream_isLazy_aMillionCustomersAreNeverMaterialised() {
    AtomicLong generated = new AtomicLong();
    Iterator<CustomerData> it =
        POPULATION.stream(1_000_000).peek(c -> generated.incrementAndGet()).iterator();

    for (int i = 0; i < 10; i++) {
      it.next();
    }

    assertThat(generated.get()).isLessThan(1000);
    assertThat(POPULATION.customer(999_999).customerId()).isEqualTo("C-1000000");
  }

  @Test
  void builder_asOfAndPrefixAndNewShare_areApplied() {
    PopulationGenerator onlyNew =
        PopulationGenerator.builder()
            .seed(1)
            .idPrefix("T-")
            .asOf(LocalDate.of(2025, 7, 1))
            .newCustomerShare(1)
            .build();
    ReferenceSegmenter july =
        new ReferenceSegmenter(
            Clock.fixed(
                LocalDate.of(2025, 7, 1).atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));

    assertThat(onlyNew.list(50))
        .allSatisfy(
            c -> {
              assertThat(c.customerId()).startsWith("T-");
              assertThat(c.currentSeason().wireValue()).isEqualTo("Summer");
              assertThat(july.analyze(c).churnSegment()).isEqualTo(ChurnSegment.NEW);
            });
    assertThatThrownBy(() -> PopulationGenerator.builder().newCustomerShare(1.5))
        .hasMessage("newCustomerShare must be between 0 and 1 but was 1.5");
    assertThatThrownBy(() -> POPULATION.stream(-1))
        .hasMessage("count must not be negative but was -1");
  }

  private static Set<SegmentLabel> labels(
      List<SegmentAnalysis> analyses,
      java.util.function.Function<SegmentAnalysis, ? extends SegmentLabel> dimension) {
    Set<SegmentLabel> seen = new HashSet<>();
    analyses.forEach(a -> seen.add(dimension.apply(a)));
    return seen;
  }
}
