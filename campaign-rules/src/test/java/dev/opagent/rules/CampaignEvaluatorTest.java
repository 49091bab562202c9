package dev.opagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.rules.assignment.Holdout;
import dev.opagent.rules.attributes.CustomerView;
import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.rules.condition.Failure;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CampaignEvaluatorTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-15T09:00:00Z"), ZoneOffset.UTC);
  private static final CampaignEvaluator EVALUATOR =
      CampaignEvaluator.builder().clock(CLOCK).build();
  private static final RuleSet DEFAULTS = RuleSetLoader.defaults();

  @Test
  void evaluate_seedCustomerC1001_eligibleForRetentionAndReplenishment() {
    CustomerView c1001 = CustomerView.fromWire(Fixtures.c1001(), Fixtures.AS_OF);
    Eligibility e = EVALUATOR.evaluate(DEFAULTS, c1001.customerId(), c1001);
    assertThat(e.customerId()).isEqualTo("C-1001");
    assertThat(e.eligible()).containsExactly("retention", "replenishment");
    assertThat(e.details())
        .extracting(Verdict::ruleId)
        .containsExactly(
            "retention", "winback", "crosssell", "loyalty", "replenishment", "cart_recovery");
  }

  @Test
  void evaluate_seedEligibilityTable_matchesTheSeedsPythonChecks() {
    record Case(Map<String, Object> analysis, List<String> eligible) {}
    List<Case> cases =
        List.of(
            new Case(
                Map.of("churnSegment", "Riskli", "missingRegulars", List.of()),
                List.of("retention", "winback")),
            new Case(
                Map.of(
                    "churnSegment", "Aktif", "loyaltyTier", "Platin", "missingRegulars", List.of()),
                List.of("loyalty")),
            new Case(
                Map.of(
                    "churnSegment",
                    "Aktif",
                    "loyaltyTier",
                    "Altın",
                    "diversityProfile",
                    "Kaşif",
                    "missingRegulars",
                    List.of()),
                List.of("crosssell", "loyalty")),
            new Case(
                Map.of(
                    "churnSegment",
                    "Kayıp",
                    "loyaltyTier",
                    "Bronz",
                    "diversityProfile",
                    "Dengeli",
                    "missingRegulars",
                    List.of()),
                List.of()),
            new Case(
                Map.of("churnSegment", "Yeni", "loyaltyTier", "Gümüş"), List.of("replenishment")));
    for (int i = 0; i < cases.size(); i++) {
      CustomerView view = Fixtures.customer("C-" + i, cases.get(i).analysis());
      assertThat(EVALUATOR.evaluate(DEFAULTS, view.customerId(), view).eligible())
          .as("case %d %s", i, cases.get(i).analysis())
          .containsExactlyElementsOf(cases.get(i).eligible());
    }
  }

  @Test
  void evaluate_seed001Rule_matchesDecisionStageHostAttributes() {
    RuleSet seed001 =
        RuleSetLoader.ofDefaults().load(RuleSource.classpath("rules/seed-001-rules.json"));
    CustomerView view =
        CustomerView.builder()
            .customerData(Fixtures.c1001().get("customerData"))
            .putAttribute("purchase_stage", "决策阶段")
            .putAttribute("price_sensitivity", "中端价值型")
            .putAttribute("engagement_level", "深度研究")
            .asOf(Fixtures.AS_OF)
            .build();
    Eligibility e = EVALUATOR.evaluate(seed001, view.customerId(), view);
    assertThat(e.eligible()).containsExactly("rule_001");
    Verdict.Eligible v = (Verdict.Eligible) e.verdict("rule_001").orElseThrow();
    assertThat(v.actions())
        .extracting(Action::type)
        .containsExactly("send_email", "create_discount");
    Verdict.Ineligible browse = (Verdict.Ineligible) e.verdict("rule_002").orElseThrow();
    assertThat(browse.reason().actual().textValue()).isEqualTo("决策阶段");
  }

  @Test
  void evaluate_ineligibleRule_reasonNamesFailingSubConditionAndActualValue() {
    CustomerView c1001 = CustomerView.fromWire(Fixtures.c1001(), Fixtures.AS_OF);
    Eligibility e = EVALUATOR.evaluate(DEFAULTS, c1001.customerId(), c1001);
    Failure loyalty = ((Verdict.Ineligible) e.verdict("loyalty").orElseThrow()).reason();
    assertThat(loyalty.pointer()).isEqualTo("/rules/2/conditions/segments.loyaltyTier/$in");
    assertThat(loyalty.path()).isEqualTo("segments.loyaltyTier");
    assertThat(loyalty.actual().textValue()).isEqualTo("Gümüş");
    assertThat(loyalty.message())
        .isEqualTo("segments.loyaltyTier is \"Gümüş\", expected {\"$in\":[\"Platin\",\"Altın\"]}");
    Failure winback = ((Verdict.Ineligible) e.verdict("winback").orElseThrow()).reason();
    assertThat(winback.message())
        .isEqualTo("segments.churnSegment is \"Ilık\", expected \"Riskli\"");
  }

  @Test
  void evaluate_eligibility_serialisesToTheCommandLineLineShape() throws Exception {
    CustomerView c1001 = CustomerView.fromWire(Fixtures.c1001(), Fixtures.AS_OF);
    JsonNode json = Fixtures.MAPPER.valueToTree(EVALUATOR.evaluate(DEFAULTS, "C-1001", c1001));
    assertThat(json.get("customerId").asText()).isEqualTo("C-1001");
    assertThat(json.get("eligible").toString()).isEqualTo("[\"retention\",\"replenishment\"]");
    JsonNode first = json.get("details").get(0);
    assertThat(first.get("status").asText()).isEqualTo("eligible");
    assertThat(first.get("ruleId").asText()).isEqualTo("retention");
    assertThat(first.get("actions").get(0).get("type").asText()).isEqualTo("send_email");
    assertThat(first.get("actions").get(0).get("delayMinutes").asLong()).isZero();
    assertThat(first.get("actions").get(0).get("parameters").get("template").asText())
        .isEqualTo("retention_offer");
    JsonNode winback = json.get("details").get(1);
    assertThat(winback.get("status").asText()).isEqualTo("ineligible");
    assertThat(winback.get("reason").get("actual").asText()).isEqualTo("Ilık");
    Eligibility back = Fixtures.MAPPER.treeToValue(json, Eligibility.class);
    assertThat(back.eligible()).containsExactly("retention", "replenishment");
    assertThat(back.details().get(1)).isInstanceOf(Verdict.Ineligible.class);
  }

  @Test
  void evaluate_validityWindow_inactiveBeforeAndAfterInRuleTimeZone() {
    RuleSet rules =
        RuleSetLoader.ofDefaults()
            .load(
                RuleSource.string(
                    "w",
                    """
        [{"rule_id": "march", "conditions": {}, "actions": [{"type": "send_email"}],
          "valid_from": "2026-03-01", "valid_until": "2026-04-01", "time_zone": "Europe/Istanbul"},
         {"rule_id": "off", "conditions": {}, "actions": [], "enabled": false}]"""));
    Rule march = rules.rule("march").orElseThrow();
    var attributes = MapAttributes.of(Map.of());
    // 2026-02-28T21:30Z is already March 1st, 00:30 in Istanbul (UTC+3)
    assertThat(at("2026-02-28T20:59:59Z").evaluate(march, "C", attributes))
        .isInstanceOfSatisfying(
            Verdict.Inactive.class,
            v -> assertThat(v.cause()).isEqualTo(Verdict.InactiveCause.NOT_YET_VALID));
    assertThat(at("2026-02-28T21:30:00Z").evaluate(march, "C", attributes).isEligible()).isTrue();
    assertThat(at("2026-03-31T21:00:00Z").evaluate(march, "C", attributes))
        .isInstanceOfSatisfying(
            Verdict.Inactive.class,
            v -> assertThat(v.cause()).isEqualTo(Verdict.InactiveCause.EXPIRED));
    assertThat(EVALUATOR.evaluate(rules.rule("off").orElseThrow(), "C", attributes))
        .isInstanceOfSatisfying(
            Verdict.Inactive.class,
            v -> assertThat(v.cause()).isEqualTo(Verdict.InactiveCause.DISABLED));
  }

  private static CampaignEvaluator at(String instant) {
    return CampaignEvaluator.builder()
        .clock(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC))
        .build();
  }

  @Test
  void evaluate_ruleHoldout_holdsOutAStableShareOfMatchingCustomers() {
    RuleSet rules =
        RuleSet.of(
            "h",
            List.of(
                Rule.builder("winback")
                    .condition("{\"segments.churnSegment\": \"Riskli\"}")
                    .holdoutPercentage(20)
                    .build()));
    var riskli = MapAttributes.of(Map.of("segments", Map.of("churnSegment", "Riskli")));
    List<String> heldOut = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      Verdict v = EVALUATOR.evaluate(rules, "C-" + i, riskli).details().get(0);
      if (v instanceof Verdict.HeldOut h) {
        assertThat(h.holdout()).isEqualTo("rule:winback");
        assertThat(h.bucket()).isLessThan(0.2);
        heldOut.add("C-" + i);
      } else {
        assertThat(v).isInstanceOf(Verdict.Eligible.class);
      }
    }
    assertThat(heldOut.size()).isBetween(900, 1100);
    List<String> again = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      if (EVALUATOR.evaluate(rules, "C-" + i, riskli).details().get(0) instanceof Verdict.HeldOut) {
        again.add("C-" + i);
      }
    }
    assertThat(again).isEqualTo(heldOut);
  }

  @Test
  void evaluate_globalControlGroup_holdsOutTheSameCustomersFromEveryCampaign() {
    CampaignEvaluator withControl =
        CampaignEvaluator.builder()
            .clock(CLOCK)
            .globalControlGroup(Holdout.of("global-2026", 10))
            .build();
    var everyone =
        MapAttributes.of(
            Map.of(
                "segments",
                Map.of(
                    "churnSegment",
                    "Riskli",
                    "loyaltyTier",
                    "Platin",
                    "diversityProfile",
                    "Kaşif",
                    "missingRegulars",
                    List.of(1))));
    int controlled = 0;
    for (int i = 0; i < 2000; i++) {
      Eligibility e = withControl.evaluate(DEFAULTS, "C-" + i, everyone);
      boolean inControl = Holdout.of("global-2026", 10).contains("C-" + i);
      if (inControl) {
        controlled++;
        assertThat(e.eligible()).isEmpty();
        assertThat(e.details())
            .filteredOn(v -> !v.ruleId().equals("cart_recovery"))
            .allSatisfy(
                v ->
                    assertThat(v)
                        .isInstanceOfSatisfying(
                            Verdict.HeldOut.class,
                            h -> assertThat(h.holdout()).isEqualTo("global-2026")));
        // Rounds never run the triggered campaign; its event holds the same customers out.
        assertThat(e.verdict("cart_recovery").orElseThrow()).isInstanceOf(Verdict.Inactive.class);
        assertThat(
                withControl
                    .evaluateEvent(DEFAULTS, "C-" + i, everyone, "cart_abandoned", Instant.now())
                    .verdict("cart_recovery")
                    .orElseThrow())
            .isInstanceOf(Verdict.HeldOut.class);
      } else {
        assertThat(e.eligible()).hasSize(5);
      }
    }
    assertThat(controlled).isBetween(150, 250);
  }

  @Test
  void target_streamOfCustomers_countsTargetsHeldOutAndIneligible() {
    RuleSet rules =
        RuleSet.of(
            "t",
            List.of(
                Rule.builder("winback")
                    .condition("{\"segments.churnSegment\": \"Riskli\"}")
                    .holdoutPercentage(50)
                    .build()));
    Stream<Candidate> candidates =
        IntStream.range(0, 1000)
            .mapToObj(
                i ->
                    new Candidate(
                        "C-" + i,
                        MapAttributes.of(
                            Map.of(
                                "segments",
                                Map.of("churnSegment", i % 2 == 0 ? "Riskli" : "Aktif")))));
    Targeting t = EVALUATOR.target(rules, "winback", candidates);
    assertThat(t.campaign()).isEqualTo("winback");
    assertThat(t.evaluated()).isEqualTo(1000);
    assertThat(t.ineligibleCount()).isEqualTo(500);
    assertThat(t.targetCount() + t.heldOutCount()).isEqualTo(500);
    assertThat(t.heldOutCount()).isBetween(200L, 300L);
    assertThat(t.targets())
        .hasSize((int) t.targetCount())
        .allMatch(id -> Integer.parseInt(id.substring(2)) % 2 == 0);
    assertThat(t.ruleSetChecksum()).isEqualTo(rules.checksum());
  }

  @Test
  void target_seedCustomers_createTargetedCampaignLikeSeed000() {
    List<Candidate> customers =
        List.of(
            candidate(Fixtures.customer("C-1", Map.of("churnSegment", "Riskli"))),
            candidate(Fixtures.customer("C-2", Map.of("churnSegment", "Aktif"))),
            candidate(Fixtures.customer("C-3", Map.of("churnSegment", "Riskli"))));
    Targeting t = EVALUATOR.target(DEFAULTS, "winback", customers);
    assertThat(t.targets()).containsExactly("C-1", "C-3");
    assertThat(t.targetCount()).isEqualTo(2);
    assertThat(t.ineligibleCount()).isEqualTo(1);
  }

  private static Candidate candidate(CustomerView view) {
    return new Candidate(view.customerId(), view);
  }

  @Test
  void target_unknownCampaign_failsListingKnownIds() {
    assertThatThrownBy(() -> EVALUATOR.target(DEFAULTS, "winbak", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "has no rule 'winbak'; it has: retention, winback, crosssell,"
                + " loyalty, replenishment, cart_recovery");
  }

  @Test
  void isEligible_agreesWithEvaluate() {
    CustomerView c1001 = CustomerView.fromWire(Fixtures.c1001(), Fixtures.AS_OF);
    for (Rule r : DEFAULTS.rules()) {
      assertThat(EVALUATOR.isEligible(r, "C-1001", c1001))
          .isEqualTo(EVALUATOR.evaluate(r, "C-1001", c1001).isEligible());
    }
  }
}
