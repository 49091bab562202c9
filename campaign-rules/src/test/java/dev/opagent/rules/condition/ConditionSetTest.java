package dev.opagent.rules.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConditionSetTest {
  private static final String[] CHURN = {"Yeni", "Aktif", "Ilık", "Riskli", "Kayıp"};
  private static final String[] TIERS = {"Platin", "Altın", "Gümüş", "Bronz"};
  private static final Object[] ODD = {
    null,
    3,
    true,
    List.of("Riskli", "Aktif"),
    List.of(),
    Map.of("a", 1),
    "riskli",
    List.of(1, "Platin")
  };

  private static String randomCondition(SplittableRandom r) {
    Map<String, String> parts = new java.util.LinkedHashMap<>();
    String[] paths = {
      "segments.churnSegment",
      "segments.loyaltyTier",
      "customer.age",
      "customer.tags",
      "derived.days"
    };
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      String path = paths[r.nextInt(paths.length)];
      String value =
          switch (r.nextInt(9)) {
            case 0 -> "\"" + CHURN[r.nextInt(CHURN.length)] + "\"";
            case 1 -> "{\"$eq\": \"" + TIERS[r.nextInt(TIERS.length)] + "\"}";
            case 2 ->
                "{\"$in\": [\""
                    + CHURN[r.nextInt(CHURN.length)]
                    + "\", \""
                    + TIERS[r.nextInt(TIERS.length)]
                    + "\"]}";
            case 3 -> "{\"$ne\": \"" + CHURN[r.nextInt(CHURN.length)] + "\"}";
            case 4 -> "{\"$gt\": " + r.nextInt(80) + "}";
            case 5 -> "{\"$in\": [\"Riskli\", 3, null]}";
            case 6 -> "{\"$ini\": [\"RISKLI\"]}";
            case 7 -> "{\"$exists\": " + r.nextBoolean() + "}";
            default -> "{\"$nin\": [\"Platin\"]}";
          };
      parts.put(path, "\"" + path + "\": " + value);
    }
    String body = "{" + String.join(", ", parts.values()) + "}";
    return switch (r.nextInt(6)) {
      case 0 -> "{\"$or\": [" + body + ", {\"customer.age\": {\"$lt\": 30}}]}";
      case 1 -> "{\"$not\": " + body + "}";
      case 2 ->
          "{\"$and\": ["
              + body
              + "], \"segments.churnSegment\": \""
              + CHURN[r.nextInt(CHURN.length)]
              + "\"}";
      default -> body;
    };
  }

  private static Object randomValue(SplittableRandom r, String[] texts) {
    int k = r.nextInt(10);
    if (k < 7) {
      return texts[r.nextInt(texts.length)];
    }
    return k == 7 ? "absent" : ODD[r.nextInt(ODD.length)];
  }

  private static Attributes randomAttributes(SplittableRandom r) {
    Map<String, Object> segments = new HashMap<>();
    put(segments, "churnSegment", randomValue(r, CHURN));
    put(segments, "loyaltyTier", randomValue(r, TIERS));
    Map<String, Object> customer = new HashMap<>();
    put(customer, "age", r.nextInt(10) == 0 ? randomValue(r, CHURN) : 18 + r.nextInt(60));
    put(customer, "tags", r.nextBoolean() ? List.of(CHURN[r.nextInt(CHURN.length)]) : "Riskli");
    Map<String, Object> root = new HashMap<>();
    root.put("segments", segments);
    root.put("customer", customer);
    root.put("derived", Map.of("days", r.nextInt(365)));
    return MapAttributes.of(root);
  }

  private static void put(Map<String, Object> m, String key, Object value) {
    if (!"absent".equals(value)) {
      m.put(key, value);
    }
  }

  @Test
  void test_randomConditionsAndAttributes_agreesWithEachCondition() {
    SplittableRandom r = new SplittableRandom(42);
    for (int round = 0; round < 40; round++) {
      int size = 1 + r.nextInt(120);
      List<Condition> conditions = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        conditions.add(ConditionCompiler.ofDefaults().compile(randomCondition(r)));
      }
      ConditionSet set = ConditionSet.of(conditions);
      BitSet matches = new BitSet();
      for (int p = 0; p < 200; p++) {
        Attributes a = randomAttributes(r);
        int count = set.test(a, matches);
        BitSet expected = new BitSet();
        for (int i = 0; i < size; i++) {
          if (conditions.get(i).test(a)) {
            expected.set(i);
          }
        }
        assertThat(matches).as("round %d, attributes %s", round, a).isEqualTo(expected);
        assertThat(count).isEqualTo(expected.cardinality());
      }
    }
  }

  /** A host that reads numbers unboxed, as {@link Attributes} recommends, and counts its reads. */
  private static final class UnboxedHost implements Attributes {
    private final Attributes map;
    private int gets;

    UnboxedHost(Attributes map) {
      this.map = map;
    }

    @Override
    public Object get(AttributePath path) {
      gets++;
      return map.get(path);
    }

    @Override
    public double getDouble(AttributePath path) {
      return map.get(path) instanceof Number n ? n.doubleValue() : Double.NaN;
    }
  }

  @Test
  void test_callersScratchAndUnboxedNumbers_agreeWithEachCondition() {
    SplittableRandom r = new SplittableRandom(7);
    for (int round = 0; round < 40; round++) {
      int size = 1 + r.nextInt(120);
      List<Condition> conditions = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        conditions.add(ConditionCompiler.ofDefaults().compile(randomCondition(r)));
      }
      ConditionSet set = ConditionSet.of(conditions);
      ConditionSet.Scratch scratch = set.newScratch();
      BitSet matches = new BitSet();
      BitSet unboxed = new BitSet();
      for (int p = 0; p < 200; p++) {
        Attributes a = randomAttributes(r);
        int count = set.test(a, matches, scratch);
        int unboxedCount = set.test(new UnboxedHost(a), unboxed, scratch);
        BitSet expected = new BitSet();
        for (int i = 0; i < size; i++) {
          if (conditions.get(i).test(a)) {
            expected.set(i);
          }
        }
        assertThat(matches).as("round %d, attributes %s", round, a).isEqualTo(expected);
        assertThat(count).isEqualTo(expected.cardinality());
        assertThat(unboxed).as("unboxed, round %d, attributes %s", round, a).isEqualTo(expected);
        assertThat(unboxedCount).isEqualTo(expected.cardinality());
      }
    }
  }

  @Test
  void test_numbersOnlyComparedAsNumbers_areReadUnboxed() {
    List<Condition> conditions = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      conditions.add(
          ConditionCompiler.ofDefaults()
              .compile(
                  String.format(
                      Locale.ROOT,
                      "{\"segments.churnSegment\": \"Riskli\", \"customer.age\": {\"$gt\": %d}}",
                      i * 5)));
    }
    ConditionSet set = ConditionSet.of(conditions);
    UnboxedHost host =
        new UnboxedHost(
            MapAttributes.of(
                Map.of(
                    "segments", Map.of("churnSegment", "Riskli"), "customer", Map.of("age", 32))));
    BitSet matches = new BitSet();

    assertThat(set.test(host, matches, set.newScratch())).isEqualTo(7);
    assertThat(host.gets).as("only the segment is read boxed").isEqualTo(1);
  }

  @Test
  void test_numberCompareOnNonNumber_fallsBackToTheValue() {
    Condition older = ConditionCompiler.ofDefaults().compile("{\"customer.age\": {\"$gt\": 30}}");
    ConditionSet set = ConditionSet.of(List.of(older, older));
    BitSet matches = new BitSet();
    for (Object age : new Object[] {"45", "12", "x", true}) {
      UnboxedHost host = new UnboxedHost(MapAttributes.of(Map.of("customer", Map.of("age", age))));

      assertThat(set.test(host, matches, set.newScratch()))
          .as("age %s", age)
          .isEqualTo(older.test(host) ? 2 : 0);
    }
    assertThat(set.test(new UnboxedHost(Attributes.empty()), matches)).isZero();
  }

  @Test
  void test_scratchOfAnotherSet_isRejected() {
    Condition c = ConditionCompiler.ofDefaults().compile("{\"customer.age\": {\"$gt\": 30}}");
    ConditionSet one = ConditionSet.of(List.of(c, c));
    ConditionSet other = ConditionSet.of(List.of(c, c));

    assertThatThrownBy(() -> one.test(Attributes.empty(), new BitSet(), other.newScratch()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("newScratch()");
  }

  @Test
  void test_eachPath_isReadOncePerEvaluation() {
    List<Condition> conditions = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      conditions.add(
          ConditionCompiler.ofDefaults()
              .compile(
                  String.format(
                      Locale.ROOT,
                      "{\"segments.churnSegment\": {\"$in\": [\"Riskli\", \"Kayıp\"]}, "
                          + "\"customer.age\": {\"$gt\": %d}}",
                      i)));
    }
    ConditionSet set = ConditionSet.of(conditions);
    Map<String, AtomicInteger> reads = new HashMap<>();
    Attributes a =
        path -> {
          reads.computeIfAbsent(path.text(), k -> new AtomicInteger()).incrementAndGet();
          return switch (path.text()) {
            case "segments.churnSegment" -> "Riskli";
            case "customer.age" -> 30;
            default -> Attributes.ABSENT;
          };
        };
    BitSet matches = new BitSet();

    assertThat(set.test(a, matches)).isEqualTo(20);
    assertThat(reads).hasSize(2);
    assertThat(reads.get("segments.churnSegment")).hasValue(1);
    assertThat(reads.get("customer.age")).hasValue(1);
    assertThat(set.test(a, matches)).as("the next evaluation reads afresh").isEqualTo(20);
    assertThat(reads.get("customer.age")).hasValue(2);
  }

  @Test
  void test_attributesEvaluatingTheSameSet_getTheirOwnResults() {
    List<Condition> conditions = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      conditions.add(
          ConditionCompiler.ofDefaults()
              .compile(
                  "{\"segments.churnSegment\": \"Riskli\", \"customer.age\": {\"$gt\": "
                      + i * 10
                      + "}}"));
    }
    ConditionSet set = ConditionSet.of(conditions);
    Attributes inner =
        MapAttributes.of(
            Map.of("segments", Map.of("churnSegment", "Riskli"), "customer", Map.of("age", 100)));
    int[] innerCount = new int[1];
    Attributes outer =
        path -> {
          innerCount[0] = set.test(inner, new BitSet());
          return switch (path.text()) {
            case "segments.churnSegment" -> "Riskli";
            case "customer.age" -> 25;
            default -> Attributes.ABSENT;
          };
        };
    BitSet matches = new BitSet();

    assertThat(set.test(outer, matches)).isEqualTo(3);
    assertThat(matches.stream().toArray()).containsExactly(0, 1, 2);
    assertThat(innerCount[0]).isEqualTo(6);
  }

  @Test
  void test_emptySet_matchesNothing() {
    BitSet matches = new BitSet();
    matches.set(3);

    assertThat(ConditionSet.of(List.of()).test(Attributes.empty(), matches)).isZero();
    assertThat(matches.isEmpty()).isTrue();
  }

  @Test
  void test_manyRulesOverMaps_allocateNothingPerEvaluation() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(
        bean instanceof com.sun.management.ThreadMXBean,
        "thread allocation counters not available on this JVM");
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(mx.isThreadAllocatedMemorySupported(), "allocation counters unsupported");
    mx.setThreadAllocatedMemoryEnabled(true);
    SplittableRandom r = new SplittableRandom(3);
    List<Condition> conditions = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      conditions.add(
          ConditionCompiler.ofDefaults()
              .compile(
                  String.format(
                      Locale.ROOT,
                      "{\"segments.churnSegment\": \"%s\", \"segments.loyaltyTier\": {\"$in\": [\"%s\"]},"
                          + " \"customer.age\": {\"$gt\": %d}}",
                      CHURN[r.nextInt(CHURN.length)],
                      TIERS[r.nextInt(TIERS.length)],
                      r.nextInt(60))));
    }
    ConditionSet set = ConditionSet.of(conditions);
    Attributes[] profiles = new Attributes[16];
    for (int i = 0; i < profiles.length; i++) {
      profiles[i] =
          MapAttributes.of(
              Map.of(
                  "segments",
                  Map.of(
                      "churnSegment",
                      CHURN[i % CHURN.length],
                      "loyaltyTier",
                      TIERS[i % TIERS.length]),
                  "customer",
                  Map.of("age", 20 + i * 3)));
    }
    BitSet matches = new BitSet(100);
    long sum = 0;
    for (int i = 0; i < 20_000; i++) {
      sum += set.test(profiles[i % profiles.length], matches);
    }
    long thread = Thread.currentThread().getId();
    int rounds = 100_000;
    long before = mx.getThreadAllocatedBytes(thread);
    for (int i = 0; i < rounds; i++) {
      sum += set.test(profiles[i % profiles.length], matches);
    }
    long allocated = mx.getThreadAllocatedBytes(thread) - before;

    assertThat(sum).isPositive();
    assertThat((double) allocated / rounds)
        .as("bytes allocated per evaluation of 100 conditions (total %d)", allocated)
        .isLessThan(1.0);
    assertThat(Arrays.stream(profiles).mapToInt(p -> set.test(p, matches)).sum()).isPositive();
    assertThat(AttributePath.of("segments.churnSegment").segment(0)).isSameAs("segments");
  }
}
