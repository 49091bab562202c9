package dev.opagent.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.strategy.StrategyTemplates;
import dev.opagent.rules.InvalidRuleSetException;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same mistake in a rule file, a decision-policy file and a template-library file is reported
 * in one shape, {@code file:line:column: what is wrong}, naming the file and the position of the
 * mistake; mistakes of the JSON itself (not of the format) read word for word the same.
 */
class JsonFileMistakesTest {
  @TempDir Path dir;

  private static final Pattern LOCATED = Pattern.compile("(?m)^\\s*(\\S+?):(\\d+):(\\d+): (.+)$");

  /** A mistake of the JSON itself, written the same way into each of the three kinds of file. */
  @ParameterizedTest
  @ValueSource(strings = {"trailing comma", "duplicate key", "too deep", "too large"})
  void jsonMistake_inRulesPolicyAndTemplates_sameLocatedMessage(String mistake) throws IOException {
    String json =
        switch (mistake) {
          case "trailing comma" -> "{\n  \"description\": \"x\",\n}";
          case "duplicate key" -> "{\n  \"description\": \"a\",\n  \"description\": \"b\"\n}";
          case "too deep" -> "{\n  \"description\": " + "[".repeat(300) + "]".repeat(300) + "\n}";
          case "too large" -> "{\n  \"description\": \"" + "x".repeat(4 * 1024 * 1024) + "\"\n}";
          default -> throw new IllegalArgumentException(mistake);
        };
    String about =
        switch (mistake) {
          case "trailing comma" -> "malformed JSON";
          case "duplicate key" -> "duplicate key";
          case "too deep" -> "deeper than";
          default -> "split it";
        };

    String rules = located(ruleFileError(write("rules.json", json)), "rules.json", about);
    String policy = located(policyFileError(write("policy.json", json)), "policy.json", about);
    String templates =
        located(templateFileError(write("templates.json", json)), "templates.json", about);

    assertThat(rules).as("rule file").isEqualTo(policy).isEqualTo(templates);
    switch (mistake) {
      case "trailing comma" -> assertThat(rules).startsWith("3:1: ");
      case "duplicate key" -> assertThat(rules).startsWith("3:3: ").contains("duplicate key");
      case "too deep" -> assertThat(rules).startsWith("2:").contains("deeper than 200");
      default -> assertThat(rules).startsWith("1:1: ").contains("split it");
    }
  }

  /** A member of the wrong type: the message names the file, the value's line and column. */
  @ParameterizedTest
  @ValueSource(strings = {"rules", "policy", "templates"})
  void wrongType_inEachFile_namesFileLineAndColumn(String kind) throws IOException {
    String message =
        switch (kind) {
          case "rules" ->
              ruleFileError(write("rules.json", "{\n  \"name\": 5,\n  \"rules\": []\n}"));
          case "policy" ->
              policyFileError(write("policy.json", "{\n  \"maxActionsPerCustomer\": \"two\"\n}"));
          default ->
              templateFileError(
                  write("templates.json", "{\n  \"name\": 5,\n  \"templates\": []\n}"));
        };
    int column = kind.equals("policy") ? 28 : 11;

    assertThat(located(message, kind + ".json", "")).startsWith("2:" + column + ": ");
  }

  private Path write(String name, String json) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * The first located line of {@code message} that names {@code fileName} and contains {@code
   * about}, without the file name.
   */
  private static String located(String message, String fileName, String about) {
    Matcher m = LOCATED.matcher(message);
    List<String> lines = new java.util.ArrayList<>();
    while (m.find()) {
      if (m.group(1).endsWith(fileName) && m.group(4).contains(about)) {
        lines.add(m.group(2) + ":" + m.group(3) + ": " + m.group(4));
      }
    }
    assertThat(lines)
        .as("located lines naming %s in: %s", fileName, abbreviate(message))
        .isNotEmpty();
    return lines.get(0);
  }

  private static String abbreviate(String s) {
    return s.length() > 500 ? s.substring(0, 500) + "…" : s;
  }

  private static String ruleFileError(Path file) {
    Throwable t = catchIt(() -> RuleSetLoader.ofDefaults().load(RuleSource.file(file)));
    assertThat(t).isInstanceOf(InvalidRuleSetException.class);
    return t.getMessage();
  }

  private static String policyFileError(Path file) throws IOException {
    String json = Files.readString(file, StandardCharsets.UTF_8);
    Throwable t = catchIt(() -> DecisionPolicy.fromJson(file.toString(), json));
    assertThat(t).isInstanceOf(InvalidPolicyException.class);
    return t.getMessage();
  }

  private static String templateFileError(Path file) {
    Throwable t = catchIt(() -> StrategyTemplates.load(file));
    assertThat(t).isInstanceOf(IllegalArgumentException.class);
    return t.getMessage();
  }

  private static Throwable catchIt(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }
}
