package dev.opagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.rules.attributes.JsonNodeAttributes;
import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.rules.spi.Attributes;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rule-set evaluations share explanations; they must read exactly as one rule's evaluation. */
class VerdictMemoTest {
  private static final CampaignEvaluator EVALUATOR =
      CampaignEvaluator.builder()
          .clock(Clock.fixed(Instant.parse("2026-03-15T09:00:00Z"), ZoneOffset.UTC))
          .build();
  private static final RuleSet RULES =
      RuleSetLoader.ofDefaults()
          .load(
              RuleSource.string(
                  "m",
                  """
      [{"rule_id": "eq", "conditions": {"a": 1}, "actions": [{"type": "send_email"}]},
       {"rule_id": "gt", "conditions": {"a": {"$gt": 5}}, "actions": []},
       {"rule_id": "or", "conditions": {"$or": [{"a": "x"}, {"b.c": {"$exists": true}}]},
        "actions": []},
       {"rule_id": "and", "conditions": {"a": {"$ne": 2}, "b": {"$size": 3}}, "actions": []},
       {"rule_id": "obj", "conditions": {"b": {"c": 1, "d": 2}}, "actions": []},
       {"rule_id": "in", "conditions": {"a": {"$in": [1, "1", 1.5]}}, "actions": []}]"""));

  @Test
  void evaluate_valuesOfEveryKindRepeated_verdictsEqualOneRuleAtATime() {
    List<Object> values =
        Arrays.asList(
            1,
            1L,
            1.0,
            -0.0,
            0.0,
            2,
            7,
            "1",
            "x",
            "7",
            true,
            null,
            new BigDecimal("1.0"),
            new BigDecimal("1.00"),
            List.of(),
            List.of(1, 2, 3),
            new ArrayList<>(List.of(1, 2)),
            Map.of(),
            linked("c", 1, "d", 2),
            linked("d", 2, "c", 1),
            linked("c", 2),
            Json.read("1"),
            Json.read("1.0"),
            Json.read("\"x\""),
            Json.read("[]"),
            Json.read("[1,2,3]"),
            Json.read("{\"d\":2,\"c\":1}"),
            Json.read("{\"c\":1,\"d\":2}"),
            Json.read("null"),
            Json.read("{}"),
            Json.read("12345678901"));
    List<Attributes> customers = new ArrayList<>();
    for (Object a : values) {
      for (Object b : values) {
        Map<String, Object> root = new HashMap<>();
        root.put("a", a);
        root.put("b", b);
        customers.add(MapAttributes.of(root));
      }
      customers.add(MapAttributes.of(Map.of()));
      if (a instanceof JsonNode node) {
        customers.add(
            JsonNodeAttributes.of(Json.read("{\"a\": " + node + ", \"b\": " + node + "}")));
      }
    }
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < customers.size(); i++) {
        Attributes c = customers.get(i);
        Eligibility e = EVALUATOR.evaluate(RULES, "C-" + i, c);
        List<Verdict> expected = new ArrayList<>();
        for (Rule r : RULES.rules()) {
          expected.add(EVALUATOR.evaluate(r, "C-" + i, c));
        }
        assertThat(e.details()).as("customer %d", i).isEqualTo(expected);
        assertThat(e.details().toString()).isEqualTo(expected.toString());
        assertThat(Json.write(e.details())).isEqualTo(Json.write(expected));
      }
    }
  }

  @Test
  void evaluate_failingOnFreeTextOrOnLabels_keepsOnlyTheLabelsExplanations() {
    RuleSet rules =
        RuleSetLoader.ofDefaults()
            .load(
                RuleSource.string(
                    "p",
                    """
        [{"rule_id": "mail", "conditions": {"customer.email": {"$regex": "@example\\\\.com$"}},
          "actions": []},
         {"rule_id": "risk", "conditions": {"segments.churnSegment": "Riskli"}, "actions": []}]"""));
    for (int i = 0; i < 10; i++) {
      Attributes c =
          MapAttributes.of(
              Map.of(
                  "customer", Map.of("email", "person" + i + "@mail.test"),
                  "segments", Map.of("churnSegment", "Sadık")));
      Eligibility e = EVALUATOR.evaluate(rules, "C-" + i, c);
      assertThat(e.eligible()).isEmpty();
    }
    VerdictMemo[] memos = rules.memos();
    assertThat(memos[0].size()).as("no e-mail address is kept").isZero();
    assertThat(memos[1].size()).as("one explanation for the one label seen").isEqualTo(1);
  }

  private static Map<String, Object> linked(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static final class Json {
    static JsonNode read(String s) {
      try {
        return Fixtures.MAPPER.readTree(s);
      } catch (Exception e) {
        throw new IllegalArgumentException(e);
      }
    }

    static String write(Object o) {
      try {
        return Fixtures.MAPPER.writeValueAsString(o);
      } catch (Exception e) {
        throw new IllegalArgumentException(e);
      }
    }
  }
}
