package dev.opagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.rules.condition.Condition;
import dev.opagent.rules.condition.ConditionCompiler;
import dev.opagent.rules.condition.ConditionMode;
import dev.opagent.rules.condition.InvalidConditionException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile JSON — random structure, wrong types, deep nesting, numbers like 1e999999999, long
 * strings and keys, duplicate keys, NaN tokens, truncated documents — yields a typed result within
 * a time bound: a rule set or located problems, a condition or {@link InvalidConditionException};
 * never a hang or another exception. The bound is generous; only a hang breaks it.
 */
class HostileInputPropertyTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final List<String> RULE_KEYS =
      List.of(
          "rules",
          "name",
          "description",
          "saved_groups",
          "rule_id",
          "conditions",
          "actions",
          "priority",
          "enabled",
          "version",
          "valid_from",
          "valid_until",
          "time_zone",
          "tags",
          "holdout_percentage",
          "trigger",
          "event",
          "within",
          "cancel_on",
          "type",
          "delay_minutes",
          "delay",
          "g");
  private static final List<String> CONDITION_KEYS =
      List.of(
          "$and",
          "$or",
          "$nor",
          "$not",
          "$eq",
          "$ne",
          "$lt",
          "$lte",
          "$gt",
          "$gte",
          "$in",
          "$nin",
          "$ini",
          "$nini",
          "$all",
          "$alli",
          "$elemMatch",
          "$size",
          "$regex",
          "$regexi",
          "$type",
          "$exists",
          "$veq",
          "$vne",
          "$vgt",
          "$vgte",
          "$vlt",
          "$vlte",
          "$inGroup",
          "$notInGroup",
          "a",
          "a.b",
          "segments.churnSegment",
          "",
          "a..b",
          "$");

  @Provide
  Arbitrary<String> ruleFiles() {
    List<String> keys = new java.util.ArrayList<>(RULE_KEYS);
    keys.addAll(CONDITION_KEYS);
    Arbitrary<String> body = HostileJson.value(keys, List.of(), 4);
    return Arbitraries.oneOf(
        HostileJson.documents(keys, List.of(), 4),
        body.list()
            .ofMaxSize(4)
            .map(
                rules ->
                    "{\"saved_groups\": {\"g\": [1, \"a\"]},"
                        + " \"rules\": ["
                        + String.join(", ", rules)
                        + "]}"),
        body.map(rule -> "[" + rule + "]"));
  }

  @Provide
  Arbitrary<String> conditions() {
    return HostileJson.documents(CONDITION_KEYS, List.of(), 5);
  }

  @Property(tries = 600)
  void validate_hostileRuleFile_yieldsRuleSetOrLocatedProblemsInTime(
      @ForAll("ruleFiles") String text) {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          for (ConditionMode mode : ConditionMode.values()) {
            LoadResult r =
                RuleSetLoader.builder()
                    .conditionMode(mode)
                    .build()
                    .validate(RuleSource.string("hostile", text));
            if (r instanceof LoadResult.Invalid invalid) {
              assertThat(invalid.errors()).isNotEmpty();
              assertThat(invalid.problems()).hasSizeLessThanOrEqualTo(400);
            } else {
              RuleSet rules = ((LoadResult.Loaded) r).ruleSet();
              for (dev.opagent.rules.spi.Attributes a : hostileAttributes()) {
                CampaignEvaluator.ofDefaults().evaluate(rules, "C-1", a);
              }
            }
          }
        });
  }

  @Property(tries = 600)
  void compile_hostileCondition_yieldsConditionOrTypedErrorInTime(
      @ForAll("conditions") String text) {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          for (ConditionMode mode : ConditionMode.values()) {
            Condition c;
            try {
              c = ConditionCompiler.builder().mode(mode).build().compile(text);
            } catch (InvalidConditionException e) {
              assertThat(e.problems()).isNotEmpty();
              continue;
            }
            for (dev.opagent.rules.spi.Attributes a : hostileAttributes()) {
              c.test(a);
              c.explain(a);
              c.testDocument(a.get(dev.opagent.rules.spi.AttributePath.of("a")));
            }
          }
        });
  }

  /** Values that make backtracking regular expressions slow, long text, nesting. */
  private static List<dev.opagent.rules.spi.Attributes> hostileAttributes() {
    String slow = "a".repeat(101);
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("a", Map.of("b", "a".repeat(5000) + "!", "c", List.of(slow, 1e300)));
    nested.put("segments", Map.of("churnSegment", slow));
    Map<String, Object> flat = new LinkedHashMap<>();
    flat.put("a", slow);
    flat.put("segments", Map.of("churnSegment", "a".repeat(20_000)));
    return List.of(MapAttributes.of(nested), MapAttributes.of(flat));
  }
}
