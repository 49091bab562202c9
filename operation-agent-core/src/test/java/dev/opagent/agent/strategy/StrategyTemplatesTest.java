package dev.opagent.agent.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StrategyTemplatesTest {

  @Test
  void bundled_library_coversEveryStrategyType() {
    StrategyTemplates lib = StrategyTemplates.bundled();
    for (StrategyType type : StrategyType.values()) {
      assertThat(lib.ofType(type)).as(type.name()).isNotEmpty();
    }
    assertThat(lib.template("winback_at_risk"))
        .get()
        .satisfies(
            t -> {
              assertThat(t.plan().discount()).get().extracting(Offer::discount).isEqualTo(0.20);
              assertThat(t.target().source().toString())
                  .isEqualTo("{\"segments.churnSegment\":\"Riskli\"}");
            });
  }

  @Test
  void bundled_library_targetsPurchaseStageAndPriceSensitivity() {
    StrategyTemplates lib = StrategyTemplates.bundled();
    assertThat(lib.templates())
        .anySatisfy(
            t -> assertThat(t.target().source().toString()).contains("attributes.purchase_stage"));
    assertThat(lib.templates())
        .anySatisfy(
            t ->
                assertThat(t.target().source().toString())
                    .contains("attributes.price_sensitivity"));
  }

  @Test
  void parse_invalidLibrary_listsEveryProblemWithItsPointer() {
    String json =
        """
        {"templates": [
          {"id": "a", "type": "UPSELL", "name": "A", "target": {"segments.churnSegment": {"$inn": [1]}},
           "plan": {"actions": [{"type": "send_email"}], "offer": {"discount": 1.5, "expiry_days": 0}},
           "prior": {"alpha": 0, "beta": 2}, "colour": "red",
           "economics": {"average_order_value": 0, "cost_per_contact": 0, "fixed_cost": 0}},
          {"id": "b c", "type": "WINBACK", "name": "B", "target": {}, "priority": "urgent",
           "plan": {"actions": [{"type": "send_email", "channel": "email", "delay_minutes": -5}]},
           "prior": {"alpha": 1, "beta": 1}, "holdout_percentage": 100,
           "economics": {"average_order_value": 10, "cost_per_contact": 0, "fixed_cost": 0}}
        ]}""";
    assertThatThrownBy(() -> StrategyTemplates.parse("test", json))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(
            e ->
                assertThat(
                        Arrays.stream(e.getMessage().split("\n  "))
                            .map(m -> m.replaceFirst("^test:\\d+:\\d+: ", ""))
                            .toList())
                    .anyMatch(m -> m.contains("/templates/0/type: must be one of"))
                    .anyMatch(m -> m.contains("/templates/0/target/segments.churnSegment"))
                    .anyMatch(m -> m.startsWith("/templates/0/plan/actions/0: needs 'channel'"))
                    .anyMatch(m -> m.startsWith("/templates/0/plan/offer/discount:"))
                    .anyMatch(m -> m.startsWith("/templates/0/plan/offer/expiry_days:"))
                    .anyMatch(
                        m -> m.startsWith("/templates/0/prior/alpha: must be a positive number"))
                    .anyMatch(m -> m.startsWith("/templates/0/colour: unknown field"))
                    .anyMatch(m -> m.startsWith("/templates/0/economics/average_order_value:"))
                    .anyMatch(m -> m.startsWith("/templates/1/id:"))
                    .anyMatch(m -> m.startsWith("/templates/1/priority:"))
                    .anyMatch(m -> m.startsWith("/templates/1/plan/actions/0/delay_minutes:"))
                    .anyMatch(m -> m.startsWith("/templates/1/holdout_percentage:"))
                    .anyMatch(
                        m ->
                            m.startsWith(
                                "/templates/1/economics: cost_per_contact and fixed_cost")));
  }

  @Test
  void parse_duplicateIds_isRejected() {
    String t =
        """
        {"id": "x", "type": "RETENTION", "name": "X", "target": {"segments.churnSegment": "Ilık"},
         "plan": {"actions": [{"type": "send_email", "channel": "email"}]},
         "prior": {"alpha": 1, "beta": 9},
         "economics": {"average_order_value": 10, "cost_per_contact": 0.01, "fixed_cost": 0}}""";
    assertThatThrownBy(
            () -> StrategyTemplates.parse("dup", "{\"templates\": [" + t + "," + t + "]}"))
        .hasMessageContaining("/templates/1/id: duplicate template id 'x'");
  }

  @Test
  void parse_malformedJson_reportsLineNotContent() {
    assertThatThrownBy(
            () -> StrategyTemplates.parse("bad", "{\"templates\": [ {\"id\": \"secret-value\" "))
        .hasMessageContaining("bad:1:39: malformed JSON")
        .hasMessageNotContaining("secret-value");
  }
}
