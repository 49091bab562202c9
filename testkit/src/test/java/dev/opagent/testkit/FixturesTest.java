package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.ChurnSegment;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.LoyaltyTier;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.ValueSegment;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class FixturesTest {
  @Test
  void seedCustomers_equalTheIntegrationGuidesPayloads() {
    CustomerData active =
        CustomerData.fromJson(
            """
        {"customerData": {"customerId": "C-1001", "city": "Istanbul",
          "customer": {"customerId": "C-1001", "age": 32, "gender": "F",
            "registeredAt": "2024-03-15T00:00:00",
            "productHistory": [{"productId": "P-2001", "category": "SKINCARE",
              "totalQuantity": 8, "totalSpent": 479.20, "orderCount": 8,
              "lastPurchase": "2026-01-20T00:00:00", "avgDaysBetween": 30}]},
          "region": {"name": "Marmara", "climateType": "Temperate", "medianBasket": 75.0,
            "trend": "SKINCARE"},
          "currentSeason": "Winter"}}""");
    CustomerData fresh =
        CustomerData.fromJson(
            """
        {"customerData": {"customerId": "C-TEST-001", "city": "Istanbul",
          "customer": {"customerId": "C-TEST-001", "age": 28, "gender": "F",
            "registeredAt": "2026-01-15T00:00:00", "productHistory": []},
          "region": {"name": "Marmara", "climateType": "Temperate", "medianBasket": 250.0,
            "trend": "Skincare"},
          "currentSeason": "Winter"}}""");

    // Parsing normalises numbers (479.20 → 479.2), so amounts are compared by value.
    assertThat(Fixtures.seedActiveCustomer())
        .usingRecursiveComparison()
        .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
        .isEqualTo(active);
    assertThat(Fixtures.seedNewCustomer())
        .usingRecursiveComparison()
        .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
        .isEqualTo(fresh);
    assertThat(Fixtures.seedCustomers())
        .extracting(CustomerData::customerId)
        .containsExactly("C-TEST-001", "C-1001");
    assertThat(CustomerData.fromJson(Fixtures.payload(active))).isEqualTo(active);
    assertThat(Fixtures.payload(Fixtures.seedActiveCustomer())).contains("\"totalSpent\":479.20");
  }

  @Test
  void seedClock_givesTheWorkedExample() {
    SegmentAnalysis a =
        new ReferenceSegmenter(Fixtures.seedClock()).analyze(Fixtures.seedActiveCustomer());

    assertThat(a.churnSegment()).isEqualTo(ChurnSegment.WARM);
    assertThat(a.valueSegment()).isEqualTo(ValueSegment.LOW_VALUE);
    assertThat(a.loyaltyTier()).isEqualTo(LoyaltyTier.SILVER);
    assertThat(a.missingRegulars().get(0).daysOverdue()).isEqualTo(24);
  }
}
