package dev.opagent.rules.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.rules.assignment.BucketRange;
import dev.opagent.rules.assignment.Buckets;
import dev.opagent.rules.assignment.Hashing;
import dev.opagent.rules.assignment.Namespace;
import dev.opagent.rules.attributes.JsonNodeAttributes;
import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.rules.condition.Condition;
import dev.opagent.rules.condition.ConditionCompiler;
import dev.opagent.rules.condition.ConditionMode;
import dev.opagent.rules.condition.InvalidConditionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * GrowthBook's cross-SDK vectors: every case of {@code evalCondition}, {@code hash}, {@code
 * getBucketRange}, {@code chooseVariation}, {@code inNamespace} and {@code getEqualWeights} is its
 * own test, named after the case.
 */
class GrowthBookConformanceTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final double EPSILON = 1e-6;

  private static Stream<DynamicTest> cases(
      String section,
      Function<JsonNode, String> name,
      java.util.function.Consumer<JsonNode> check) {
    JsonNode cases = ConformanceFile.load().get(section);
    assertThat(cases).as("section %s", section).isNotNull();
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      JsonNode c = cases.get(i);
      tests.add(
          DynamicTest.dynamicTest(
              section + " #" + i + ": " + name.apply(c), () -> check.accept(c)));
    }
    return tests.stream();
  }

  private static ConditionCompiler compiler(JsonNode c, ConditionMode mode) {
    ConditionCompiler.Builder b = ConditionCompiler.builder().mode(mode);
    if (c.size() > 4 && c.get(4).isObject()) {
      b.putSavedGroups(c.get(4));
    }
    return b.build();
  }

  @TestFactory
  Stream<DynamicTest> evalCondition() {
    return cases(
        "evalCondition",
        c -> c.get(0).asText(),
        c -> {
          Condition condition = compiler(c, ConditionMode.LENIENT).compile(c.get(1));
          boolean expected = c.get(3).booleanValue();
          Map<String, Object> asMap = MAPPER.convertValue(c.get(2), new TypeReference<>() {});

          assertThat(condition.test(JsonNodeAttributes.of(c.get(2))))
              .as("over JsonNode %s", c.get(2))
              .isEqualTo(expected);
          assertThat(condition.test(MapAttributes.of(asMap)))
              .as("over Map %s", asMap)
              .isEqualTo(expected);
          assertThat(condition.explain(JsonNodeAttributes.of(c.get(2))).isEmpty())
              .as("explain agrees with test")
              .isEqualTo(expected);
        });
  }

  @Test
  void evalCondition_strictMode_agreesWithLenientOrRejectsAtCompileTime() {
    JsonNode cases = ConformanceFile.load().get("evalCondition");
    List<String> rejected = new ArrayList<>();
    for (JsonNode c : cases) {
      Condition condition;
      try {
        condition = compiler(c, ConditionMode.STRICT).compile(c.get(1));
      } catch (InvalidConditionException e) {
        assertThat(e.problems()).isNotEmpty();
        rejected.add(c.get(0).asText());
        continue;
      }
      assertThat(condition.test(JsonNodeAttributes.of(c.get(2))))
          .as(c.get(0).asText())
          .isEqualTo(c.get(3).booleanValue());
    }
    assertThat(rejected)
        .containsExactlyInAnyOrder(
            "$groups - match",
            "$groups - no match",
            "$in - not array",
            "$nin - not array",
            "$ini - not array",
            "$nini - not array",
            "unknown operator - pass",
            "$regex invalid - pass",
            "$regex invalid - fail",
            "$inGroup fails for unknown group id",
            "$notInGroup passes for unknown group id");
  }

  @TestFactory
  Stream<DynamicTest> hash() {
    return cases(
        "hash",
        c ->
            "hash(\""
                + c.get(0).asText()
                + "\", \""
                + c.get(1).asText()
                + "\", "
                + c.get(2).asInt()
                + ")",
        c -> {
          OptionalDouble actual =
              Hashing.hash(c.get(0).asText(), c.get(1).asText(), c.get(2).asInt());
          if (c.get(3).isNull()) {
            assertThat(actual).isEmpty();
          } else {
            assertThat(actual).isPresent();
            assertThat(actual.getAsDouble()).isCloseTo(c.get(3).doubleValue(), within(EPSILON));
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> getBucketRange() {
    return cases(
        "getBucketRange",
        c -> c.get(0).asText(),
        c -> {
          JsonNode args = c.get(1);
          List<Double> weights =
              args.get(2).isNull()
                  ? null
                  : MAPPER.convertValue(args.get(2), new TypeReference<List<Double>>() {});
          List<BucketRange> ranges =
              Buckets.bucketRanges(args.get(0).asInt(), args.get(1).asDouble(), weights);
          JsonNode expected = c.get(2);
          assertThat(ranges).hasSize(expected.size());
          for (int i = 0; i < ranges.size(); i++) {
            assertThat(ranges.get(i).start())
                .isCloseTo(expected.get(i).get(0).asDouble(), within(EPSILON));
            assertThat(ranges.get(i).end())
                .isCloseTo(expected.get(i).get(1).asDouble(), within(EPSILON));
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> chooseVariation() {
    return cases(
        "chooseVariation",
        c -> c.get(0).asText(),
        c -> {
          List<BucketRange> ranges = new ArrayList<>();
          for (JsonNode r : c.get(2)) {
            ranges.add(new BucketRange(r.get(0).asDouble(), r.get(1).asDouble()));
          }
          assertThat(Buckets.chooseVariation(c.get(1).asDouble(), ranges))
              .isEqualTo(c.get(3).asInt());
        });
  }

  @TestFactory
  Stream<DynamicTest> inNamespace() {
    return cases(
        "inNamespace",
        c -> c.get(0).asText(),
        c -> {
          JsonNode ns = c.get(2);
          Namespace namespace =
              new Namespace(ns.get(0).asText(), ns.get(1).asDouble(), ns.get(2).asDouble());
          assertThat(namespace.contains(c.get(1).asText())).isEqualTo(c.get(3).booleanValue());
          assertThat(
                  Buckets.inNamespace(
                      c.get(1).asText(),
                      ns.get(0).asText(),
                      ns.get(1).asDouble(),
                      ns.get(2).asDouble()))
              .isEqualTo(c.get(3).booleanValue());
        });
  }

  @TestFactory
  Stream<DynamicTest> getEqualWeights() {
    return cases(
        "getEqualWeights",
        c -> "getEqualWeights(" + c.get(0).asInt() + ")",
        c -> {
          List<Double> weights = Buckets.equalWeights(c.get(0).asInt());
          JsonNode expected = c.get(1);
          assertThat(weights).hasSize(expected.size());
          for (int i = 0; i < weights.size(); i++) {
            assertThat(weights.get(i)).isCloseTo(expected.get(i).asDouble(), within(EPSILON));
          }
        });
  }
}
