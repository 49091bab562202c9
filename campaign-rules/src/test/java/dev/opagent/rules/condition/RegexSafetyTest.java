package dev.opagent.rules.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.opagent.rules.LoadResult;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.rules.problem.Problem;
import dev.opagent.rules.spi.Attributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regular expressions run in linear time, over bounded text, and load-time rejection of what
 * cannot.
 */
class RegexSafetyTest {
  private static final ConditionCompiler STRICT = ConditionCompiler.ofDefaults();
  private static final ConditionCompiler LENIENT =
      ConditionCompiler.builder().mode(ConditionMode.LENIENT).build();

  private static Attributes attrs(String key, Object value) {
    return MapAttributes.of(Map.of(key, value));
  }

  @Test
  void test_catastrophicBacktrackingPattern_finishesQuickly() {
    Condition c = STRICT.compile("{\"email\": {\"$regex\": \".*.*.*.*=.*\"}}");
    Condition ci = STRICT.compile("{\"email\": {\"$regexi\": \"a*a*a*a*a*a*b\"}}");
    String hostile = "a".repeat(100) + "!";
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          for (int i = 0; i < 20; i++) {
            assertThat(c.test(attrs("email", hostile))).isFalse();
            assertThat(ci.test(attrs("email", hostile))).isFalse();
          }
        });
    assertThat(c.test(attrs("email", "a=b"))).isTrue();
  }

  @Test
  void test_textLongerThanTheCap_neverMakesTheConditionHold() {
    String longText = "x".repeat(ConditionCompiler.MAX_REGEX_INPUT_LENGTH + 1);
    String atCap = "x".repeat(ConditionCompiler.MAX_REGEX_INPUT_LENGTH);
    Condition matches = STRICT.compile("{\"v\": {\"$regex\": \"x\"}}");
    Condition negated = STRICT.compile("{\"v\": {\"$not\": {\"$regex\": \"y\"}}}");
    Condition nor = STRICT.compile("{\"$nor\": [{\"v\": {\"$regex\": \"y\"}}]}");
    Condition notDoc = STRICT.compile("{\"$not\": {\"v\": {\"$regexi\": \"y\"}}}");
    Condition doubleNot = STRICT.compile("{\"$not\": {\"v\": {\"$not\": {\"$regex\": \"x\"}}}}");
    assertThat(matches.test(attrs("v", atCap))).isTrue();
    assertThat(negated.test(attrs("v", atCap))).isTrue();
    assertThat(matches.test(attrs("v", longText))).isFalse();
    assertThat(negated.test(attrs("v", longText))).isFalse();
    assertThat(nor.test(attrs("v", longText))).isFalse();
    assertThat(notDoc.test(attrs("v", longText))).isFalse();
    assertThat(doubleNot.test(attrs("v", longText))).isFalse();
    assertThat(matches.explain(attrs("v", longText)))
        .get()
        .extracting(Failure::message)
        .asString()
        .contains("longer than");
  }

  @Test
  void load_patternTheLinearEngineCannotRun_isRejectedNamingRuleFieldAndFix() {
    String file =
        "{\"rules\": [{\"rule_id\": \"vip\", \"conditions\": {\"email\":"
            + " {\"$regex\": \"^(a)\\\\1$\"}}, \"actions\": [{\"type\": \"send_email\"}]},"
            + " {\"rule_id\": \"look\", \"conditions\": {\"name\": {\"$regexi\": \"(?=x)y\"}},"
            + " \"actions\": [{\"type\": \"send_email\"}]}]}";
    for (ConditionMode mode : ConditionMode.values()) {
      LoadResult result =
          RuleSetLoader.builder()
              .conditionMode(mode)
              .build()
              .validate(RuleSource.string("t", file));
      assertThat(result).isInstanceOf(LoadResult.Invalid.class);
      List<Problem> errors = ((LoadResult.Invalid) result).errors();
      assertThat(errors)
          .extracting(Problem::pointer)
          .containsExactly("/rules/0/conditions/email/$regex", "/rules/1/conditions/name/$regexi");
      assertThat(errors.get(0).message())
          .contains("rule 'vip'")
          .contains("email")
          .contains("backreference");
      assertThat(errors.get(1).message())
          .contains("rule 'look'")
          .contains("name")
          .contains("lookaround");
    }
  }

  @Test
  void compile_unsupportedPatternInLenientMode_isStillRejected() {
    com.fasterxml.jackson.databind.node.ObjectNode condition =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    condition.putObject("v").put("$regex", "(a)\\1");
    CompileResult r = LENIENT.tryCompile(condition, "");
    assertThat(r).isInstanceOf(CompileResult.Rejected.class);
  }
}
