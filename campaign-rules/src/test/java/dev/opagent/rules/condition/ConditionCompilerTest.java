package dev.opagent.rules.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.rules.problem.Problem;
import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionCompilerTest {
  private static final ConditionCompiler STRICT = ConditionCompiler.ofDefaults();
  private static final ConditionCompiler LENIENT =
      ConditionCompiler.builder().mode(ConditionMode.LENIENT).build();

  private static Attributes attrs(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return MapAttributes.of(m);
  }

  private static List<Problem> problems(String json) {
    try {
      STRICT.compile(json);
    } catch (InvalidConditionException e) {
      return e.problems();
    }
    throw new AssertionError("expected " + json + " to be rejected");
  }

  @Test
  void compile_seedConditionWithChineseValues_matchesOnlyWhenAllHold() {
    Condition c =
        STRICT.compile(
            "{\"attributes.purchase_stage\": \"决策阶段\","
                + " \"attributes.price_sensitivity\": \"中端价值型\"}");
    Map<String, Object> hostAttrs = Map.of("purchase_stage", "决策阶段", "price_sensitivity", "中端价值型");
    assertThat(c.test(attrs("attributes", hostAttrs))).isTrue();
    assertThat(c.test(attrs("attributes", Map.of("purchase_stage", "决策阶段")))).isFalse();
  }

  @Test
  void compile_unknownOperatorInStrictMode_reportsPointerLineAndColumn() {
    List<Problem> problems = problems("{\n  \"name\": {\"$regx\": \"hello\"}\n}");
    assertThat(problems).hasSize(1);
    Problem p = problems.get(0);
    assertThat(p.pointer()).isEqualTo("/name/$regx");
    assertThat(p.line()).isEqualTo(2);
    assertThat(p.column()).isEqualTo(21);
    assertThat(p.message()).contains("$regx").contains("known:").contains("$regex");
  }

  @Test
  void compile_severalMistakes_reportsEveryOneInDocumentOrder() {
    List<Problem> problems =
        problems(
            "{\"a\": {\"$in\": 1}, \"b\": {\"$regex\": \"(\"},"
                + " \"c\": {\"$exists\": \"yes\"}, \"d\": {\"$type\": \"int\"}, \"e\": {\"$size\": -1},"
                + " \"$bogus\": 1, \"f\": {\"$gt\": [1]}, \"g\": {\"$inGroup\": \"nope\"}}");
    assertThat(problems)
        .extracting(Problem::pointer)
        .containsExactly(
            "/a/$in",
            "/b/$regex",
            "/c/$exists",
            "/d/$type",
            "/e/$size",
            "/$bogus",
            "/f/$gt",
            "/g/$inGroup");
    assertThat(problems).allMatch(p -> p.line() == 1 && p.column() > 1);
    assertThat(problems.get(0).message()).isEqualTo("$in needs an array but was the number 1");
    assertThat(problems.get(1).message()).startsWith("$regex has an invalid regular expression");
    assertThat(problems.get(7).message()).contains("unknown saved group 'nope'");
  }

  @Test
  void compile_mixedOperatorsAndFields_rejectedInStrictComparedLiterallyInLenient() {
    String json = "{\"tags\": {\"$gt\": 1, \"x\": 2}}";
    assertThat(problems(json))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("mixes operators and plain fields"));
    Condition lenient = LENIENT.compile(json);
    assertThat(lenient.test(attrs("tags", Map.of("$gt", 1, "x", 2)))).isTrue();
    assertThat(lenient.test(attrs("tags", 5))).isFalse();
  }

  @Test
  void compile_duplicateKey_rejectedInStrictMode() {
    assertThat(problems("{\"a\": 1,\n \"a\": 2}"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message()).isEqualTo("duplicate key 'a'");
              assertThat(p.line()).isEqualTo(2);
            });
  }

  @Test
  void compile_malformedJson_reportsLocatedSyntaxError() {
    assertThatThrownBy(() -> STRICT.compile("{\"a\": [1, 2}"))
        .isInstanceOf(InvalidConditionException.class)
        .satisfies(
            e -> {
              Problem p = ((InvalidConditionException) e).problems().get(0);
              assertThat(p.message()).startsWith("malformed JSON");
              assertThat(p.line()).isEqualTo(1);
              assertThat(p.column()).isEqualTo(12);
              // no pointer: the keys read so far may be data; the line and column locate the error
              assertThat(p.pointer()).isEmpty();
            });
  }

  @Test
  void compile_emptyPathSegment_rejectedInStrictMode() {
    assertThat(problems("{\"a..b\": 1}"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("empty segments"));
    assertThat(LENIENT.compile("{\"a..b\": null}").test(attrs())).isTrue();
  }

  @Test
  void isAlwaysTrue_emptyAndVacuousConditions_true() {
    assertThat(STRICT.compile("{}").isAlwaysTrue()).isTrue();
    assertThat(STRICT.compile("{\"$and\": []}").isAlwaysTrue()).isTrue();
    assertThat(STRICT.compile("{\"$or\": [{}, {\"a\": 1}]}").isAlwaysTrue()).isTrue();
    assertThat(STRICT.compile("{\"a\": 1}").isAlwaysTrue()).isFalse();
    assertThat(STRICT.compile("{\"$or\": [{\"a\": 1}]}").isAlwaysTrue()).isFalse();
  }

  @Test
  void test_numbersOfDifferentJavaTypes_compareByValue() {
    Condition eq = STRICT.compile("{\"n\": 10}");
    Condition in = STRICT.compile("{\"n\": {\"$in\": [1, 10, 100]}}");
    for (Object n : List.of(10, 10L, 10.0, new BigDecimal("10.00"), (short) 10)) {
      assertThat(eq.test(attrs("n", n))).as("%s %s", n.getClass(), n).isTrue();
      assertThat(in.test(attrs("n", n))).as("%s %s", n.getClass(), n).isTrue();
    }
    assertThat(eq.test(attrs("n", "10"))).isFalse();
    assertThat(in.test(attrs("n", "10"))).isFalse();
  }

  @Test
  void test_missingAttributeInNumericComparison_readsAsZeroLikeGrowthBook() {
    Condition recent = STRICT.compile("{\"derived.daysSinceLastPurchase\": {\"$lt\": 30}}");
    Condition guarded =
        STRICT.compile("{\"derived.daysSinceLastPurchase\": {\"$exists\": true, \"$lt\": 30}}");
    assertThat(recent.test(attrs())).isTrue();
    assertThat(guarded.test(attrs())).isFalse();
    assertThat(guarded.test(attrs("derived", Map.of("daysSinceLastPurchase", 12)))).isTrue();
  }

  @Test
  void test_elemMatchSkipsFalsyElements_likeGrowthBook() {
    Condition c = STRICT.compile("{\"nums\": {\"$elemMatch\": {\"$gte\": 0}}}");
    assertThat(c.test(attrs("nums", List.of(0, -1)))).isFalse();
    assertThat(c.test(attrs("nums", List.of(0, 3)))).isTrue();
  }

  @Test
  void test_elemMatchOverObjects_readsFieldsOfEachElement() {
    Condition c =
        STRICT.compile(
            "{\"segments.missingRegulars\": {\"$elemMatch\":"
                + " {\"category\": \"SKINCARE\", \"daysOverdue\": {\"$gte\": 14}}}}");
    Map<String, Object> regular =
        Map.of("productId", "P-2001", "category", "SKINCARE", "daysOverdue", 24);
    assertThat(c.test(attrs("segments", Map.of("missingRegulars", List.of(regular))))).isTrue();
    assertThat(
            c.test(
                attrs(
                    "segments",
                    Map.of(
                        "missingRegulars",
                        List.of(Map.of("category", "SKINCARE", "daysOverdue", 3))))))
        .isFalse();
  }

  @Test
  void test_objectEquality_ignoresKeyOrder() {
    Condition c = STRICT.compile("{\"o\": {\"a\": 1, \"b\": [true, null]}}");
    Map<String, Object> reversed = new LinkedHashMap<>();
    reversed.put("b", Arrays.asList(true, null));
    reversed.put("a", 1L);
    assertThat(c.test(attrs("o", reversed))).isTrue();
  }

  @Test
  void test_regexOnNumberAndNull_matchesTextOfNumbersOnly() {
    Condition c = STRICT.compile("{\"v\": {\"$regex\": \"^4\\\\d$\"}}");
    assertThat(c.test(attrs("v", 42))).isTrue();
    assertThat(c.test(attrs("v", 42.0))).isTrue();
    assertThat(c.test(attrs("v", 4.5))).isFalse();
    assertThat(c.test(attrs("v", null))).isFalse();
  }

  @Test
  void test_enumAndCharSequenceValues_readAsText() {
    enum Tier {
      Platin,
      Bronz
    }
    Condition c = STRICT.compile("{\"tier\": {\"$in\": [\"Platin\", \"Altın\"]}}");
    assertThat(c.test(attrs("tier", Tier.Platin))).isTrue();
    assertThat(c.test(attrs("tier", Tier.Bronz))).isFalse();
    assertThat(c.test(attrs("tier", new StringBuilder("Altın")))).isTrue();
  }

  @Test
  void test_arrayIndexInPath_readsElement() {
    Condition c = STRICT.compile("{\"items.1.id\": \"b\"}");
    assertThat(c.test(attrs("items", List.of(Map.of("id", "a"), Map.of("id", "b"))))).isTrue();
    assertThat(c.test(attrs("items", List.of(Map.of("id", "a"))))).isFalse();
  }

  @Test
  void test_savedGroupOfCustomerIds_matchesMembers() {
    ConditionCompiler compiler =
        ConditionCompiler.builder().putSavedGroup("vip", List.of("C-1001", "C-1002")).build();
    Condition c = compiler.compile("{\"customerId\": {\"$inGroup\": \"vip\"}}");
    assertThat(c.test(attrs("customerId", "C-1002"))).isTrue();
    assertThat(c.test(attrs("customerId", "C-9999"))).isFalse();
  }

  @Test
  void explain_failedEquality_namesPathOperatorAndActualValue() {
    Condition c = STRICT.compile("{\"segments.churnSegment\": \"Riskli\"}");
    Failure f = c.explain(attrs("segments", Map.of("churnSegment", "Aktif"))).orElseThrow();
    assertThat(f.pointer()).isEqualTo("/segments.churnSegment");
    assertThat(f.path()).isEqualTo("segments.churnSegment");
    assertThat(f.operator()).isEqualTo("$eq");
    assertThat(f.expected().textValue()).isEqualTo("Riskli");
    assertThat(f.actual().textValue()).isEqualTo("Aktif");
    assertThat(f.message()).isEqualTo("segments.churnSegment is \"Aktif\", expected \"Riskli\"");
  }

  @Test
  void explain_absentAttribute_saysAbsentAndOmitsActual() throws Exception {
    Condition c = STRICT.compile("{\"segments.loyaltyTier\": {\"$in\": [\"Platin\", \"Altın\"]}}");
    Failure f = c.explain(attrs("segments", Map.of())).orElseThrow();
    assertThat(f.actual()).isNull();
    assertThat(f.message())
        .isEqualTo("segments.loyaltyTier is absent, expected {\"$in\":[\"Platin\",\"Altın\"]}");
    String json = new ObjectMapper().writeValueAsString(f);
    assertThat(json).doesNotContain("\"actual\"").doesNotContain("causes");
  }

  @Test
  void explain_nullAttribute_reportsJsonNull() throws Exception {
    Condition c = STRICT.compile("{\"a\": {\"$exists\": true}}");
    Failure f = c.explain(attrs("a", null)).orElseThrow();
    assertThat(f.actual().isNull()).isTrue();
    assertThat(new ObjectMapper().writeValueAsString(f)).contains("\"actual\":null");
  }

  @Test
  void explain_severalOperators_namesTheOneThatFailed() {
    Condition c = STRICT.compile("{\"customer.age\": {\"$gte\": 18, \"$lt\": 35}}");
    Failure f = c.explain(attrs("customer", Map.of("age", 40))).orElseThrow();
    assertThat(f.operator()).isEqualTo("$lt");
    assertThat(f.pointer()).isEqualTo("/customer.age/$lt");
    assertThat(f.message()).isEqualTo("customer.age is 40, expected {\"$lt\":35}");
  }

  @Test
  void explain_failedOr_listsEachAlternative() {
    Condition c = STRICT.compile("{\"$or\": [{\"a\": 1}, {\"b\": {\"$gt\": 5}}]}");
    Failure f = c.explain(attrs("a", 2, "b", 3)).orElseThrow();
    assertThat(f.operator()).isEqualTo("$or");
    assertThat(f.causes()).extracting(Failure::pointer).containsExactly("/$or/0/a", "/$or/1/b/$gt");
  }

  @Test
  void explain_nor_pointsAtTheAlternativeThatMatched() {
    Condition c = STRICT.compile("{\"$nor\": [{\"a\": 1}, {\"b\": 2}]}");
    Failure f = c.explain(attrs("a", 0, "b", 2)).orElseThrow();
    assertThat(f.pointer()).isEqualTo("/$nor/1/b");
    assertThat(c.explain(attrs("a", 0, "b", 0))).isEmpty();
  }

  @Test
  void attributePath_emptySegment_rejectedWithMessage() {
    assertThatThrownBy(() -> AttributePath.of("a."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attribute path must not have empty segments but was 'a.'");
    assertThat(AttributePath.of("segments.churnSegment").segments())
        .containsExactly("segments", "churnSegment");
  }
}
