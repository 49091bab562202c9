package dev.opagent.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class ReportRendererTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ReportRenderer RENDERER = ReportRenderer.create();
  private static final List<String> SECTIONS =
      List.of(
          "headline",
          "segmentation",
          "insights",
          "distribution",
          "eligibility",
          "decisions",
          "metrics",
          "experiments",
          "bandit",
          "roi",
          "rounds");

  static JsonNode sample() throws IOException {
    try (InputStream in = ReportRendererTest.class.getResourceAsStream("sample-summary.json")) {
      return MAPPER.readTree(in);
    }
  }

  private static JsonNode data(Document doc) throws IOException {
    Element data = doc.getElementById("opagent-data");
    assertThat(data).isNotNull();
    assertThat(data.attr("type")).isEqualTo("application/json");
    return MAPPER.readTree(data.data());
  }

  private static List<JsonNode> chartsInSection(Document doc, JsonNode data, String section) {
    List<JsonNode> out = new ArrayList<>();
    for (Element canvas : doc.select("section#" + section + " canvas")) {
      for (JsonNode spec : data.get("charts")) {
        if (spec.get("id").asText().equals(canvas.id())) {
          out.add(spec.get("config"));
        }
      }
    }
    return out;
  }

  private static List<String> labels(JsonNode config) {
    List<String> out = new ArrayList<>();
    config.at("/data/labels").forEach(l -> out.add(l.asText()));
    return out;
  }

  @Test
  void render_sample_drawsEveryChartFromEmbeddedJson() throws IOException {
    Document doc = Jsoup.parse(RENDERER.render(sample()));
    JsonNode data = data(doc);

    assertThat(doc.select("main > section").eachAttr("id")).containsExactlyElementsOf(SECTIONS);
    assertThat(doc.select("p.na")).isEmpty();
    assertThat(doc.select("canvas").eachAttr("id"))
        .containsExactlyElementsOf(data.get("charts").findValuesAsText("id"));
    assertThat(chartsInSection(doc, data, "distribution")).hasSize(6);
    JsonNode churn = chartsInSection(doc, data, "distribution").get(1);
    assertThat(labels(churn))
        .containsExactly(
            "Aktif (active)", "Ilık (warm)", "Riskli (at risk)", "Kayıp (lost)", "Yeni (new)");
    assertThat(churn.at("/data/datasets/0/data/2").asDouble()).isEqualTo(401);
    assertThat(churn.at("/data/datasets/0/notes/2").asText()).isEqualTo("20.15% of the analysed");

    JsonNode eligibility = chartsInSection(doc, data, "eligibility").get(0);
    assertThat(labels(eligibility))
        .containsExactly("crosssell", "loyalty", "replenishment", "retention", "winback");
    JsonNode actions = chartsInSection(doc, data, "decisions").get(0);
    assertThat(labels(actions))
        .startsWith(ReasonLabels.label("RUN_CAP_TOTAL"), ReasonLabels.label("CONSENT_MISSING"));
    assertThat(actions.at("/data/datasets/0/data/0").asDouble()).isEqualTo(742);
    assertThat(actions.at("/data/datasets/0/notes/0").asText()).isEqualTo("RUN_CAP_TOTAL");

    JsonNode rates = chartsInSection(doc, data, "metrics").get(0);
    assertThat(labels(rates))
        .containsExactly("crosssell", "loyalty", "replenishment", "retention", "winback");
    assertThat(rates.at("/data/datasets/2/data/0").asDouble()).isEqualTo(0.075);
    assertThat(doc.select("section#metrics table.metrics tbody tr").first().select("td").eachText())
        .containsExactly(
            "crosssell",
            "160",
            "70 (43.75%)",
            "22 (13.75%)",
            "0 (0.00%)",
            "12 (7.50%)",
            "4,210.00",
            "655.00");
    assertThat(doc.select("section#metrics table.kv").text()).contains("ATTRIBUTED 1,204");

    // one lift-interval chart per experiment: floating bars [low, high] and the lift as a point
    List<JsonNode> lifts = chartsInSection(doc, data, "experiments");
    assertThat(lifts).hasSize(3);
    assertThat(labels(lifts.get(2))).containsExactly("vip-gift", "vip-points");
    assertThat(lifts.get(2).at("/data/datasets/1/data/1").toString()).isEqualTo("[0.0052,0.0736]");
    assertThat(lifts.get(2).at("/data/datasets/0/data/1").asDouble()).isEqualTo(0.0394);
    assertThat(doc.select("section#experiments table")).hasSize(3);
    assertThat(doc.select("section#experiments p.flag.bad"))
        .singleElement()
        .satisfies(p -> assertThat(p.text()).startsWith("Sample ratio mismatch (p < 0.001)"));

    List<JsonNode> bandits = chartsInSection(doc, data, "bandit");
    assertThat(bandits).hasSize(2);
    assertThat(bandits.get(1).get("type").asText()).isEqualTo("line");
    assertThat(bandits.get(1).at("/data/datasets").findValuesAsText("label"))
        .containsExactly("control", "vip-gift", "vip-points");
    assertThat(bandits.get(1).at("/data/datasets/2/data/7").asDouble()).isEqualTo(0.63);
    assertThat(bandits.get(1).at("/options/scales/y/stacked").asBoolean()).isTrue();

    assertThat(doc.select("section#roi tr.total").text())
        .isEqualTo("all campaigns 48,210.40 7,320.55 40,889.85 5.59");
    assertThat(chartsInSection(doc, data, "rounds"))
        .singleElement()
        .satisfies(c -> assertThat(labels(c)).hasSize(8));
    assertThat(doc.select(".card .value").eachText()).contains("2,000", "1,990", "1,180", "5.59");
  }

  @Test
  void render_sample_isSelfContained() throws IOException {
    String html = RENDERER.render(sample());
    Document doc = Jsoup.parse(html);

    assertThat(doc.select("[src], link, img, iframe, object, embed")).isEmpty();
    assertThat(doc.select("a[href]").eachAttr("href")).allMatch(h -> h.startsWith("#"));
    assertThat(doc.select("meta[http-equiv=Content-Security-Policy]").attr("content"))
        .startsWith("default-src 'none';");
    List<Element> scripts = doc.select("script");
    assertThat(scripts).hasSize(3);
    assertThat(scripts.get(1).data()).contains("Chart.js v4").doesNotContain("sourceMappingURL");
    assertThat(scripts.get(2).data()).contains("new Chart(");
    assertThat(html.length()).isBetween(200_000, 300_000);
  }

  @Test
  void render_emptySummary_saysNotAvailableInEverySection() throws IOException {
    Document doc = Jsoup.parse(RENDERER.render(MAPPER.readTree("{}")));

    assertThat(doc.select("main > section").eachAttr("id")).containsExactlyElementsOf(SECTIONS);
    for (String id : SECTIONS) {
      assertThat(doc.select("section#" + id + " p.na").text())
          .as(id)
          .contains("not available in this summary");
    }
    assertThat(doc.select("canvas")).isEmpty();
    assertThat(data(doc).get("charts")).isEmpty();
    assertThat(doc.title()).isEqualTo("opagent run report");
  }

  @Test
  void render_membersOfTheWrongType_areTreatedAsMissing() throws IOException {
    JsonNode odd =
        MAPPER.readTree(
            """
        {"customers": "many", "distribution": [1, 2], "eligibility": {"winback": "lots"},
         "decisions": {"executed": 5, "suppressed": "none"}, "experiments": [42, {"ci": [1]}],
         "bandit": [{"rounds": [{"weights": null}]}], "roi": {"byCampaign": []}, "rounds": {}}""");

    Document doc = Jsoup.parse(RENDERER.render(odd));

    assertThat(
            doc.select(
                "section#distribution p.na, section#eligibility p.na,"
                    + " section#bandit p.na, section#roi p.na, section#rounds p.na"))
        .hasSize(5);
    assertThat(doc.select("section#decisions table tbody").text()).isEqualTo("delivered 5 —");
    assertThat(doc.select("section#experiments article")).hasSize(1);
    assertThat(Jsoup.parse(RENDERER.render(MAPPER.readTree("[1, 2]"))).select("p.na"))
        .hasSize(SECTIONS.size());
  }

  @Test
  void render_demoShapedDistribution_readsCountsFromObjects() throws IOException {
    JsonNode summary =
        MAPPER.readTree(
            """
        {"distribution": {"loyaltyTier": {"Platin": {"count": 3, "percentage": 30.0},
                                          "Bronz": {"count": 7, "percentage": 70.0}}},
         "insights": [{"code": "HIGH_VALUE_SHARE", "figures": {},
                       "message": "10% are high value"}]}""");

    Document doc = Jsoup.parse(RENDERER.render(summary));
    JsonNode chart = data(doc).at("/charts/0/config");

    assertThat(labels(chart)).containsExactly("Platin (platinum)", "Bronz (bronze)");
    assertThat(chart.at("/data/datasets/0/data").toString()).isEqualTo("[3.0,7.0]");
    assertThat(doc.select("section#insights li").text()).isEqualTo("10% are high value");
  }

  @Test
  void render_hostileStrings_areEscapedInTheMarkupAndInTheChartData() throws IOException {
    String script = "<script>alert(1)</script>";
    String img = "<img src=x onerror=alert(2)>";
    String close = "</script><script>alert(3)</script>";
    com.fasterxml.jackson.databind.node.ObjectNode summary = MAPPER.createObjectNode();
    summary.put("runId", script);
    summary.putObject("distribution").putObject("churnSegment").put(img, 3).put(close, 1);
    summary.putArray("insights").add(close);
    summary.putObject("eligibility").put("win\"back'", 4);
    summary
        .putArray("experiments")
        .addObject()
        .put("campaign", script)
        .put("verdict", img)
        .putArray("variants")
        .addObject()
        .put("name", close)
        .put("n", 10);

    String html = RENDERER.render(summary);
    Document doc = Jsoup.parse(html);

    assertThat(html).doesNotContain(script).doesNotContain(img).doesNotContain("alert(3)</script>");
    assertThat(doc.select("script")).hasSize(3);
    assertThat(doc.select("img, [onerror]")).isEmpty();
    assertThat(doc.title()).isEqualTo("opagent run report · " + script);
    assertThat(doc.select("section#insights li").text()).isEqualTo(close);
    assertThat(doc.select("section#experiments h3").text()).isEqualTo(script);
    assertThat(doc.select("section#experiments p.verdict").text()).isEqualTo(img);
    assertThat(doc.select("section#experiments td").first().text()).isEqualTo(close);
    String raw = doc.getElementById("opagent-data").data();
    assertThat(raw).doesNotContain("<").doesNotContain(">").contains("\\u003cimg");
    JsonNode data = data(doc);
    assertThat(labels(data.at("/charts/0/config"))).containsExactly(img, close);
    assertThat(labels(data.at("/charts/1/config"))).containsExactly("win\"back'");
  }

  @Test
  void scriptJson_escapesEverythingThatCouldEndTheElement() {
    JsonNode node = MAPPER.createObjectNode().put("k", "</script><!-- & \u2028");

    assertThat(Html.scriptJson(node))
        .isEqualTo("{\"k\":\"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\"}");
  }

  @Test
  void text_escapesMarkupAndQuotes() {
    assertThat(Html.text("<a href=\"x\">'&'</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  }
}
