package dev.opagent.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.engine.ReasonCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * The actions, holdout and rounds of a multi-round run as a marketer reads them: sums over rounds
 * say so and stand beside distinct customers, reasons are plain words, money carries its currency
 * and every round says why it delivered what it did.
 */
class ReportDecisionsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ReportRenderer RENDERER = ReportRenderer.create();

  static ObjectNode summary() throws IOException {
    try (InputStream in = ReportDecisionsTest.class.getResourceAsStream("decisions-summary.json")) {
      return (ObjectNode) MAPPER.readTree(in);
    }
  }

  private static Document page(JsonNode summary) {
    return Jsoup.parse(RENDERER.render(summary));
  }

  private static Element card(Document doc, String label) {
    for (Element c : doc.select(".card")) {
      if (c.select(".label").text().equals(label)) {
        return c;
      }
    }
    throw new AssertionError("no card labelled " + label + " in " + doc.select(".card .label"));
  }

  private static JsonNode chart(Document doc, String section) throws IOException {
    JsonNode data = MAPPER.readTree(doc.getElementById("opagent-data").data());
    String id = doc.select("section#" + section + " canvas").first().id();
    for (JsonNode spec : data.get("charts")) {
      if (spec.get("id").asText().equals(id)) {
        return spec.get("config");
      }
    }
    throw new AssertionError("no chart in " + section);
  }

  @Test
  void headline_countsSummedOverRounds_sayTheRoundsBesideDistinctCustomers() throws IOException {
    Document doc = page(summary());

    Element delivered = card(doc, "Actions delivered");
    assertThat(delivered.select(".value").text()).isEqualTo("1,478");
    assertThat(delivered.select(".sub").text())
        .contains("over 3 rounds")
        .contains("1,304 distinct customers");
    Element notChosen = card(doc, "Not chosen");
    assertThat(notChosen.select(".value").text()).isEqualTo("9,120");
    assertThat(notChosen.select(".sub").text())
        .contains("over 3 rounds")
        .contains("1,812 distinct customers");
    assertThat(doc.select(".card .label").eachText()).doesNotContain("Suppressed");
  }

  @Test
  void actions_everyCountSaysWhetherItIsActionsOverRoundsOrDistinctCustomers() throws IOException {
    Document doc = page(summary());

    Element table = doc.selectFirst("section#decisions table.outcomes");
    assertThat(table).isNotNull();
    assertThat(table.select("thead th").stream().map(Element::text))
        .containsExactly("", "actions, summed over 3 rounds", "distinct customers");
    assertThat(table.select("tbody tr").first().select("th, td").eachText())
        .containsExactly("delivered", "1,478", "1,304");
    assertThat(table.text()).contains("held out").contains("101");
  }

  @Test
  void reasons_arePlainWordsWithTheRawCodeAsTooltip() throws IOException {
    Document doc = page(summary());

    Element reasons = doc.selectFirst("section#decisions table.reasons");
    assertThat(reasons).isNotNull();
    Element cap = reasons.selectFirst("[title=FREQUENCY_CAP]");
    assertThat(cap).isNotNull();
    assertThat(cap.text()).isEqualTo(ReasonLabels.label("FREQUENCY_CAP"));
    assertThat(cap.parents().select("tr").first().select("td").eachText())
        .containsExactly("6,530", "1,790");
    assertThat(reasons.select("[title]").eachAttr("title"))
        .containsExactlyInAnyOrder(
            "FREQUENCY_CAP", "QUIET_HOURS", "EXCLUSIVE_CAMPAIGN", "APPROVAL_REQUIRED");
    String visible = doc.body().text();
    for (ReasonCode code : ReasonCode.values()) {
      assertThat(visible).as("visible text").doesNotContain(code.name());
    }
    List<String> labels = new ArrayList<>();
    chart(doc, "decisions").at("/data/labels").forEach(l -> labels.add(l.asText()));
    assertThat(labels)
        .isNotEmpty()
        .allSatisfy(
            l -> {
              assertThat(l).doesNotContain("_");
              assertThat(l.length()).isLessThanOrEqualTo(ReasonLabels.MAX_LABEL_LENGTH);
            });
  }

  @Test
  void money_carriesTheSummarysCurrency() throws IOException {
    Document doc = page(summary());

    assertThat(card(doc, "Gross revenue (TRY)").select(".value").text()).isEqualTo("12,480.00");
    assertThat(doc.select("header .meta").text()).contains("amounts in TRY");
    assertThat(doc.select("section#metrics thead th").eachText())
        .contains("revenue (TRY)", "cost (TRY)");
    assertThat(chart(doc, "rounds").at("/options/scales/y1/title/text").asText())
        .isEqualTo("revenue (TRY)");

    ObjectNode without = summary();
    without.remove("currency");
    assertThat(page(without).body().text()).doesNotContain("TRY");
  }

  @Test
  void holdout_isItsOwnFigure() throws IOException {
    Document doc = page(summary());

    Element held = card(doc, "Held out");
    assertThat(held.select(".value").text()).isEqualTo("101");
    assertThat(held.select(".sub").text()).contains("5.05% of 2,000").contains("101 per round");
  }

  @Test
  void rounds_eachSaysWhyItDeliveredWhatItDid() throws IOException {
    Document doc = page(summary());

    List<String> lines = doc.select("section#rounds ul.why li").eachText();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1))
        .startsWith("Round 2 (2026-03-16): 0 delivered")
        .contains(
            "1,840 eligible customers got nothing ("
                + ReasonLabels.label("FREQUENCY_CAP").toLowerCase()
                + ")")
        .contains("59 not eligible")
        .contains("101 held out");
    assertThat(lines.get(0))
        .startsWith("Round 1 (2026-03-15): 757 delivered to 740 customers")
        .contains("519 " + ReasonLabels.label("FREQUENCY_CAP").toLowerCase())
        .contains("480 " + ReasonLabels.label("QUIET_HOURS").toLowerCase());
  }

  @Test
  void reasonsAndDates_fromTheSummary_areEscaped() throws IOException {
    ObjectNode summary = summary();
    String hostile = "<img src=x onerror=alert(1)>";
    ((ObjectNode) summary.at("/decisions/suppressed")).put(hostile, 3);
    ObjectNode round = (ObjectNode) summary.at("/decisions/byRound/1");
    round.put("date", hostile);
    ((ObjectNode) round.get("nothingChosenByReason")).put(hostile, 7);

    Document doc = page(summary);

    assertThat(doc.select("img")).isEmpty();
    assertThat(doc.select("section#decisions table.reasons [title]").eachAttr("title"))
        .contains(hostile);
    assertThat(doc.select("section#rounds ul.why li").get(1).text())
        .startsWith("Round 2 (" + hostile + ")")
        .contains("7 " + hostile);
  }
}
