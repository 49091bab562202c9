package dev.opagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.rules.condition.ConditionMode;
import dev.opagent.rules.problem.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Any input yields a rule set or located errors, never another exception: random text, random edits
 * of the bundled rule file, and random JSON built from the rule-file and operator vocabulary.
 */
class RuleFileFuzzTest {
  private static final Pattern POINTER = Pattern.compile("(/([^/~]|~[01])*)*");
  private static final String DEFAULTS = readDefaults();
  private static final List<String> KEYS =
      List.of(
          "rules",
          "name",
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
          "$and",
          "$or",
          "$nor",
          "$not",
          "$eq",
          "$ne",
          "$gt",
          "$lte",
          "$in",
          "$nin",
          "$ini",
          "$all",
          "$alli",
          "$elemMatch",
          "$size",
          "$regex",
          "$regexi",
          "$type",
          "$exists",
          "$vgt",
          "$veq",
          "$inGroup",
          "$notInGroup",
          "segments.churnSegment",
          "a.b",
          "",
          "a..b",
          "~/",
          "$");

  private static String readDefaults() {
    try (InputStream in =
        RuleFileFuzzTest.class.getClassLoader().getResourceAsStream(RuleSource.DEFAULTS_RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertRuleSetOrLocatedErrors(String text) {
    for (ConditionMode mode : ConditionMode.values()) {
      LoadResult result =
          RuleSetLoader.builder()
              .conditionMode(mode)
              .build()
              .validate(RuleSource.string("fuzz", text));
      if (result instanceof LoadResult.Invalid invalid) {
        assertThat(invalid.errors()).as("an invalid result has errors").isNotEmpty();
        for (Problem p : invalid.problems()) {
          assertThat(p.message()).isNotBlank();
          assertThat(p.line()).isNotNegative();
          assertThat(p.column()).isNotNegative();
          assertThat(POINTER.matcher(p.pointer()).matches()).as(p.pointer()).isTrue();
        }
      } else {
        RuleSet rules = ((LoadResult.Loaded) result).ruleSet();
        assertThat(rules.checksum()).startsWith("sha256:");
        CampaignEvaluator.ofDefaults()
            .evaluate(rules, "C-1", dev.opagent.rules.spi.Attributes.empty());
      }
    }
  }

  @Property(tries = 300)
  void validate_anyText_yieldsRuleSetOrLocatedErrors(@ForAll String text) {
    assertRuleSetOrLocatedErrors(text);
  }

  @Property(tries = 300)
  void validate_randomEditsOfTheBundledFile_yieldRuleSetOrLocatedErrors(
      @ForAll("edits") List<Tuple.Tuple3<Integer, Integer, String>> edits) {
    StringBuilder text = new StringBuilder(DEFAULTS);
    for (Tuple.Tuple3<Integer, Integer, String> edit : edits) {
      int at = Math.floorMod(edit.get1(), text.length() + 1);
      int end = Math.min(text.length(), at + edit.get2());
      text.replace(at, end, edit.get3());
    }
    assertRuleSetOrLocatedErrors(text.toString());
  }

  @Provide
  Arbitrary<List<Tuple.Tuple3<Integer, Integer, String>>> edits() {
    Arbitrary<String> snippets =
        Arbitraries.oneOf(
            Arbitraries.strings().withChars("{}[]\":,.-$0123456789eEtrufalsn \\/\n").ofMaxLength(4),
            Arbitraries.of(KEYS).map(k -> "\"" + k + "\""),
            Arbitraries.of("null", "true", "[]", "{}", "1e999", "-0", "\"\\u0000\"", "\"("));
    return Combinators.combine(
            Arbitraries.integers().between(0, DEFAULTS.length()),
            Arbitraries.integers().between(0, 12),
            snippets)
        .as(Tuple::of)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6);
  }

  @Property(tries = 400)
  void validate_randomJsonFromTheRuleVocabulary_yieldsRuleSetOrLocatedErrors(
      @ForAll("ruleFiles") String text) {
    assertRuleSetOrLocatedErrors(text);
  }

  @Provide
  Arbitrary<String> ruleFiles() {
    return json(4).map(body -> "{\"rules\": [" + body + "]}");
  }

  private Arbitrary<String> json(int depth) {
    Arbitrary<String> scalars =
        Arbitraries.oneOf(
            Arbitraries.of(
                "null",
                "true",
                "false",
                "0",
                "-1",
                "2.5",
                "100",
                "101",
                "1e400",
                "\"\"",
                "\"Riskli\"",
                "\"high\"",
                "\"(\"",
                "\"2026-03-01\"",
                "\"Europe/Istanbul\"",
                "\"PT5M\"",
                "\"send_email\"",
                "\"1.2.3\"",
                "\"string\"",
                "\"g\""));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<String> inner = Arbitraries.lazy(() -> json(depth - 1));
    Arbitrary<String> objects =
        Combinators.combine(Arbitraries.of(KEYS), inner)
            .as((k, v) -> "\"" + k + "\": " + v)
            .list()
            .ofMaxSize(5)
            .map(members -> "{" + String.join(", ", members) + "}");
    Arbitrary<String> arrays =
        inner.list().ofMaxSize(4).map(items -> "[" + String.join(", ", items) + "]");
    return Arbitraries.frequencyOf(Tuple.of(2, scalars), Tuple.of(4, objects), Tuple.of(2, arrays));
  }
}
