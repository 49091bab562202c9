package dev.opagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.CustomerViews;
import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.attributes.CustomerView;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.PopulationGenerator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomerContextTest {
  private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();
  private final ReferenceSegmenter segmenter = new ReferenceSegmenter(Fixtures.seedClock());
  private final RuleSet rules = RuleSetLoader.defaults();
  private final CampaignEvaluator evaluator =
      CampaignEvaluator.builder().clock(Fixtures.seedClock()).build();

  @Test
  void views_seedActiveCustomer_matchTheWireJsonView() throws Exception {
    CustomerData data = Fixtures.seedActiveCustomer();
    SegmentAnalysis analysis = segmenter.analyze(data);

    CustomerView typed = CustomerViews.of(data, analysis, Fixtures.SEED_AS_OF);
    CustomerView wire =
        CustomerView.builder()
            .customerData(MAPPER.readTree(data.toJson()))
            .analysis(MAPPER.readTree(analysis.toJson()))
            .asOf(Fixtures.SEED_AS_OF)
            .build();

    assertThat(typed.derived()).isEqualTo(wire.derived());
    assertThat(evaluator.evaluate(rules, "C-1001", typed).eligible())
        .containsExactly("retention", "replenishment");
  }

  @Test
  void views_generatedPopulation_giveTheSameEligibilityAsTheWireJson() throws Exception {
    for (CustomerData data : PopulationGenerator.ofSeed(7).list(300)) {
      SegmentAnalysis analysis = segmenter.analyze(data);
      JsonNode wireData = MAPPER.readTree(data.toJson());
      CustomerView wire =
          CustomerView.builder()
              .customerData(wireData)
              .analysis(MAPPER.readTree(analysis.toJson()))
              .asOf(Fixtures.SEED_AS_OF)
              .build();
      CustomerView typed = CustomerViews.of(data, analysis, Map.of(), Fixtures.SEED_AS_OF);

      assertThat(evaluator.evaluate(rules, data.customerId(), typed))
          .isEqualTo(evaluator.evaluate(rules, data.customerId(), wire));
      assertThat(typed.derived()).isEqualTo(wire.derived());
    }
  }

  @Test
  void views_hostAttributes_areReadableByRules() {
    CustomerView v =
        CustomerViews.of(
            Fixtures.seedNewCustomer(),
            null,
            Map.of("purchase_stage", "决策阶段"),
            Fixtures.SEED_AS_OF);

    assertThat(v.asMap().get("attributes")).isEqualTo(Map.of("purchase_stage", "决策阶段"));
  }

  @Test
  void build_defaults_basketIsAverageOrderValue_valueWeightedBySegment_keyIsChurn() {
    CustomerData data = Fixtures.seedActiveCustomer();
    SegmentAnalysis analysis = segmenter.analyze(data);
    Eligibility e =
        evaluator.evaluate(rules, "C-1001", CustomerViews.of(data, analysis, Fixtures.SEED_AS_OF));

    CustomerContext ctx = CustomerContext.of(data, analysis, e);

    assertThat(ctx.expectedBasket()).isEqualTo(479.20 / 8);
    assertThat(analysis.valueSegment().wireValue()).isEqualTo("LowValue");
    assertThat(ctx.customerValue()).isEqualTo(479.20 / 8 * 0.75);
    assertThat(ctx.segmentKey()).isEqualTo("Ilık");
    assertThat(ctx.consents()).isEmpty();
    assertThat(ctx.zone()).isNull();
  }

  @Test
  void build_newCustomer_basketIsTheRegionsMedian() {
    CustomerData data = Fixtures.seedNewCustomer();
    SegmentAnalysis analysis = segmenter.analyze(data);

    CustomerContext ctx =
        CustomerContext.of(data, analysis, new Eligibility("C-TEST-001", List.of(), List.of()));

    assertThat(ctx.expectedBasket()).isEqualTo(250.0);
    assertThat(ctx.segmentKey()).isEqualTo("Yeni");
  }

  @Test
  void build_withoutData_usesTheDefaultBasket() {
    CustomerContext ctx =
        CustomerContext.builder(new Eligibility("C-1", List.of(), List.of())).build();

    assertThat(ctx.expectedBasket()).isEqualTo(CustomerContext.DEFAULT_BASKET);
    assertThat(ctx.segmentKey()).isEqualTo("unknown");
  }

  @Test
  void customerData_ofAnotherCustomer_isRejectedWithoutPersonalData() {
    assertThatThrownBy(
            () ->
                CustomerContext.builder(new Eligibility("C-1", List.of(), List.of()))
                    .customerData(Fixtures.seedActiveCustomer()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("customer data and eligibility must be of the same customer");
  }
}
