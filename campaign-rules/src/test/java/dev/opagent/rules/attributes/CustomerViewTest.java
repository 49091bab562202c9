package dev.opagent.rules.attributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomerViewTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode c1001() throws Exception {
    try (InputStream in = CustomerViewTest.class.getResourceAsStream("/fixtures/c-1001.json")) {
      return MAPPER.readTree(in);
    }
  }

  private static Object get(Attributes a, String path) {
    Object v = a.get(AttributePath.of(path));
    return v instanceof JsonNode n && n.isValueNode() ? MAPPER.convertValue(n, Object.class) : v;
  }

  @Test
  void get_everyPathOfTheSeedCustomer_sameAsWalkingTheWholeMap() throws Exception {
    JsonNode line = c1001();
    ((com.fasterxml.jackson.databind.node.ObjectNode) line.get("analysis")).putNull("nothing");
    CustomerView v = CustomerView.fromWire(line, LocalDate.of(2026, 3, 15));
    MapAttributes whole = MapAttributes.of(v.asMap());
    List<String> paths =
        new java.util.ArrayList<>(
            List.of(
                "customerId",
                "nope",
                "nope.x",
                "segments.nothing",
                "segments.nothing.x",
                "segments.nope",
                "segments.missingRegulars.0",
                "segments.missingRegulars.99",
                "segments.missingRegulars.x",
                "segments.churnSegment.x",
                "customer.productHistory.0.category",
                "customer.productHistory.01.category",
                "derived.totalOrders",
                "derived.totalOrders.x",
                "attributes.none",
                "city.x"));
    collect("", MAPPER.valueToTree(v.asMap()), paths);
    assertThat(paths).hasSizeGreaterThan(40);
    for (String path : paths) {
      AttributePath p = AttributePath.of(path);
      assertThat(v.get(p)).as(path).isSameAs(whole.get(p));
    }
  }

  private static void collect(String prefix, JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.fieldNames()
          .forEachRemaining(
              name -> {
                out.add(prefix + name);
                collect(prefix + name + ".", node.get(name), out);
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        out.add(prefix + i);
        collect(prefix + i + ".", node.get(i), out);
      }
    }
  }

  @Test
  void fromWire_seedCustomerC1001_exposesDocumentedPathsAndDerivedValues() throws Exception {
    CustomerView v = CustomerView.fromWire(c1001(), LocalDate.of(2026, 3, 15));
    assertThat(v.customerId()).isEqualTo("C-1001");
    assertThat(get(v, "customerId")).isEqualTo("C-1001");
    assertThat(get(v, "city")).isEqualTo("Istanbul");
    assertThat(get(v, "currentSeason")).isEqualTo("Winter");
    assertThat(get(v, "customer.age")).isEqualTo(32);
    assertThat(get(v, "region.trend")).isEqualTo("SKINCARE");
    assertThat(get(v, "segments.churnSegment")).isEqualTo("Ilık");
    assertThat(get(v, "segments.missingRegulars.0.daysOverdue")).isEqualTo(24);
    assertThat(v.derived())
        .containsEntry("daysSinceLastPurchase", 54L)
        .containsEntry("missingRegularsCount", 1)
        .containsEntry("tenureMonths", 24L)
        .containsEntry("totalOrders", 8L)
        .containsEntry("totalSpent", 479.2)
        .containsEntry("categoryCount", 1);
    assertThat(get(v, "derived.daysSinceLastPurchase")).isEqualTo(54L);
    assertThat(v.get(AttributePath.of("attributes.purchase_stage"))).isSameAs(Attributes.ABSENT);
    assertThat(v.get(AttributePath.of("segments.nope"))).isSameAs(Attributes.ABSENT);
  }

  @Test
  void build_newCustomerWithoutHistoryOrAnalysis_omitsDaysSinceAndCountsZero() {
    CustomerView v =
        CustomerView.builder()
            .customerData(
                Map.of(
                    "customerId",
                    "C-TEST-001",
                    "customer",
                    Map.of("registeredAt", "2026-01-15T00:00:00", "productHistory", List.of())))
            .putAttributes(Map.of("tariff", "Red-M", "tenure_months", 2))
            .clock(Clock.fixed(Instant.parse("2026-03-15T10:00:00Z"), ZoneOffset.UTC))
            .build();
    assertThat(v.derived())
        .doesNotContainKey("daysSinceLastPurchase")
        .containsEntry("missingRegularsCount", 0)
        .containsEntry("tenureMonths", 2L);
    assertThat(get(v, "attributes.tariff")).isEqualTo("Red-M");
    assertThat(v.get(AttributePath.of("segments.churnSegment"))).isSameAs(Attributes.ABSENT);
  }

  @Test
  void build_withoutCustomerId_failsWithMessage() {
    assertThatThrownBy(() -> CustomerView.builder().customerData(Map.of("city", "X")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("customerData has no customerId");
    assertThatThrownBy(() -> CustomerView.builder().putAttribute("a.b", 1))
        .hasMessage("attribute name must be non-empty and without '.' but was 'a.b'");
    assertThatThrownBy(() -> CustomerView.fromWire(MAPPER.createObjectNode(), LocalDate.MIN))
        .hasMessage("input has no customerData object");
  }

  @Test
  void jsonNodeAndMapAttributes_sameDocument_sameValues() throws Exception {
    JsonNode doc = c1001();
    Map<String, Object> map = MAPPER.convertValue(doc, new TypeReference<Map<String, Object>>() {});
    for (String path :
        List.of(
            "customerData.customer.age",
            "analysis.churnSegment",
            "analysis.missingRegulars.0.productId",
            "customerData.nope")) {
      assertThat(get(JsonNodeAttributes.of(doc), path)).isEqualTo(get(MapAttributes.of(map), path));
    }
  }
}
