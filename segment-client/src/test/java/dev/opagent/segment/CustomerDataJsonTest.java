package dev.opagent.segment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The seed's customer data (C-1001, test 2 of the integration guide) through JSON and back. */
class CustomerDataJsonTest {
  static final String SEED_C1001 =
      """
      {
        "customerData": {
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
        }
      }""";

  /** Reads numbers exactly as written, so the comparison sees a lost scale. */
  private static final ObjectMapper PLAIN =
      com.fasterxml.jackson.databind.json.JsonMapper.builder()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(
              com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  @Test
  void fromJson_seedC1001_readsTypedValues() {
    CustomerData d = CustomerData.fromJson(SEED_C1001);
    assertThat(d.customerId()).isEqualTo("C-1001");
    assertThat(d.currentSeason()).isEqualTo(Season.WINTER);
    assertThat(d.customer().registeredAt())
        .isEqualTo(OffsetDateTime.of(2024, 3, 15, 0, 0, 0, 0, ZoneOffset.UTC));
    ProductHistory p = d.customer().productHistory().get(0);
    assertThat(p.totalSpent()).isEqualTo(new BigDecimal("479.20"));
    assertThat(p.avgDaysBetween()).isEqualByComparingTo("30");
    assertThat(d.region().medianBasket()).isEqualTo(new BigDecimal("75.0"));
  }

  /** Regression: amounts lost their scale (479.20 became 479.2, 75.0 became 75) on the way in. */
  @Test
  void toJson_seedC1001_roundTripsToTheSameJson() throws Exception {
    CustomerData d = CustomerData.fromJson(SEED_C1001);
    JsonNode original = PLAIN.readTree(SEED_C1001).get("customerData");
    assertThat(PLAIN.readTree(d.toJson())).isEqualTo(original);
    assertThat(d.toJson())
        .contains(
            "\"totalSpent\":479.20",
            "\"medianBasket\":75.0",
            "\"registeredAt\":\"2024-03-15T00:00:00\"");
    assertThat(CustomerData.fromJson(d.toJson())).isEqualTo(d);
  }

  @Test
  void fromJson_isoOffsetDate_keepsTheOffset() {
    CustomerData d =
        CustomerData.fromJson(
            "{\"customerId\":\"C-1\",\"customer\":"
                + "{\"registeredAt\":\"2026-01-15T03:00:00+03:00\"}}");
    assertThat(d.customer().registeredAt().toInstant())
        .isEqualTo(OffsetDateTime.of(2026, 1, 15, 0, 0, 0, 0, ZoneOffset.UTC).toInstant());
    assertThat(d.toJson()).contains("2026-01-15T03:00:00+03:00");
  }

  @Test
  void fromJson_unknownMembers_arePreservedAtEveryLevel() {
    String json =
        "{\"customerId\":\"C-1\",\"tenant\":\"t1\",\"customer\":{\"vip\":true,"
            + "\"productHistory\":[{\"productId\":\"P\",\"sku\":{\"a\":1}}]},"
            + "\"region\":{\"name\":\"Ege\",\"pop\":3}}";
    CustomerData d = CustomerData.fromJson(json);
    assertThat(d.extra()).containsKey("tenant");
    assertThat(d.customer().extra()).containsKey("vip");
    assertThat(d.customer().productHistory().get(0).extra()).containsKey("sku");
    assertThat(d.region().extra()).containsKey("pop");
    assertThat(CustomerData.fromJson(d.toJson())).isEqualTo(d);
  }

  @Test
  void fromJson_bareAndWrapped_areEqual() {
    CustomerData wrapped = CustomerData.fromJson(SEED_C1001);
    assertThat(CustomerData.fromJson(wrapped.toJson())).isEqualTo(wrapped);
  }

  @Test
  void canonicalHash_membersReordered_isTheSame() {
    CustomerData d = CustomerData.fromJson(SEED_C1001);
    CustomerData reordered =
        CustomerData.fromJson(
            "{\"region\": {\"trend\": \"SKINCARE\","
                + " \"medianBasket\": 75.0, \"climateType\": \"Temperate\", \"name\": \"Marmara\"},"
                + " \"currentSeason\": \"Winter\", \"city\": \"Istanbul\", \"customerId\": \"C-1001\","
                + " \"customer\": {\"productHistory\": [{\"avgDaysBetween\": 30,"
                + " \"lastPurchase\": \"2026-01-20T00:00:00\", \"orderCount\": 8, \"totalSpent\": 479.20,"
                + " \"totalQuantity\": 8, \"category\": \"SKINCARE\", \"productId\": \"P-2001\"}],"
                + " \"registeredAt\": \"2024-03-15T00:00:00\", \"gender\": \"F\", \"age\": 32,"
                + " \"customerId\": \"C-1001\"}}");

    assertThat(reordered.canonicalHash()).isEqualTo(d.canonicalHash()).matches("[0-9a-f]{64}");
  }

  @Test
  void canonicalHash_anyValueChanged_differs() {
    CustomerData d = CustomerData.fromJson(SEED_C1001);
    CustomerData bought =
        CustomerData.fromJson(SEED_C1001.replace("\"orderCount\": 8", "\"orderCount\": 9"));
    CustomerData rescaled = CustomerData.fromJson(SEED_C1001.replace("75.0", "75.00"));
    CustomerData extra =
        CustomerData.fromJson(
            SEED_C1001.replace(
                "\"city\": \"Istanbul\",", "\"city\": \"Istanbul\", \"tier\": \"x\","));

    assertThat(
            java.util.Set.of(
                d.canonicalHash(),
                bought.canonicalHash(),
                rescaled.canonicalHash(),
                extra.canonicalHash()))
        .hasSize(4);
  }

  @Test
  void segmentAnalysisFromJson_toJson_readsBackEqual() {
    SegmentAnalysis a =
        new ReferenceSegmenter(
                java.time.Clock.fixed(
                    java.time.Instant.parse("2026-03-15T00:00:00Z"), ZoneOffset.UTC))
            .analyze(CustomerData.fromJson(SEED_C1001));
    SegmentAnalysis withExtra =
        new SegmentAnalysis(
            a.ageSegment(),
            ChurnSegment.of("Uykuda"),
            a.valueSegment(),
            a.loyaltyTier(),
            a.affinityType(),
            a.diversityProfile(),
            a.missingRegulars(),
            java.util.Map.of("notes", com.fasterxml.jackson.databind.node.TextNode.valueOf("n")));

    assertThat(SegmentAnalysis.fromJson(a.toJson())).isEqualTo(a);
    assertThat(a.missingRegulars()).isNotEmpty();
    assertThat(SegmentAnalysis.fromJson(withExtra.toJson())).isEqualTo(withExtra);
  }

  @Test
  void segmentAnalysisFromJson_notAnAnalysis_failsWithoutQuotingIt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SegmentAnalysis.fromJson("{\"churnSegment\": \"Riskli\", \"secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SegmentAnalysis.fromJson("[1]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON object");
  }
}
