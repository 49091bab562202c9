package dev.opagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.rules.condition.ConditionMode;
import dev.opagent.rules.problem.Problem;
import dev.opagent.rules.spi.ActionTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSetLoaderTest {

  private static List<Problem> errors(LoadResult r) {
    assertThat(r).isInstanceOf(LoadResult.Invalid.class);
    return ((LoadResult.Invalid) r).errors();
  }

  private static LoadResult validate(String json) {
    return RuleSetLoader.ofDefaults().validate(RuleSource.string("test", json));
  }

  @Test
  void defaults_bundledFile_loadsTheSeedCampaignsWithoutWarnings() {
    RuleSet rules = RuleSetLoader.defaults();
    assertThat(rules.ids())
        .containsExactly(
            "retention", "winback", "crosssell", "loyalty", "replenishment", "cart_recovery");
    assertThat(rules.warnings()).isEmpty();
    assertThat(rules.source()).isEqualTo("classpath:" + RuleSource.DEFAULTS_RESOURCE);
    assertThat(rules.checksum()).startsWith("sha256:").hasSize(7 + 64);
    Rule winback = rules.rule("winback").orElseThrow();
    assertThat(winback.priority()).isEqualTo(Rule.HIGH);
    assertThat(winback.actions())
        .extracting(Action::type)
        .containsExactly("send_email", "create_discount");
    assertThat(winback.actions().get(1).parameter("discount")).isEqualTo(0.20);
  }

  @Test
  void load_seed001RuleConfig_readsAllFieldsOfTheSeedFormat() {
    RuleSet rules =
        RuleSetLoader.builder()
            .actionTypes(
                ActionTypes.of("send_email", "create_discount", "send_product_recommendation"))
            .build()
            .load(RuleSource.classpath("rules/seed-001-rules.json"));
    Rule r = rules.rule("rule_001").orElseThrow();
    assertThat(r.name()).isEqualTo("决策阶段用户转化策略");
    assertThat(r.priority()).isEqualTo(Rule.HIGH);
    assertThat(r.enabled()).isTrue();
    assertThat(r.actions()).hasSize(2);
    assertThat(r.actions().get(0).parameters())
        .isEqualTo(Map.of("template", "decision_stage_coupon"));
    assertThat(r.actions().get(1).parameters())
        .isEqualTo(Map.of("discount", 0.15, "expiry_days", 7));
    assertThat(rules.rule("rule_002").orElseThrow().actions().get(0).delay())
        .isEqualTo(Duration.ofMinutes(60));
    assertThat(rules.name()).isEqualTo("classpath:rules/seed-001-rules.json");
  }

  @Test
  void load_allOptionalFields_readsVersionWindowTagsAndHoldout() {
    RuleSet rules =
        RuleSetLoader.ofDefaults()
            .load(
                RuleSource.string(
                    "spring",
                    """
        {"name": "spring", "rules": [{
          "rule_id": "spring_sale", "name": "Spring sale", "description": "d",
          "conditions": {"region.climateType": "Temperate"},
          "actions": [{"type": "send_sms", "delay": "PT2H", "text": "hi"}],
          "priority": 90, "enabled": false, "version": 3,
          "valid_from": "2026-03-01", "valid_until": "2026-04-01T00:00:00+03:00",
          "time_zone": "Europe/Istanbul", "tags": ["seasonal"], "holdout_percentage": 10
        }]}"""));
    Rule r = rules.rule("spring_sale").orElseThrow();
    assertThat(rules.name()).isEqualTo("spring");
    assertThat(r.version()).isEqualTo(3);
    assertThat(r.priority()).isEqualTo(90);
    assertThat(r.enabled()).isFalse();
    assertThat(r.validity().zone()).isEqualTo(ZoneId.of("Europe/Istanbul"));
    assertThat(r.validity().from()).isEqualTo(Instant.parse("2026-02-28T21:00:00Z"));
    assertThat(r.validity().until()).isEqualTo(Instant.parse("2026-03-31T21:00:00Z"));
    assertThat(r.tags()).containsExactly("seasonal");
    assertThat(r.holdout().percentage()).isEqualTo(10);
    assertThat(r.holdout().key()).isEqualTo("rule:spring_sale");
    assertThat(r.actions().get(0).delay()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void validate_manyMistakes_reportsEveryErrorWithPointerLineAndColumn() {
    LoadResult r =
        RuleSetLoader.builder()
            .actionTypes(ActionTypes.of("send_email", "create_discount"))
            .build()
            .validate(
                RuleSource.string(
                    "bad",
                    """
            {"rules": [
              {"rule_id": "winback", "conditions": {"segments.churnSegment": "Riskli"},
               "actions": [{"type": "send_emial"}]},
              {"rule_id": "winback", "conditions": {"segments.x": {"$regx": 1}},
               "actions": [{"type": "send_email"}], "prority": "high"},
              {"rule_id": "bad id!", "conditions": {}, "actions": [], "priority": 500,
               "valid_from": "yesterday", "time_zone": "Mars/Olympus"},
              {"conditions": {"a": 1}}
            ]}"""));
    List<Problem> errors = errors(r);
    assertThat(errors)
        .extracting(Problem::pointer)
        .containsExactly(
            "/rules/0/actions/0/type",
            "/rules/1/rule_id",
            "/rules/1/conditions/segments.x/$regx",
            "/rules/1/prority",
            "/rules/2/rule_id",
            "/rules/2/priority",
            "/rules/2/valid_from",
            "/rules/2/time_zone",
            "/rules/3");
    assertThat(errors.get(0).message())
        .isEqualTo("unknown action type 'send_emial'; known: send_email, create_discount");
    assertThat(errors.get(0).line()).isEqualTo(3);
    assertThat(errors.get(1).message())
        .startsWith("duplicate rule_id 'winback', first defined at" + " /rules/0 (line 2)");
    assertThat(errors.get(1).line()).isEqualTo(4);
    assertThat(errors.get(3).message()).startsWith("unknown field 'prority'; known: rule_id,");
    assertThat(errors.get(8).message()).contains("rule needs a 'rule_id'");
    assertThat(errors).allMatch(p -> p.line() > 0 && p.column() > 0);
  }

  @Test
  void load_invalidFile_throwsWithEveryProblemInTheMessage() {
    assertThatThrownBy(
            () ->
                RuleSetLoader.ofDefaults()
                    .load(
                        RuleSource.string(
                            "x",
                            "[{\"rule_id\": \"a\", \"conditions\": {\"n\": {\"$in\": 3}}, \"actions\": []},"
                                + " {\"rule_id\": \"a\", \"conditions\": {}}]")))
        .isInstanceOf(InvalidRuleSetException.class)
        .hasMessageContaining("invalid rule set string:x: 2 errors")
        .hasMessageContaining("string:x:1:47: /0/conditions/n/$in: rule 'a': $in needs an array")
        .hasMessageContaining("duplicate rule_id 'a'")
        .satisfies(e -> assertThat(((InvalidRuleSetException) e).source()).isEqualTo("string:x"));
  }

  @Test
  void validate_emptyOrAlwaysTrueConditions_loadsWithWarnings() {
    RuleSet rules =
        RuleSetLoader.ofDefaults()
            .load(
                RuleSource.string(
                    "w",
                    """
        [{"rule_id": "everyone", "conditions": {}, "actions": [{"type": "send_email"}]},
         {"rule_id": "vacuous", "conditions": {"$or": [{}, {"a": 1}]},
          "actions": [{"type": "send_email"}]},
         {"rule_id": "silent", "conditions": {"a": 1}}]"""));
    assertThat(rules.warnings())
        .extracting(Problem::pointer, Problem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "/0/conditions", "conditions are empty, so the rule matches every customer"),
            org.assertj.core.groups.Tuple.tuple(
                "/1/conditions", "conditions always hold, so the rule matches every customer"),
            org.assertj.core.groups.Tuple.tuple("/2", "rule has no actions"));
    assertThat(rules.warnings()).allMatch(p -> p.severity() == Problem.Severity.WARNING);
  }

  @Test
  void validate_malformedJson_reportsSyntaxErrorLocation() {
    List<Problem> errors = errors(validate("{\"rules\": [\n  {\"rule_id\": \"a\",,}\n]}"));
    assertThat(errors)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(2);
              assertThat(p.column()).isEqualTo(19);
              assertThat(p.message()).startsWith("malformed JSON:");
            });
  }

  @Test
  void validate_savedGroupsInFile_resolvesInGroup() {
    RuleSet rules =
        RuleSetLoader.builder()
            .putSavedGroup("staff", List.of("C-1"))
            .build()
            .load(
                RuleSource.string(
                    "g",
                    """
            {"saved_groups": {"vip": ["C-1001"]},
             "rules": [{"rule_id": "vip", "conditions": {"customerId": {"$inGroup": "vip"}},
                        "actions": [{"type": "send_email"}]},
                       {"rule_id": "staff", "conditions": {"customerId": {"$notInGroup": "staff"}},
                        "actions": [{"type": "send_email"}]}]}"""));
    assertThat(rules.size()).isEqualTo(2);
    assertThat(
            errors(
                validate(
                    "[{\"rule_id\": \"v\", \"actions\": [],"
                        + " \"conditions\": {\"customerId\": {\"$inGroup\": \"vip\"}}}]")))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message())
                    .isEqualTo("rule 'v': $inGroup unknown saved group 'vip'; known: none"));
  }

  @Test
  void validate_lenientMode_downgradesUnknownFieldsAndEvaluatesUnknownOperatorsAsFalse() {
    LoadResult r =
        RuleSetLoader.builder()
            .conditionMode(ConditionMode.LENIENT)
            .build()
            .validate(
                RuleSource.string(
                    "l",
                    "[{\"rule_id\": \"a\", \"colour\": \"red\","
                        + " \"conditions\": {\"n\": {\"$regx\": 1}}, \"actions\": [{\"type\": \"t\"}]}]"));
    assertThat(r).isInstanceOf(LoadResult.Loaded.class);
    RuleSet rules = ((LoadResult.Loaded) r).ruleSet();
    assertThat(rules.warnings())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("unknown field 'colour'"));
    assertThat(
            rules
                .rule("a")
                .orElseThrow()
                .condition()
                .test(dev.opagent.rules.spi.Attributes.empty()))
        .isFalse();
  }

  @Test
  void validate_sameContent_sameChecksum_differentContent_differentChecksum(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("rules.json");
    String json = "[{\"rule_id\": \"a\", \"conditions\": {\"x\": 1}, \"actions\": []}]";
    Files.writeString(file, json, StandardCharsets.UTF_8);
    RuleSet fromFile = RuleSetLoader.ofDefaults().load(RuleSource.file(file));
    RuleSet fromString = RuleSetLoader.ofDefaults().load(RuleSource.string("s", json));
    RuleSet changed =
        RuleSetLoader.ofDefaults().load(RuleSource.string("s", json.replace("1", "2")));
    assertThat(fromFile.checksum())
        .isEqualTo(fromString.checksum())
        .isNotEqualTo(changed.checksum());
    assertThat(fromFile.source()).isEqualTo("file:" + file);
  }

  @Test
  void validate_missingFileOrResource_isInvalidWithReadProblem(@TempDir Path dir) {
    List<Problem> missingFile =
        errors(RuleSetLoader.ofDefaults().validate(RuleSource.file(dir.resolve("nope.json"))));
    assertThat(missingFile)
        .singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("cannot read file:"));
    List<Problem> missingResource =
        errors(RuleSetLoader.ofDefaults().validate(RuleSource.classpath("nope.json")));
    assertThat(missingResource.get(0).message()).contains("classpath resource not found");
  }

  @Test
  void validate_wrongTopLevelShapes_reportedNotThrown() {
    assertThat(errors(validate("42")).get(0).message())
        .isEqualTo("rule file must be a JSON object or an array of rules but was the number 42");
    assertThat(errors(validate("{}")).get(0).message())
        .isEqualTo("rule file needs a 'rules' array");
    assertThat(errors(validate("{\"rules\": {}}")).get(0).message())
        .isEqualTo("rules must be an array but was an object");
    assertThat(errors(validate("")).get(0).message()).isEqualTo("document is empty");
    assertThat(errors(validate("[] []")).get(0).message())
        .isEqualTo("unexpected content after the end of the document");
  }

  @Test
  void ruleSetOf_duplicateIds_rejected() {
    Rule a = Rule.builder("a").condition("{}").build();
    assertThatThrownBy(() -> RuleSet.of("code", List.of(a, a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate rule id 'a'");
  }

  @Test
  void ruleBuilder_outOfRangeValues_failFastWithSpecificMessages() {
    assertThatThrownBy(() -> Rule.builder("a").condition("{}").priority(101).build())
        .hasMessage("rule priority must be between 0 and 100 but was 101");
    assertThatThrownBy(() -> Rule.builder("a b").condition("{}").build())
        .hasMessage("rule id must match [A-Za-z0-9_.:-]+ but was 'a b'");
    assertThatThrownBy(() -> Rule.builder("a").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("rule 'a' needs a condition");
    assertThatThrownBy(() -> Rule.builder("a").condition("{}").holdoutPercentage(120).build())
        .hasMessage("holdout percentage must be between 0 and 100 but was 120.0");
  }
}
