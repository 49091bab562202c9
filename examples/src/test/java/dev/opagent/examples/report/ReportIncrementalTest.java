package dev.opagent.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** The experiment and ROI sections show incremental figures beside gross, and P(best). */
class ReportIncrementalTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String ESTIMATE =
      """
      {"state": "estimated", "treated": {"customers": 250, "conversions": 19, "revenue": 1995.59},
       "comparison": {"customers": 31, "conversions": 1, "revenue": 179.61}, "cost": 2.5,
       "treatedConversionRate": 0.076, "comparisonConversionRate": 0.0323,
       "incrementalRevenue": 547.12, "incrementalRevenueCi": [-2444.8, 3539.05],
       "incrementalRoi": 217.8489, "incrementalRoiCi": [-978.9214, 1414.6192]}
      """;

  private static JsonNode summary() throws Exception {
    return MAPPER.readTree(
        """
        {"experiments": [{"campaign": "retention", "experiment": "retention-message",
          "verdict": "B converts 3.01 pts higher than control (9.17% vs 6.15%); the difference is\
         within noise (95% interval −3.60 to +9.62 pts); keep testing.",
          "probabilityBest": {"control": 0.1871, "B": 0.8129},
          "incremental": {"unit": "customer over the run", "vsHoldout": ESTIMATE,
            "vsControl": {"state": "notEnoughData", "treated": {"customers": 1},
              "comparison": {"customers": 0}, "cost": 0.01,
              "reason": "not enough data: each group needs 2 customers; treated has 1,\
         comparison has 0"}}}],
         "roi": {"byCampaign": {"retention": {"revenue": 1995.59, "cost": 2.5, "roi": 797.236}},
                 "overall": {"revenue": 1995.59, "cost": 2.5, "roi": 797.236}},
         "incremental": {"method": "per customer over the run", "overall": {
            "unit": "customer over the run", "vsHoldout": ESTIMATE}}}
        """
            .replace("ESTIMATE", ESTIMATE));
  }

  @Test
  void render_experiment_showsProbabilityBestBesideTheVerdictAndIncrementalRows() throws Exception {
    Document doc = Jsoup.parse(ReportRenderer.create().render(summary()));

    assertThat(doc.select("section#experiments p.verdict").text()).contains("keep testing");
    assertThat(doc.select("section#experiments p.probability").text())
        .startsWith("Probability of being best: control 19%, B 81%");
    assertThat(doc.select("section#experiments table.incremental tbody tr").get(0).text())
        .isEqualTo(
            "global holdout 250 31 7.60% vs 3.23% 547.12 (-2,444.80 … 3,539.05) 2.50"
                + " 217.85 (-978.92 … 1414.62)");
    assertThat(doc.select("section#experiments table.incremental tbody tr").get(1).text())
        .contains("not enough data: each group needs 2 customers");
  }

  @Test
  void render_roi_labelsGrossAndShowsTheOverallIncrementalFigures() throws Exception {
    Document doc = Jsoup.parse(ReportRenderer.create().render(summary()));

    assertThat(doc.select("section#roi table.data thead").first().text()).contains("gross ROI");
    assertThat(doc.select("section#roi table.incremental tbody tr").first().text())
        .contains("547.12 (-2,444.80 … 3,539.05)");
    assertThat(doc.select("section#roi").text()).doesNotContain("NaN");
  }

  @Test
  void render_headline_showsIncrementalRoiWithGrossBesideIt() throws Exception {
    Document doc = Jsoup.parse(ReportRenderer.create().render(summary()));

    String cards = doc.select("section#headline").text();
    assertThat(cards)
        .contains("Incremental ROI 217.85 95% interval -978.92 to 1414.62 · over the holdout")
        .contains("gross ROI 797.24")
        .contains("Gross revenue 1,995.59");
  }
}
