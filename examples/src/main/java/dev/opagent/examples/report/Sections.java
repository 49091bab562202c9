package dev.opagent.examples.report;

import static dev.opagent.examples.report.ReportRenderer.array;
import static dev.opagent.examples.report.ReportRenderer.counts;
import static dev.opagent.examples.report.ReportRenderer.number;
import static dev.opagent.examples.report.ReportRenderer.object;
import static dev.opagent.examples.report.ReportRenderer.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The report's sections, each rendered from its part of the summary. Not thread-safe: one per page.
 */
final class Sections {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Colour-blind-friendly palette (Okabe–Ito, with a blue first). */
  private static final String[] PALETTE = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#999999"
  };

  private static final String GOOD = "#009E73";
  private static final String WAIT = "#E69F00";
  private static final String BAD = "#D55E00";
  private static final String MUTED = "#8c96a3";

  /** Readable names of the dimensions the segment agent answers with. */
  private static final Map<String, String> DIMENSIONS =
      Map.of(
          "churnSegment",
          "Churn segment",
          "valueSegment",
          "Value segment",
          "loyaltyTier",
          "Loyalty tier",
          "diversityProfile",
          "Diversity profile",
          "affinityType",
          "Affinity type",
          "ageSegment",
          "Age band");

  /** English glosses of the agent's Turkish wire labels. */
  private static final Map<String, String> GLOSSES =
      Map.ofEntries(
          Map.entry("Yeni", "new"),
          Map.entry("Aktif", "active"),
          Map.entry("Ilık", "warm"),
          Map.entry("Riskli", "at risk"),
          Map.entry("Kayıp", "lost"),
          Map.entry("Platin", "platinum"),
          Map.entry("Altın", "gold"),
          Map.entry("Gümüş", "silver"),
          Map.entry("Bronz", "bronze"),
          Map.entry("Kaşif", "explorer"),
          Map.entry("Dengeli", "balanced"),
          Map.entry("Sadık", "focused"));

  private final ReportRenderer.Page page;
  private final JsonNode s;
  private final @Nullable String currency;

  Sections(ReportRenderer.Page page, JsonNode summary) {
    this.page = page;
    this.s = summary;
    this.currency = currency(summary);
  }

  /** The summary's currency code (such as {@code TRY}), or null when it names none. */
  static @Nullable String currency(JsonNode summary) {
    String c = text(summary.get("currency"));
    return c == null || c.isBlank() ? null : c.strip();
  }

  void all() {
    headline();
    segmentation();
    insights();
    distribution();
    eligibility();
    decisions();
    metrics();
    experiments();
    bandit();
    roi();
    rounds();
  }

  // ---- sections ----

  private void headline() {
    page.section("headline", "Headline");
    List<String[]> cards = new ArrayList<>();
    Double customers = number(s.get("customers"));
    if (customers != null) {
      cards.add(card("Customers", Html.count(customers), null));
    }
    JsonNode seg = object(s.get("segmentation"));
    Double ok = seg == null ? null : number(seg.get("succeeded"));
    if (seg != null && ok != null) {
      Double failed = number(seg.get("failed"));
      double total = customers != null ? customers : ok + (failed == null ? 0 : failed);
      cards.add(
          card(
              "Segmented",
              Html.count(ok),
              (total > 0 ? Html.percent(ok / total) + " · " : "")
                  + (failed == null ? "" : Html.count(failed) + " failed")));
    }
    Map<String, Double> eligible = counts(s.get("eligibility"));
    if (!eligible.isEmpty()) {
      cards.add(
          card("Campaign matches", Html.count(sum(eligible)), eligible.size() + " campaigns"));
    }
    JsonNode dec = object(s.get("decisions"));
    Double executed = dec == null ? null : number(dec.get("executed"));
    if (dec != null && executed != null) {
      Double planned = number(dec.get("planned"));
      List<String> sub = new ArrayList<>();
      if (planned != null) {
        sub.add("of " + Html.count(planned) + " planned" + overRounds(","));
      } else if (roundCount() != null) {
        sub.add(overRounds("").trim());
      }
      Double reached = customersWhere("reached");
      if (reached != null) {
        sub.add(Html.count(reached) + " distinct customers reached");
      }
      cards.add(
          card(
              "Actions delivered",
              Html.count(executed),
              sub.isEmpty() ? null : String.join(" · ", sub)));
    }
    Map<String, Double> notChosen = dec == null ? Map.of() : counts(dec.get("suppressed"));
    if (!notChosen.isEmpty()) {
      Double total = number(s.path("decisions").get("notChosen"));
      Double nothing = customersWhere("nothingChosen");
      cards.add(
          card(
              "Not chosen",
              Html.count(total != null ? total : sum(notChosen)),
              "actions"
                  + overRounds("")
                  + (nothing == null
                      ? ", " + notChosen.size() + (notChosen.size() == 1 ? " reason" : " reasons")
                      : " · " + Html.count(nothing) + " distinct customers got nothing")));
    }
    Double heldOut = dec == null ? null : number(dec.get("heldOut"));
    if (heldOut != null) {
      List<String> sub = new ArrayList<>();
      if (customers != null && customers > 0) {
        sub.add(Html.percent(heldOut / customers) + " of " + Html.count(customers));
      }
      String perRound = perRound("heldOut");
      if (perRound != null) {
        sub.add(perRound + " per round");
      }
      cards.add(
          card(
              "Held out",
              Html.count(heldOut),
              "distinct customers" + (sub.isEmpty() ? "" : ", " + String.join(" · ", sub))));
    }
    JsonNode overall = object(s.path("roi").get("overall"));
    if (overall != null) {
      Double revenue = number(overall.get("revenue"));
      Double cost = number(overall.get("cost"));
      Double roi = number(overall.get("roi"));
      if (revenue != null) {
        cards.add(
            card(
                inCurrency("Gross revenue"),
                Html.money(revenue),
                cost == null ? null : "cost " + Html.money(cost)));
      }
      JsonNode lift = object(s.at("/incremental/overall/vsHoldout"));
      Double incrementalRoi = lift == null ? null : number(lift.get("incrementalRoi"));
      if (lift != null && incrementalRoi != null && "estimated".equals(text(lift.get("state")))) {
        Double low = number(lift.at("/incrementalRoiCi/0"));
        Double high = number(lift.at("/incrementalRoiCi/1"));
        cards.add(
            card(
                "Incremental ROI",
                Html.ratio(incrementalRoi),
                (low == null || high == null
                        ? ""
                        : "95% interval " + Html.ratio(low) + " to " + Html.ratio(high) + " · ")
                    + "over the holdout"
                    + (roi == null ? "" : " · gross ROI " + Html.ratio(roi))));
      } else if (roi != null) {
        cards.add(card("Gross ROI", Html.ratio(roi), "all revenue of contacted customers"));
      }
    }
    JsonNode experiments = array(s.get("experiments"));
    if (experiments != null) {
      long srm = 0;
      for (JsonNode e : experiments) {
        srm += e.path("srm").asBoolean(false) ? 1 : 0;
      }
      cards.add(
          card(
              "Experiments",
              Html.count(experiments.size()),
              srm == 0 ? "no sample ratio mismatch" : srm + " with sample ratio mismatch"));
    }
    if (cards.isEmpty()) {
      page.notAvailable("Headline numbers are");
    } else {
      page.body.append("<div class=\"cards\">\n");
      for (String[] c : cards) {
        page.body
            .append("<div class=\"card\"><div class=\"label\">")
            .append(c[0])
            .append("</div><div class=\"value\">")
            .append(c[1])
            .append("</div>");
        if (c[2] != null && !c[2].isEmpty()) {
          page.body.append("<div class=\"sub\">").append(c[2]).append("</div>");
        }
        page.body.append("</div>\n");
      }
      page.body.append("</div>\n");
    }
    page.end();
  }

  private void segmentation() {
    page.section("segmentation", "Segmentation");
    JsonNode seg = object(s.get("segmentation"));
    Map<String, Double> c = counts(seg);
    if (seg == null || c.isEmpty()) {
      page.notAvailable("Segmentation counters are");
    } else {
      Map<String, String> names =
          Map.of(
              "succeeded",
              "succeeded",
              "failed",
              "failed",
              "fallback",
              "answered by the fallback",
              "requests",
              "requests to the agent",
              "throttled",
              "throttled requests",
              "retries",
              "retries",
              "cacheHits",
              "cache hits");
      page.body.append("<table class=\"kv\"><tbody>\n");
      c.forEach((k, v) -> row(names.getOrDefault(k, Html.text(k)), Html.count(v)));
      Map<String, Double> byCode = counts(seg.get("failedByCode"));
      byCode.forEach((k, v) -> row("failed with <code>" + Html.text(k) + "</code>", Html.count(v)));
      page.body.append("</tbody></table>\n");
    }
    page.end();
  }

  private void insights() {
    page.section("insights", "Insights");
    List<String> items = new ArrayList<>();
    JsonNode list = array(s.get("insights"));
    if (list != null) {
      for (JsonNode i : list) {
        String t = i.isTextual() ? i.asText() : text(i.get("message"));
        if (t != null && !t.isBlank()) {
          items.add(t);
        }
      }
    }
    if (items.isEmpty()) {
      page.notAvailable("Insights are");
    } else {
      page.body.append("<ul class=\"insights\">\n");
      items.forEach(t -> page.body.append("<li>").append(Html.text(t)).append("</li>\n"));
      page.body.append("</ul>\n");
    }
    page.end();
  }

  private void distribution() {
    page.section("distribution", "Segment distribution");
    JsonNode dist = object(s.get("distribution"));
    boolean any = false;
    if (dist != null) {
      page.body.append("<div class=\"grid\">\n");
      for (Map.Entry<String, JsonNode> dim : dist.properties()) {
        Map<String, Double> c = counts(dim.getValue());
        if (c.isEmpty()) {
          continue;
        }
        any = true;
        double total = sum(c);
        String name = DIMENSIONS.getOrDefault(dim.getKey(), dim.getKey());
        page.body
            .append("<figure><figcaption>")
            .append(Html.text(name))
            .append(" <span class=\"muted\">")
            .append(Html.count(total))
            .append(" customers</span></figcaption>\n");
        List<String> labels = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        c.forEach(
            (label, count) -> {
              String gloss = GLOSSES.get(label);
              labels.add(gloss == null ? label : label + " (" + gloss + ")");
              notes.add(Html.percent(total == 0 ? 0 : count / total) + " of the analysed");
            });
        ObjectNode ds = dataset("customers", new ArrayList<>(c.values()), PALETTE[0]);
        ds.set("notes", strings(notes));
        page.chart(
            name + " distribution",
            50 + 30 * labels.size(),
            bar(labels, List.of(ds), true, false),
            Map.of("x", "count"));
        page.body.append("</figure>\n");
      }
      page.body.append("</div>\n");
    }
    if (!any) {
      page.notAvailable("The segment distribution is");
    }
    page.end();
  }

  private void eligibility() {
    page.section("eligibility", "Campaign eligibility");
    Map<String, Double> c = counts(s.get("eligibility"));
    if (c.isEmpty()) {
      page.notAvailable("Eligibility per campaign is");
    } else {
      Double analysed = number(s.path("segmentation").get("succeeded"));
      List<String> notes = new ArrayList<>();
      c.values()
          .forEach(
              v ->
                  notes.add(
                      analysed == null || analysed == 0
                          ? ""
                          : Html.percent(v / analysed) + " of the segmented customers"));
      ObjectNode ds = dataset("eligible customers", new ArrayList<>(c.values()), PALETTE[0]);
      ds.set("notes", strings(notes));
      page.chart(
          "Eligible customers per campaign",
          60 + 34 * c.size(),
          bar(new ArrayList<>(c.keySet()), List.of(ds), true, false),
          Map.of("x", "count"));
    }
    page.end();
  }

  private void decisions() {
    page.section("decisions", "Actions");
    JsonNode dec = object(s.get("decisions"));
    if (dec == null) {
      page.notAvailable("Decisions are");
    } else {
      Double rounds = roundCount();
      page.body
          .append("<table class=\"data outcomes\"><thead><tr><th></th><th>actions")
          .append(rounds == null ? "" : ", summed over " + roundsText(rounds))
          .append("</th><th>distinct customers</th></tr></thead><tbody>\n");
      outcomeRow("delivered", number(dec.get("executed")), customersWhere("reached"));
      outcomeRow("planned", number(dec.get("planned")), null);
      outcomeRow("failed", number(dec.get("failed")), null);
      outcomeRow("not chosen (by the reasons below)", number(dec.get("notChosen")), null);
      outcomeRow("of which deferred to a later run", number(dec.get("deferred")), null);
      outcomeRow("eligible, but got nothing in a round", null, customersWhere("nothingChosen"));
      outcomeRow("held out (control group)", null, number(dec.get("heldOut")));
      outcomeRow("not eligible for any campaign", null, customersWhere("notEligible"));
      page.body.append("</tbody></table>\n");
      if (rounds != null && rounds > 1) {
        page.body.append(
            "<p class=\"muted\">Actions are summed over the rounds, so a customer counts once per"
                + " round and campaign; distinct customers count each customer once, whatever the"
                + " rounds.</p>\n");
      }
      reasons(dec, rounds);
    }
    Map<String, Double> channels = counts(s.get("executionsByChannel"));
    if (!channels.isEmpty()) {
      page.body.append("<h3>Executions by channel</h3>\n<table class=\"kv\"><tbody>\n");
      channels.forEach((k, v) -> row("<code>" + Html.text(k) + "</code>", Html.count(v)));
      page.body.append("</tbody></table>\n");
    }
    page.end();
  }

  /** Why actions were not chosen: plain words, the raw code as a tooltip, actions and customers. */
  private void reasons(JsonNode dec, @Nullable Double rounds) {
    List<Map.Entry<String, Double>> reasons =
        new ArrayList<>(counts(dec.get("suppressed")).entrySet());
    if (reasons.isEmpty()) {
      return;
    }
    reasons.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    Map<String, Double> customers = counts(dec.path("customers").get("nothingChosenByReason"));
    page.body
        .append("<h3>Why actions were not chosen</h3>\n")
        .append("<table class=\"data reasons\"><thead><tr><th>reason</th><th>actions")
        .append(rounds == null ? "" : ", summed over " + roundsText(rounds))
        .append("</th><th>distinct customers it left with nothing</th></tr></thead><tbody>\n");
    List<String> labels = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Map.Entry<String, Double> e : reasons) {
      String label = ReasonLabels.label(e.getKey());
      page.body
          .append("<tr><th scope=\"row\">")
          .append(reason(e.getKey(), label))
          .append("</th>")
          .append(cell(e.getValue(), Html::count))
          .append(
              cell(
                  customers.isEmpty() ? null : customers.getOrDefault(e.getKey(), 0.0),
                  Html::count))
          .append("</tr>\n");
      labels.add(label);
      values.add(e.getValue());
      notes.add(e.getKey());
    }
    page.body.append("</tbody></table>\n");
    ObjectNode ds = dataset("actions", values, MUTED);
    ds.set("notes", strings(notes));
    page.chart(
        "Actions not chosen, by reason" + (rounds == null ? "" : ", over " + roundsText(rounds)),
        60 + 30 * labels.size(),
        bar(labels, List.of(ds), true, false),
        Map.of("x", "count"));
  }

  private void outcomeRow(String label, @Nullable Double actions, @Nullable Double customers) {
    if (actions == null && customers == null) {
      return;
    }
    page.body
        .append("<tr><th scope=\"row\">")
        .append(label)
        .append("</th>")
        .append(cell(actions, Html::count))
        .append(cell(customers, Html::count))
        .append("</tr>\n");
  }

  private void metrics() {
    page.section("metrics", "Campaign metrics");
    JsonNode m = object(s.get("metrics"));
    JsonNode by = m == null ? null : object(m.get("byCampaign"));
    Map<String, Double> outcomes = m == null ? Map.of() : counts(m.get("attributions"));
    if (by == null && outcomes.isEmpty()) {
      page.notAvailable("Campaign metrics are");
      page.end();
      return;
    }
    if (by != null) {
      page.body.append(
          "<table class=\"data metrics\"><thead><tr><th>campaign</th>"
              + "<th>delivered</th><th>opened</th><th>clicked</th><th>coupons used</th>"
              + "<th>conversions</th><th>"
              + inCurrency("revenue")
              + "</th><th>"
              + inCurrency("cost")
              + "</th></tr></thead><tbody>\n");
      List<String> labels = new ArrayList<>();
      List<@Nullable Double> open = new ArrayList<>();
      List<@Nullable Double> click = new ArrayList<>();
      List<@Nullable Double> conversion = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : by.properties()) {
        JsonNode c = e.getValue();
        Double delivered = number(c.get("delivered"));
        page.body
            .append("<tr><td>")
            .append(Html.text(e.getKey()))
            .append("</td>")
            .append(cell(delivered, Html::count));
        for (String k : List.of("opened", "clicked", "couponsUsed", "conversions")) {
          Double v = number(c.get(k));
          page.body
              .append("<td>")
              .append(
                  v == null
                      ? "—"
                      : Html.count(v)
                          + (delivered == null || delivered == 0
                              ? ""
                              : " <span class=\"muted\">("
                                  + Html.percent(v / delivered)
                                  + ")</span>"))
              .append("</td>");
        }
        page.body
            .append(cell(number(c.get("revenue")), Html::money))
            .append(cell(number(c.get("cost")), Html::money))
            .append("</tr>\n");
        if (delivered != null && delivered > 0) {
          labels.add(e.getKey());
          open.add(rate(c.get("opened"), delivered));
          click.add(rate(c.get("clicked"), delivered));
          conversion.add(rate(c.get("conversions"), delivered));
        }
      }
      page.body.append("</tbody></table>\n");
      if (!labels.isEmpty()) {
        ObjectNode config =
            bar(
                labels,
                List.of(
                    dataset("open rate", open, PALETTE[0]),
                    dataset("click rate", click, PALETTE[1]),
                    dataset("conversion rate", conversion, PALETTE[2])),
                false,
                true);
        page.chart(
            "Open, click and conversion rate per campaign", 260, config, Map.of("y", "percent"));
      }
    }
    if (!outcomes.isEmpty()) {
      page.body.append(
          "<h3>Interactions by attribution outcome</h3>\n<table class=\"kv\">" + "<tbody>\n");
      outcomes.forEach((k, v) -> row("<code>" + Html.text(k) + "</code>", Html.count(v)));
      page.body.append("</tbody></table>\n");
    }
    page.end();
  }

  private static @Nullable Double rate(@Nullable JsonNode count, double delivered) {
    Double v = number(count);
    return v == null ? null : v / delivered;
  }

  private void experiments() {
    page.section("experiments", "Experiments");
    JsonNode list = array(s.get("experiments"));
    int shown = 0;
    if (list != null) {
      for (JsonNode e : list) {
        if (e.isObject()) {
          experiment(e);
          shown++;
        }
      }
    }
    if (shown == 0) {
      page.notAvailable("Experiment results are");
    }
    page.end();
  }

  private void experiment(JsonNode e) {
    StringBuilder b = page.body;
    b.append("<article class=\"experiment\">\n<h3>").append(name(e)).append("</h3>\n");
    String verdict = text(e.get("verdict"));
    if (verdict != null) {
      b.append("<p class=\"verdict\">").append(Html.text(verdict)).append("</p>\n");
    }
    probabilityBest(e.get("probabilityBest"));
    Double srmP = number(e.get("srmPValue"));
    if (e.path("srm").asBoolean(false)) {
      b.append("<p class=\"flag bad\">Sample ratio mismatch")
          .append(srmP == null ? "" : " (" + Html.pClause(srmP) + ")")
          .append(
              ": the split differs from the configured one, so the comparison is not"
                  + " trustworthy until the assignment is fixed.</p>\n");
    } else if (e.has("srm")) {
      b.append("<p class=\"flag ok\">No sample ratio mismatch")
          .append(srmP == null ? "" : " (" + Html.pClause(srmP) + ")")
          .append(".</p>\n");
    }
    JsonNode variants = array(e.get("variants"));
    List<String> ciLabels = new ArrayList<>();
    ArrayNode ranges = F.arrayNode();
    List<Double> lifts = new ArrayList<>();
    if (variants != null) {
      b.append(
          "<table class=\"data\"><thead><tr><th>variant</th><th>n</th><th>conversions</th>"
              + "<th>rate</th><th>lift</th><th>relative lift</th><th>interval of the lift</th>"
              + "<th>p-value</th></tr></thead><tbody>\n");
      int treatments = 0;
      for (JsonNode v : variants) {
        treatments += v.path("control").asBoolean(false) ? 0 : 1;
      }
      for (JsonNode v : variants) {
        boolean control = v.path("control").asBoolean(false);
        String vname = text(v.get("name"));
        JsonNode ci = interval(v.get("ci"));
        Double lift = number(v.get("lift"));
        Double p = number(v.get("pValue"));
        if (!control && treatments == 1) { // the experiment's figures are its one treatment's
          ci = ci != null ? ci : interval(e.get("ci"));
          lift = lift != null ? lift : number(e.get("lift"));
          p = p != null ? p : number(e.get("pValue"));
        }
        b.append("<tr><td>")
            .append(vname == null ? "—" : Html.text(vname))
            .append(control ? " <span class=\"tag\">control</span>" : "")
            .append("</td>")
            .append(cell(number(v.get("n")), Html::count))
            .append(cell(number(v.get("conversions")), Html::count))
            .append(cell(number(v.get("rate")), Html::percent))
            .append(cell(lift, Html::points))
            .append(
                cell(
                    number(v.get("relativeLift")),
                    r -> String.format(java.util.Locale.ROOT, "%+.1f%%", r * 100)))
            .append("<td>")
            .append(
                ci == null
                    ? "—"
                    : Html.points(ci.get(0).doubleValue())
                        + " … "
                        + Html.points(ci.get(1).doubleValue()))
            .append("</td>")
            .append(cell(p, Html::pValue))
            .append("</tr>\n");
        if (!control && ci != null) {
          ciLabels.add(vname == null ? "treatment" : vname);
          ranges.add(ci);
          lifts.add(lift);
        }
      }
      b.append("</tbody></table>\n");
    } else {
      JsonNode ci = interval(e.get("ci"));
      if (ci != null) {
        ciLabels.add("treatment");
        ranges.add(ci);
        lifts.add(number(e.get("lift")));
      }
      b.append("<p class=\"na\">Variant results are not available for this experiment.</p>\n");
    }
    if (!ciLabels.isEmpty()) {
      ObjectNode range = F.objectNode();
      range
          .put("type", "bar")
          .put("label", "interval of the lift")
          .put("backgroundColor", "rgba(0,114,178,0.35)")
          .put("borderColor", PALETTE[0])
          .put("borderWidth", 1)
          .put("barPercentage", 0.5)
          .set("data", ranges);
      ObjectNode point = F.objectNode();
      ArrayNode liftData = point.putArray("data");
      lifts.forEach(
          l -> {
            if (l == null) {
              liftData.addNull();
            } else {
              liftData.add(l);
            }
          });
      point
          .put("type", "line")
          .put("label", "lift")
          .put("showLine", false)
          .put("pointRadius", 6)
          .put("pointStyle", "rectRot")
          .put("backgroundColor", "#000000")
          .put("borderColor", "#000000");
      ObjectNode config = bar(ciLabels, List.of(point, range), true, false);
      ObjectNode x = at(config, "options", "scales", "x");
      x.put("beginAtZero", true);
      at(x, "title").put("display", true).put("text", "lift over control (percentage points)");
      ObjectNode legend = at(config, "options", "plugins", "legend");
      legend.put("display", true);
      at(legend, "labels").put("usePointStyle", true);
      page.chart(
          "Lift of each variant over control with its interval",
          70 + 40 * ciLabels.size(),
          config,
          Map.of("x", "points"));
    }
    JsonNode incremental = object(e.get("incremental"));
    if (incremental != null) {
      incrementalTable(incremental, "this campaign's customers");
    }
    b.append("</article>\n");
  }

  private void bandit() {
    page.section("bandit", "Bandit allocation");
    JsonNode list = array(s.get("bandit"));
    int shown = 0;
    if (list != null) {
      for (JsonNode bnd : list) {
        JsonNode rounds = array(bnd.get("rounds"));
        if (rounds == null) {
          continue;
        }
        Set<String> variants = new LinkedHashSet<>();
        List<String> labels = new ArrayList<>();
        List<String> exploring = new ArrayList<>();
        for (JsonNode r : rounds) {
          counts(r.get("weights")).keySet().forEach(variants::add);
          Double n = number(r.get("round"));
          String label = n == null ? String.valueOf(labels.size() + 1) : Html.count(n);
          labels.add(label);
          if (r.path("exploring").asBoolean(false)) {
            exploring.add(label);
          }
        }
        if (variants.isEmpty()) {
          continue;
        }
        shown++;
        page.body
            .append("<figure><figcaption>")
            .append(name(bnd))
            .append(" <span class=\"muted\">")
            .append(
                exploring.isEmpty()
                    ? "no exploring rounds"
                    : "exploring in round"
                        + (exploring.size() == 1 ? " " : "s ")
                        + Html.text(String.join(", ", exploring)))
            .append("</span></figcaption>\n");
        List<ObjectNode> datasets = new ArrayList<>();
        int i = 0;
        for (String v : variants) {
          List<Double> weights = new ArrayList<>();
          for (JsonNode r : rounds) {
            Double w = counts(r.get("weights")).get(v);
            weights.add(w == null ? 0.0 : w);
          }
          String colour = PALETTE[i++ % PALETTE.length];
          ObjectNode ds = dataset(v, weights, colour + "B3");
          ds.put("borderColor", colour)
              .put("fill", i == 1 ? "origin" : "-1")
              .put("pointRadius", 2)
              .put("tension", 0.2);
          datasets.add(ds);
        }
        ObjectNode config = chart("line", labels, datasets);
        ObjectNode scales = at(config, "options", "scales");
        at(scales, "y").put("stacked", true).put("min", 0).put("max", 1);
        at(scales, "x", "title").put("display", true).put("text", "round");
        at(config, "options", "plugins", "legend").put("display", true);
        at(config, "options", "interaction").put("mode", "index").put("intersect", false);
        page.chart("Traffic share of each variant per round", 240, config, Map.of("y", "share"));
        page.body.append("</figure>\n");
      }
    }
    if (shown == 0) {
      page.notAvailable("Bandit allocations are");
    }
    page.end();
  }

  private void roi() {
    page.section("roi", "Return on investment");
    JsonNode roi = object(s.get("roi"));
    JsonNode by = roi == null ? null : object(roi.get("byCampaign"));
    JsonNode overall = roi == null ? null : object(roi.get("overall"));
    if (by == null && overall == null) {
      page.notAvailable("ROI is");
      page.end();
      return;
    }
    page.body.append(
        "<p>Gross figures credit a campaign with every order its customers placed within the"
            + " attribution window, including orders they would have placed anyway. What the"
            + " campaigns added is measured against the global holdout below.</p>\n"
            + "<table class=\"data\"><thead><tr><th>campaign</th><th>gross revenue</th>"
            + "<th>cost</th><th>gross profit</th><th>gross ROI</th></tr></thead><tbody>\n");
    List<String> labels = new ArrayList<>();
    List<Double> revenue = new ArrayList<>();
    List<Double> cost = new ArrayList<>();
    if (by != null) {
      for (Map.Entry<String, JsonNode> e : by.properties()) {
        roiRow(Html.text(e.getKey()), e.getValue(), "");
        Double r = number(e.getValue().get("revenue"));
        Double c = number(e.getValue().get("cost"));
        if (r != null || c != null) {
          labels.add(e.getKey());
          revenue.add(r == null ? 0.0 : r);
          cost.add(c == null ? 0.0 : c);
        }
      }
    }
    if (overall != null) {
      roiRow("all campaigns", overall, " class=\"total\"");
    }
    page.body.append("</tbody></table>\n");
    if (!labels.isEmpty()) {
      ObjectNode config =
          bar(
              labels,
              List.of(dataset("revenue", revenue, PALETTE[2]), dataset("cost", cost, PALETTE[5])),
              false,
              true);
      page.chart("Revenue and cost per campaign", 260, config, Map.of("y", "money"));
    }
    JsonNode incremental = object(s.get("incremental"));
    JsonNode overallIncremental = incremental == null ? null : object(incremental.get("overall"));
    if (incremental != null && overallIncremental != null) {
      page.body.append("<h3>Incremental: all campaigns</h3>\n");
      incrementalTable(overallIncremental, "all campaigns' customers");
      String method = text(incremental.get("method"));
      if (method != null) {
        page.body.append("<p class=\"muted\">Method: ").append(Html.text(method)).append(".</p>\n");
      }
    }
    page.end();
  }

  /** "Probability of being best: B 81%, control 19%" beside a verdict. */
  private void probabilityBest(@Nullable JsonNode node) {
    JsonNode p = object(node);
    if (p == null || p.isEmpty()) {
      return;
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> v : p.properties()) {
      Double share = number(v.getValue());
      if (share != null) {
        parts.add(
            Html.text(v.getKey())
                + " "
                + String.format(java.util.Locale.ROOT, "%.0f%%", share * 100));
      }
    }
    if (!parts.isEmpty()) {
      page.body
          .append("<p class=\"probability\">Probability of being best: ")
          .append(String.join(", ", parts))
          .append(
              " <span class=\"muted\">(posterior of each variant's conversion rate; the bandit"
                  + " moves traffic by it once every variant has its minimum sample)</span></p>\n");
    }
  }

  /** What the campaign added over the global holdout and B over control, with intervals. */
  private void incrementalTable(JsonNode incremental, String who) {
    StringBuilder b = page.body;
    b.append(
        "<table class=\"data incremental\"><thead><tr><th>compared with</th><th>treated"
            + " customers</th><th>comparison customers</th><th>conversion rate</th>"
            + "<th>incremental revenue (95% interval)</th><th>cost</th>"
            + "<th>incremental ROI (95% interval)</th></tr></thead><tbody>\n");
    incrementalRow("global holdout", incremental.get("vsHoldout"));
    incrementalRow("control (B customers vs control customers)", incremental.get("vsControl"));
    b.append("</tbody></table>\n");
    String unit = text(incremental.get("unit"));
    b.append("<p class=\"muted\">Per customer")
        .append(unit == null ? "" : " (" + Html.text(unit) + ")")
        .append(" for ")
        .append(Html.text(who))
        .append(
            ": incremental revenue = (revenue per treated customer − revenue per comparison"
                + " customer) × treated customers; incremental ROI = (incremental revenue − cost)"
                + " / cost. An interval that spans 0 means the effect is within noise.</p>\n");
  }

  private void incrementalRow(String label, @Nullable JsonNode node) {
    JsonNode r = object(node);
    StringBuilder b = page.body;
    b.append("<tr><td>").append(Html.text(label)).append("</td>");
    if (r == null) {
      b.append("<td colspan=\"6\" class=\"na\">not available</td></tr>\n");
      return;
    }
    b.append(cell(number(r.at("/treated/customers")), Html::count))
        .append(cell(number(r.at("/comparison/customers")), Html::count));
    if (!"estimated".equals(text(r.get("state")))) {
      String reason = text(r.get("reason"));
      b.append("<td colspan=\"4\" class=\"na\">")
          .append(Html.text(reason == null ? "not enough data" : reason))
          .append("</td></tr>\n");
      return;
    }
    Double treatedRate = number(r.get("treatedConversionRate"));
    Double comparisonRate = number(r.get("comparisonConversionRate"));
    b.append("<td>")
        .append(treatedRate == null ? "—" : Html.percent(treatedRate))
        .append(" vs ")
        .append(comparisonRate == null ? "—" : Html.percent(comparisonRate))
        .append("</td>");
    b.append("<td>")
        .append(
            withInterval(
                number(r.get("incrementalRevenue")), r.get("incrementalRevenueCi"), Html::money))
        .append("</td>")
        .append(cell(number(r.get("cost")), Html::money))
        .append("<td>")
        .append(
            withInterval(number(r.get("incrementalRoi")), r.get("incrementalRoiCi"), Html::ratio))
        .append("</td></tr>\n");
  }

  /** {@code value (low … high)}, or a dash. */
  private static String withInterval(
      @Nullable Double value, @Nullable JsonNode ci, java.util.function.DoubleFunction<String> f) {
    if (value == null) {
      return "—";
    }
    JsonNode i = interval(ci);
    return f.apply(value)
        + (i == null
            ? ""
            : " <span class=\"muted\">("
                + f.apply(i.get(0).doubleValue())
                + " … "
                + f.apply(i.get(1).doubleValue())
                + ")</span>");
  }

  private void rounds() {
    page.section("rounds", "Rounds");
    JsonNode list = array(s.get("rounds"));
    List<String> labels = new ArrayList<>();
    List<@Nullable Double> conversions = new ArrayList<>();
    List<@Nullable Double> revenue = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (list != null) {
      for (JsonNode r : list) {
        if (!r.isObject()) {
          continue;
        }
        Double n = number(r.get("round"));
        labels.add(n == null ? String.valueOf(labels.size() + 1) : Html.count(n));
        Double executed = number(r.get("executed"));
        Double converted = number(r.get("conversions"));
        conversions.add(converted);
        revenue.add(number(r.get("revenue")));
        notes.add(
            executed == null
                ? ""
                : "of "
                    + Html.count(executed)
                    + " actions executed"
                    + (converted == null || executed == 0
                        ? ""
                        : " (" + Html.percent(converted / executed) + ")"));
      }
    }
    if (labels.isEmpty()) {
      page.notAvailable("Results per round are");
    } else {
      ObjectNode conv = dataset("conversions", conversions, PALETTE[4]);
      conv.set("notes", strings(notes));
      ObjectNode rev = dataset("revenue", revenue, PALETTE[2]);
      rev.put("type", "line")
          .put("borderColor", PALETTE[2])
          .put("yAxisID", "y1")
          .put("pointRadius", 3);
      ObjectNode config = bar(labels, List.of(rev, conv), false, true);
      ObjectNode scales = at(config, "options", "scales");
      at(scales, "x", "title").put("display", true).put("text", "round");
      at(scales, "y", "title").put("display", true).put("text", "conversions");
      at(scales, "y").put("grace", "5%");
      ObjectNode y1 = at(scales, "y1");
      y1.put("position", "right").put("beginAtZero", true).put("grace", "5%");
      at(y1, "grid").put("drawOnChartArea", false);
      at(y1, "title")
          .put("display", true)
          .put("text", currency == null ? "revenue" : "revenue (" + currency + ")");
      page.chart(
          "Conversions and revenue per round", 260, config, Map.of("y", "count", "y1", "money"));
    }
    why();
    page.end();
  }

  /**
   * A line per round saying why it delivered what it did: the customers reached, then the others by
   * what stopped them (the reason their best action was not chosen, not eligible, held out).
   */
  private void why() {
    JsonNode list = array(s.path("decisions").get("byRound"));
    if (list == null) {
      return;
    }
    List<String> lines = new ArrayList<>();
    for (JsonNode r : list) {
      Double n = number(r.get("round"));
      Double delivered = number(r.get("executed"));
      if (!r.isObject() || n == null || delivered == null) {
        continue;
      }
      StringBuilder line = new StringBuilder("Round ").append(Html.count(n));
      String date = text(r.get("date"));
      if (date != null) {
        line.append(" (").append(Html.text(date)).append(')');
      }
      line.append(": ").append(Html.count(delivered)).append(" delivered");
      Double reached = number(r.get("reached"));
      if (reached != null && delivered > 0) {
        line.append(" to ")
            .append(Html.count(reached))
            .append(reached == 1 ? " customer" : " customers");
      }
      List<String> others = new ArrayList<>();
      Double nothing = number(r.get("nothingChosen"));
      List<Map.Entry<String, Double>> by =
          new ArrayList<>(counts(r.get("nothingChosenByReason")).entrySet());
      by.removeIf(e -> e.getValue() == 0);
      by.sort(Map.Entry.<String, Double>comparingByValue().reversed());
      if (nothing != null && nothing > 0) {
        StringBuilder o =
            new StringBuilder(Html.count(nothing))
                .append(
                    nothing == 1
                        ? " eligible customer got nothing"
                        : " eligible customers got nothing");
        if (by.size() == 1) {
          o.append(" (").append(reason(by.get(0).getKey(), lower(by.get(0).getKey()))).append(')');
        } else if (!by.isEmpty()) {
          List<String> parts = new ArrayList<>();
          by.forEach(
              e ->
                  parts.add(
                      Html.count(e.getValue()) + " " + reason(e.getKey(), lower(e.getKey()))));
          o.append(" (").append(String.join(", ", parts)).append(')');
        }
        others.add(o.toString());
      }
      clause(others, number(r.get("notEligible")), " not eligible");
      clause(others, number(r.get("heldOut")), " held out");
      clause(others, number(r.get("segmentationFailed")), " not segmented");
      clause(others, number(r.get("failed")), " deliveries failed");
      if (!others.isEmpty()) {
        line.append(" — ").append(String.join("; ", others));
      }
      lines.add(line.append('.').toString());
    }
    if (!lines.isEmpty()) {
      page.body.append("<h3>Why each round delivered what it did</h3>\n<ul class=\"why\">\n");
      lines.forEach(l -> page.body.append("<li>").append(l).append("</li>\n"));
      page.body.append("</ul>\n");
    }
  }

  private static void clause(List<String> out, @Nullable Double n, String what) {
    if (n != null && n > 0) {
      out.add(Html.count(n) + what);
    }
  }

  private static String lower(String code) {
    String label = ReasonLabels.label(code);
    return label.equals(code) ? label : label.toLowerCase(java.util.Locale.ROOT);
  }

  /** Plain words, escaped, with the raw code as the tooltip. */
  private static String reason(String code, String label) {
    return "<span title=\"" + Html.text(code) + "\">" + Html.text(label) + "</span>";
  }

  /** The number of rounds the decisions were summed over, or null when the summary says not. */
  private @Nullable Double roundCount() {
    JsonNode dec = s.path("decisions");
    Double n = number(dec.get("rounds"));
    if (n != null) {
      return n;
    }
    JsonNode list = array(dec.get("byRound"));
    return list == null ? null : (double) list.size();
  }

  private static String roundsText(double rounds) {
    return Html.count(rounds) + (rounds == 1 ? " round" : " rounds");
  }

  /** {@code " over 5 rounds"} after {@code prefix}, or empty when the summary does not say. */
  private String overRounds(String prefix) {
    Double n = roundCount();
    return n == null ? "" : prefix + " over " + roundsText(n);
  }

  /** A distinct-customer count of the decisions, or null. */
  private @Nullable Double customersWhere(String key) {
    return number(s.path("decisions").path("customers").get(key));
  }

  /** {@code key} per round as {@code 101} or {@code 95–103}, or null when no round has it. */
  private @Nullable String perRound(String key) {
    JsonNode list = array(s.path("decisions").get("byRound"));
    if (list == null) {
      return null;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (JsonNode r : list) {
      Double v = number(r.get(key));
      if (v != null) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (min > max) {
      return null;
    }
    return min == max ? Html.count(min) : Html.count(min) + "–" + Html.count(max);
  }

  /** Money with the summary's currency code before it, when the summary names one. */
  private String money(double v) {
    return currency == null ? Html.money(v) : Html.text(currency) + " " + Html.money(v);
  }

  /** A column heading for an amount, with the currency when the summary names one. */
  private String inCurrency(String heading) {
    return currency == null ? heading : heading + " (" + Html.text(currency) + ")";
  }

  // ---- helpers ----

  private void roiRow(String name, JsonNode v, String attrs) {
    Double revenue = number(v.get("revenue"));
    Double cost = number(v.get("cost"));
    Double profit = revenue != null && cost != null ? revenue - cost : null;
    page.body
        .append("<tr")
        .append(attrs)
        .append("><td>")
        .append(name)
        .append("</td>")
        .append(cell(revenue, Html::money))
        .append(cell(cost, Html::money))
        .append(cell(profit, Html::money))
        .append(cell(number(v.get("roi")), Html::ratio))
        .append("</tr>\n");
  }

  private void row(String key, String value) {
    page.body
        .append("<tr><th>")
        .append(key)
        .append("</th><td>")
        .append(value)
        .append("</td></tr>\n");
  }

  private static String cell(@Nullable Double v, java.util.function.DoubleFunction<String> f) {
    return "<td>" + (v == null ? "—" : f.apply(v)) + "</td>";
  }

  private static String[] card(String label, String value, @Nullable String sub) {
    return new String[] {label, value, sub};
  }

  /** {@code campaign · experiment}, escaped, from whichever of the two is present. */
  private static String name(JsonNode e) {
    List<String> parts = new ArrayList<>();
    String campaign = text(e.get("campaign"));
    String experiment = text(e.get("experiment"));
    if (campaign != null) {
      parts.add(Html.text(campaign));
    }
    if (experiment != null) {
      parts.add(Html.text(experiment));
    }
    return parts.isEmpty() ? "unnamed experiment" : String.join(" · ", parts);
  }

  /** {@code [low, high]} when {@code node} is an array of two numbers, else null. */
  private static @Nullable JsonNode interval(@Nullable JsonNode node) {
    return node != null
            && node.isArray()
            && node.size() == 2
            && node.get(0).isNumber()
            && node.get(1).isNumber()
        ? node
        : null;
  }

  private static double sum(Map<String, Double> c) {
    return c.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode a = F.arrayNode();
    values.forEach(a::add);
    return a;
  }

  /** The object at {@code names} under {@code node}, created where missing. */
  private static ObjectNode at(ObjectNode node, String... names) {
    ObjectNode n = node;
    for (String name : names) {
      n = n.withObjectProperty(name);
    }
    return n;
  }

  private static ObjectNode dataset(String label, List<@Nullable Double> values, String colour) {
    ObjectNode ds = F.objectNode();
    ds.put("label", label);
    ArrayNode data = ds.putArray("data");
    for (Double v : values) {
      if (v == null) {
        data.addNull();
      } else {
        data.add(v);
      }
    }
    ds.put("backgroundColor", colour);
    return ds;
  }

  private static ObjectNode chart(String type, List<String> labels, List<ObjectNode> datasets) {
    ObjectNode config = F.objectNode();
    config.put("type", type);
    ObjectNode data = config.putObject("data");
    data.set("labels", strings(labels));
    ArrayNode ds = data.putArray("datasets");
    datasets.forEach(ds::add);
    ObjectNode options = config.putObject("options");
    options.put("responsive", true).put("maintainAspectRatio", false);
    options.putObject("plugins").putObject("legend").put("display", false);
    return config;
  }

  private static ObjectNode bar(
      List<String> labels, List<ObjectNode> datasets, boolean horizontal, boolean legend) {
    ObjectNode config = chart("bar", labels, datasets);
    ObjectNode options = at(config, "options");
    if (horizontal) {
      options.put("indexAxis", "y");
    }
    at(options, "plugins", "legend").put("display", legend);
    at(options, "scales", horizontal ? "x" : "y").put("beginAtZero", true);
    return config;
  }
}
