package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.experiment.Experiment;
import dev.opagent.agent.experiment.ThompsonSampler;
import dev.opagent.agent.experiment.VariantCounts;
import dev.opagent.agent.feedback.Attribution.Outcome;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.agent.feedback.MetricsReport;
import dev.opagent.store.OperatingStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opagent feedback} into an H2 store, then {@code opagent report --store} from it. */
class FeedbackCommandTest {
  private static final Instant T0 = Instant.parse("2026-03-10T09:00:00Z");

  @TempDir Path dir;
  private String url;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return OpagentCommand.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  /**
   * Ten winback emails (variants control and B) and four loyalty SMS, delivered on day one, as the
   * executor would have journalled them.
   */
  @BeforeEach
  void deliveries() {
    url = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath();
    List<ActionRequest> requests = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      requests.add(
          request(
              "ik-w" + i, "C-" + i, "winback", "send_email", i % 2 == 0 ? "control" : "B", "0.50"));
    }
    for (int i = 0; i < 4; i++) {
      requests.add(request("ik-l" + i, "C-" + (20 + i), "loyalty", "send_sms", null, "0.25"));
    }
    try (OperatingStore store = OperatingStore.open(url, "sa", "")) {
      store.journal().enlist(requests, T0);
      for (ActionRequest r : requests) {
        Instant at = T0.plusSeconds(60);
        store.journal().claim(r.idempotencyKey(), "executor", at, at.plusSeconds(60)).orElseThrow();
        store
            .journal()
            .complete(
                r.idempotencyKey(),
                "executor",
                DeliveryReceipt.delivered(r, r.channel(), "m-" + r.idempotencyKey(), at),
                at);
      }
      Experiment subject =
          Experiment.builder("winback-subject")
              .campaign("winback")
              .variant("control", 0.5)
              .variant("B", 0.5)
              .minSamplePerArm(3)
              .build();
      ThompsonSampler sampler = ThompsonSampler.builder(subject).seed(1).draws(1_000).build();
      store.feedback().recordAllocation(subject, sampler.allocate(Map.of()));
      store
          .feedback()
          .recordAllocation(
              subject,
              sampler.allocate(
                  Map.of("control", new VariantCounts(5, 1), "B", new VariantCounts(5, 3))));
    }
  }

  private static ActionRequest request(
      String key, String customer, String campaign, String type, String variant, String cost) {
    return new ActionRequest(
        key,
        "day-1",
        customer,
        campaign,
        type,
        type.equals("send_sms") ? "sms" : "email",
        Map.of(),
        List.of(),
        variant,
        "Riskli",
        new BigDecimal(cost),
        T0);
  }

  private static String line(
      String type, String customer, String campaign, Instant at, String extra) {
    return "{\"type\": \""
        + type
        + "\", \"customerId\": \""
        + customer
        + "\", \"campaign\": \""
        + campaign
        + "\", \"at\": \""
        + at
        + "\""
        + extra
        + "}";
  }

  private Path interactions(List<String> lines) throws IOException {
    return Files.write(dir.resolve("interactions.jsonl"), lines, StandardCharsets.UTF_8);
  }

  private List<String> goodLines() {
    Instant later = T0.plus(Duration.ofHours(3));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 6; i++) { // six winback opens by key, two of them clicked
      lines.add(
          line("opened", "C-" + i, "winback", later, ", \"idempotencyKey\": \"ik-w" + i + "\""));
    }
    lines.add(line("click", "C-0", "winback", later, ", \"idempotencyKey\": \"ik-w0\""));
    lines.add(line("email_click", "C-1", "winback", later, ", \"idempotencyKey\": \"ik-w1\""));
    // The seed's spelling: a conversion by last touch, a day later.
    lines.add(
        "{\"user_id\": \"C-1\", \"campaign\": \"winback\", \"timestamp\": \""
            + T0.plus(Duration.ofDays(1))
            + "\", \"conversion\": true, \"revenue\": 120.00}");
    lines.add(
        line(
            "conversion",
            "C-3",
            "winback",
            T0.plus(Duration.ofDays(2)),
            ", \"revenue\": \"80.50\""));
    lines.add(
        line("conversion", "C-20", "loyalty", T0.plus(Duration.ofDays(1)), ", \"revenue\": 30"));
    lines.add(
        line(
            "conversion",
            "C-20",
            "loyalty",
            T0.plus(Duration.ofDays(1).plusHours(1)),
            ", \"revenue\": 30")); // the same cycle: a duplicate conversion
    lines.add(
        line(
            "conversion",
            "C-21",
            "loyalty",
            T0.plus(Duration.ofDays(30)),
            ", \"revenue\": 99")); // outside the 7-day window
    lines.add(line("opened", "C-99", "loyalty", later, "")); // never contacted
    return lines;
  }

  @Test
  void feedback_goodAndBadLines_ingestsEveryGoodLineAndNamesEachBadOne() throws IOException {
    List<String> lines = new ArrayList<>(goodLines());
    lines.add(2, line("opened", "C-SECRET-1", "winback", T0, "").replace("\"at\"", "\"when\""));
    lines.add(5, "{\"type\": \"opened\", \"customerId\": \"C-SECRET-2\"");
    lines.add(7, line("conversion", "C-SECRET-3", "winback", T0, ", \"revenue\": -5"));
    Path file = interactions(lines);

    int code = run("feedback", "--interactions", file.toString(), "--store", url);

    assertThat(code).as(err.toString()).isEqualTo(3);
    List<String> errors = err.toString().lines().toList();
    assertThat(errors).hasSize(3);
    assertThat(errors.get(0))
        .isEqualTo(
            "opagent feedback: line 3: field at is missing: give"
                + " when it happened as an ISO-8601 instant such as 2026-03-15T10:00:00Z");
    assertThat(errors.get(1)).startsWith("opagent feedback: line 6: not valid JSON");
    assertThat(errors.get(2))
        .isEqualTo("opagent feedback: line 8: field revenue must not be" + " negative");
    assertThat(err.toString()).doesNotContain("SECRET");
    assertThat(out.toString())
        .contains(
            "Ingested 14 of 17 lines from "
                + file
                + " into "
                + url
                + ": 14 new, 0 already ingested (counted once), 3 failed.")
        .contains(String.format(Locale.ROOT, "  %-26s %d", Outcome.ATTRIBUTED, 11))
        .contains(String.format(Locale.ROOT, "  %-26s %d", Outcome.DUPLICATE_CONVERSION, 1))
        .contains(String.format(Locale.ROOT, "  %-26s %d", Outcome.OUTSIDE_WINDOW, 1))
        .contains(String.format(Locale.ROOT, "  %-26s %d", Outcome.UNATTRIBUTED_NO_DELIVERY, 1));

    try (OperatingStore store = OperatingStore.open(url, "sa", "")) {
      MetricsReport m = store.feedback().loop().metrics();
      Metrics winback = m.campaign("winback").orElseThrow();
      assertThat(winback.delivered()).isEqualTo(10);
      assertThat(winback.opened()).isEqualTo(6);
      assertThat(winback.clicked()).isEqualTo(2);
      assertThat(winback.conversions()).isEqualTo(2);
      assertThat(winback.revenue()).isEqualByComparingTo("200.50");
      assertThat(m.campaign("loyalty").orElseThrow().conversions()).isEqualTo(1);
    }
  }

  @Test
  void feedback_sameFileTwice_countsNothingTwice() throws IOException {
    Path file = interactions(goodLines());
    assertThat(run("feedback", "--interactions", file.toString(), "--store", url)).isZero();

    int again = run("feedback", "--interactions", file.toString(), "--store", url);

    assertThat(again).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains(": 0 new, 14 already ingested (counted once), 0 failed.")
        .contains(String.format(Locale.ROOT, "  %-26s %d", Outcome.ATTRIBUTED, 0));
    try (OperatingStore store = OperatingStore.open(url, "sa", "")) {
      MetricsReport m = store.feedback().loop().metrics();
      assertThat(m.campaign("winback").orElseThrow().opened()).isEqualTo(6);
      assertThat(m.attributions().total()).isEqualTo(14);
    }
  }

  @Test
  void feedback_missingInputOrBadWindow_isAUsageError() {
    assertThat(
            run("feedback", "--interactions", dir.resolve("nope.jsonl").toString(), "--store", url))
        .isEqualTo(2);
    assertThat(err.toString()).contains("cannot read --interactions");
    assertThat(run("feedback", "--interactions", dir.toString(), "--conversion-window", "0d"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--conversion-window must be positive");
  }

  @Test
  void reportStore_afterFeedback_drawsCampaignMetricsExperimentsBanditAndRoi() throws IOException {
    assertThat(
            run("feedback", "--interactions", interactions(goodLines()).toString(), "--store", url))
        .isZero();
    Path page = dir.resolve("pages/store.html");

    int code = run("report", "--store", url, "--output", page.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("Wrote " + page.toAbsolutePath());
    Document doc = Jsoup.parse(page.toFile(), "UTF-8");
    List<String> winback = cells(doc, "section#metrics table.metrics tbody tr", "winback");
    assertThat(winback)
        .containsExactly(
            "winback",
            "10",
            "6 (60.00%)",
            "2 (20.00%)",
            "0 (0.00%)",
            "2 (20.00%)",
            "200.50",
            "5.00");
    assertThat(cells(doc, "section#metrics table.metrics tbody tr", "loyalty"))
        .containsExactly(
            "loyalty", "4", "0 (0.00%)", "0 (0.00%)", "0 (0.00%)", "1 (25.00%)", "30.00", "1.00");
    assertThat(doc.select("section#metrics table.kv").text())
        .contains("ATTRIBUTED 11", "OUTSIDE_WINDOW 1", "DUPLICATE_CONVERSION 1");
    assertThat(doc.select("section#experiments article h3").eachText())
        .containsExactly("winback · winback-subject");
    assertThat(doc.select("section#experiments article td").eachText())
        .containsSubsequence("control control", "5", "0", "B", "5", "2", "40.00%");
    assertThat(doc.select("section#bandit canvas")).hasSize(1);
    assertThat(cells(doc, "section#roi tbody tr", "winback"))
        .containsExactly("winback", "200.50", "5.00", "195.50", "39.10");
    assertThat(doc.select("section#roi tr.total").text())
        .isEqualTo("all campaigns 230.50 6.00 224.50 37.42");
    assertThat(doc.select("section#headline .card .value").eachText()).contains("14");
  }

  @Test
  void report_neitherOrBothSources_isAUsageError() throws IOException {
    Path summary = Files.writeString(dir.resolve("summary.json"), "{}");

    assertThat(run("report")).isEqualTo(2);
    assertThat(err.toString()).contains("give exactly one of --summary FILE");
    assertThat(run("report", "--summary", summary.toString(), "--store", url)).isEqualTo(2);
    assertThat(err.toString()).contains("give exactly one of --summary FILE");
  }

  private static List<String> cells(Document doc, String rows, String first) {
    for (Element tr : doc.select(rows)) {
      List<String> texts = tr.select("td").eachText();
      if (!texts.isEmpty() && texts.get(0).equals(first)) {
        return texts;
      }
    }
    return List.of();
  }
}
