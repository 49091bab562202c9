package dev.opagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.engine.ActionStatus;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.examples.AnalysisAgentExample.CustomerInsight;
import dev.opagent.segment.SegmentDistribution.Insight;
import dev.opagent.testkit.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisAgentExampleTest {

  @Test
  void run_seedAndAtRiskCustomers_givesInsightsAndNextBestActionsPerCustomer() {
    Output out = new Output();

    AnalysisAgentExample.BehaviourAnalysis result =
        AnalysisAgentExample.run(
            List.of(
                Fixtures.seedNewCustomer(),
                Fixtures.seedActiveCustomer(),
                OrchestratorExample.atRiskGoldCustomer()),
            out.stream);

    assertThat(result.customers())
        .extracting(CustomerInsight::customerId)
        .containsExactly("C-TEST-001", "C-1001", "C-1002");
    CustomerInsight fresh = result.customers().get(0);
    assertThat(fresh.insights()).singleElement().asString().startsWith("First-order welcome offer");
    assertThat(fresh.nextBestActions()).isEmpty();

    CustomerInsight warm = result.customers().get(1);
    assertThat(warm.segments()).contains("churn Ilık").contains("P-2001 (24 days)");
    assertThat(warm.insights())
        .anyMatch(i -> i.startsWith("Retention nudge"))
        .anyMatch(i -> i.startsWith("Replenishment reminder"));
    assertThat(warm.nextBestActions())
        .extracting(PlannedAction::campaign)
        .containsExactly("retention");

    CustomerInsight atRisk = result.customers().get(2);
    assertThat(atRisk.insights()).anyMatch(i -> i.startsWith("Win back customers at risk"));
    assertThat(atRisk.nextBestActions())
        .extracting(PlannedAction::campaign, PlannedAction::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("winback", ActionStatus.DEFERRED),
            org.assertj.core.groups.Tuple.tuple("retention", ActionStatus.CHOSEN));

    assertThat(result.distribution().analysed()).isEqualTo(3);
    assertThat(result.distribution().insights())
        .extracting(Insight::code)
        .contains(Insight.Code.AT_RISK_SHARE_HIGH); // 1 of 3 is above 30%
    assertThat(out.text()).contains("AT_RISK_SHARE_HIGH: 33.33% of customers are at risk");
  }
}
