package dev.opagent.rules.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.rules.spi.Attributes;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hot path (compiled condition over a map view) allocates nothing per evaluation. */
class AllocationFreeEvaluationTest {

  @Test
  void test_typicalCampaignConditions_allocateNothingPerEvaluation() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(
        bean instanceof com.sun.management.ThreadMXBean,
        "thread allocation counters not available on this JVM");
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(mx.isThreadAllocatedMemorySupported(), "allocation counters unsupported");
    mx.setThreadAllocatedMemoryEnabled(true);

    List<Condition> conditions =
        List.of(
            ConditionCompiler.ofDefaults().compile("{\"segments.churnSegment\": \"Riskli\"}"),
            ConditionCompiler.ofDefaults()
                .compile("{\"segments.loyaltyTier\": {\"$in\": [\"Platin\", \"Altın\"]}}"),
            ConditionCompiler.ofDefaults()
                .compile("{\"segments.missingRegulars\": {\"$size\": {\"$gt\": 0}}}"),
            ConditionCompiler.ofDefaults()
                .compile(
                    "{\"$or\": [{\"customer.age\": {\"$gte\": 18, \"$lt\": 35}},"
                        + " {\"region.trend\": {\"$regex\": \"^SKIN\"}}],"
                        + " \"derived.daysSinceLastPurchase\": {\"$gt\": 45}}"));
    Attributes attributes =
        MapAttributes.of(
            Map.of(
                "segments",
                    Map.of(
                        "churnSegment",
                        "Ilık",
                        "loyaltyTier",
                        "Altın",
                        "missingRegulars",
                        List.of(Map.of("productId", "P-2001"))),
                "customer", Map.of("age", 32),
                "region", Map.of("trend", "SKINCARE"),
                "derived", Map.of("daysSinceLastPurchase", 54L)));

    int matches = 0;
    for (int i = 0; i < 20_000; i++) {
      for (Condition c : conditions) {
        matches += c.test(attributes) ? 1 : 0;
      }
    }
    long thread = Thread.currentThread().getId();
    int rounds = 100_000;
    long before = mx.getThreadAllocatedBytes(thread);
    for (int i = 0; i < rounds; i++) {
      for (int j = 0; j < conditions.size(); j++) {
        matches += conditions.get(j).test(attributes) ? 1 : 0;
      }
    }
    long allocated = mx.getThreadAllocatedBytes(thread) - before;
    assertThat(matches).isEqualTo(3 * (20_000 + rounds));
    assertThat((double) allocated / rounds)
        .as("bytes allocated per evaluation of 4 conditions (total %d)", allocated)
        .isLessThan(1.0);
  }
}
