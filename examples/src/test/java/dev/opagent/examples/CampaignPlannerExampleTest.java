package dev.opagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.strategy.EffectPrediction;
import dev.opagent.agent.strategy.StrategyType;
import dev.opagent.segment.ChurnSegment;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.PopulationGenerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignPlannerExampleTest {

  @Test
  void run_winback_targetsExactlyTheAtRiskCustomersWithAHoldout() {
    List<CustomerData> customers =
        PopulationGenerator.builder().seed(3).asOf(Fixtures.SEED_AS_OF).build().list(150);
    ReferenceSegmenter reference = new ReferenceSegmenter(Fixtures.seedClock());
    List<String> atRisk = new ArrayList<>();
    customers.stream()
        .filter(c -> reference.analyze(c).churnSegment() == ChurnSegment.AT_RISK)
        .forEach(c -> atRisk.add(c.customerId()));
    Output out = new Output();

    CampaignPlannerExample.TargetedCampaign campaign =
        CampaignPlannerExample.run(StrategyType.WINBACK, customers, out.stream);

    assertThat(campaign.proposal().id()).isEqualTo("winback_at_risk");
    assertThat(campaign.proposal().audience().customers()).isEqualTo(atRisk.size());
    EffectPrediction p = campaign.proposal().prediction();
    assertThat(p.conversionRateLow()).isLessThan(p.conversionRate());
    assertThat(p.conversionRateHigh()).isGreaterThan(p.conversionRate());
    assertThat(p.roiLow()).isLessThan(p.roi());
    assertThat(campaign.rules().ids()).containsExactly("strategy.winback_at_risk");
    assertThat(campaign.ruleJson()).contains("\"holdout_percentage\" : 10.0");
    List<String> matched = new ArrayList<>(campaign.targets());
    matched.addAll(campaign.control());
    assertThat(matched).containsExactlyInAnyOrderElementsOf(atRisk);
    assertThat(campaign.control()).isNotEmpty().hasSizeLessThan(campaign.targets().size());
    assertThat(out.text())
        .contains("Chosen: winback_at_risk")
        .contains("Targeted campaign strategy.winback_at_risk: " + campaign.targets().size());
  }
}
