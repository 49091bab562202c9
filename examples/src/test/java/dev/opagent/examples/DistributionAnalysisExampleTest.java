package dev.opagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.ChurnSegment;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentDimension;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.PopulationGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistributionAnalysisExampleTest {

  @Test
  void run_population_countsEveryDimensionAndGivesInsightsForEach() {
    List<CustomerData> customers =
        PopulationGenerator.builder().seed(21).asOf(Fixtures.SEED_AS_OF).build().list(200);
    ReferenceSegmenter reference = new ReferenceSegmenter(Fixtures.seedClock());
    List<SegmentAnalysis> expected = customers.stream().map(reference::analyze).toList();
    Output out = new Output();

    DistributionAnalysisExample.DistributionReport report =
        DistributionAnalysisExample.run(customers, out.stream);

    assertThat(report.distribution().analysed()).isEqualTo(200);
    for (ChurnSegment s : List.of(ChurnSegment.ACTIVE, ChurnSegment.WARM, ChurnSegment.AT_RISK)) {
      assertThat(report.distribution().share(SegmentDimension.CHURN, s).count())
          .as(s.wireValue())
          .isEqualTo(expected.stream().filter(a -> a.churnSegment() == s).count());
    }
    assertThat(report.overdueRegulars())
        .isEqualTo(expected.stream().filter(SegmentAnalysis::hasMissingRegulars).count());
    assertThat(report.insights()).containsOnlyKeys(SegmentDimension.values());
    assertThat(report.insights())
        .allSatisfy((dim, list) -> assertThat(list).as(dim.field()).isNotEmpty());
    assertThat(report.insights().get(SegmentDimension.VALUE))
        .anyMatch(i -> i.endsWith("(HIGH_VALUE_SHARE)"));
    assertThat(report.insights().get(SegmentDimension.LOYALTY))
        .anyMatch(i -> i.endsWith("(PREMIUM_TIER_SHARE)"));
    assertThat(report.insights().get(SegmentDimension.DIVERSITY))
        .singleElement()
        .asString()
        .startsWith(
            report
                    .distribution()
                    .shares(SegmentDimension.DIVERSITY)
                    .get("Kaşif")
                    .percentage()
                    .toPlainString()
                + "% are explorers");
    assertThat(out.text()).contains("churnSegment").contains("→ retention offers");
  }
}
