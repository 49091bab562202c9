package dev.opagent.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.agent.experiment.Allocation;
import dev.opagent.agent.experiment.Comparison;
import dev.opagent.agent.experiment.Experiment;
import dev.opagent.agent.experiment.ExperimentAnalysis;
import dev.opagent.agent.experiment.ExperimentResult;
import dev.opagent.agent.experiment.ThompsonSampler;
import dev.opagent.agent.experiment.VariantCounts;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionType;
import dev.opagent.agent.loop.RoundRecorder;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.RuleSetHolder;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.store.OperatingStore;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The actions and experiments pages over real HTTP, on an H2 store with a journal and feedback. */
class ConsolePagesTest {
  private static final String TOKEN = "s3cret-console-token-for-tests";
  private static final Clock CLOCK = Clock.systemUTC();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static OperatingStore store;
  private static ConsoleServer server;
  private static Instant now;

  @BeforeAll
  static void start() throws Exception {
    store =
        OperatingStore.open(
            "jdbc:h2:mem:console-pages-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    server =
        ConsoleServer.start(
            ConsoleHandler.builder()
                .store(store)
                .authenticator(ConsoleAuthenticator.token(TOKEN))
                .clock(CLOCK)
                .build(),
            ConsoleServer.LOOPBACK,
            0,
            "/console");
    now = CLOCK.instant();
    // run-a: an email delivered, one failed, a discount that needed an approval (granted);
    // run-b: another customer's action of another campaign, still pending
    ActionRequest delivered =
        request("run-a", "ik-a1", "C-4410017", "winback", "send_email", false);
    ActionRequest failed = request("run-a", "ik-a2", "C-4410028", "winback", "send_sms", false);
    ActionRequest approved =
        request("run-a", "ik-a3", "C-4410017", "winback", "create_discount", true);
    ActionRequest waiting = request("run-b", "ik-b1", "C-5520039", "loyalty", "send_email", false);
    store.journal().enlist(List.of(delivered, failed, approved), now.minusSeconds(120));
    store.journal().enlist(List.of(waiting), now.minusSeconds(60));
    complete(delivered, "msg-1");
    store.journal().claim("ik-a2", "w", now, now.plusSeconds(60));
    store.journal().fail("ik-a2", "w", "sms provider refused the number (21211)", now);
    var gate = store.approvalGate(CLOCK);
    ApprovalRequest r =
        gate.request(
            ApprovalKey.action("winback", "C-4410017", "create_discount"),
            "25% discount",
            "engine");
    gate.grant(r.id(), "maria", "fits the budget");
    complete(approved, "code-1");
    store.journal().runState("run-a", RunState.COMPLETED, now.minusSeconds(30));
    store.journal().runState("run-b", RunState.PLANNED, now);
    ((RoundRecorder) store.operatingState())
        .recordRound(
            new RoundReport(
                "run-b",
                false,
                true,
                250,
                248,
                3,
                0,
                0,
                Map.of("INTERNAL_ERROR", 2L),
                Map.of("loyalty", 41L, "winback", 17L),
                5,
                1,
                4,
                9,
                2,
                Map.of(ReasonCode.FREQUENCY_CAP, 9L, ReasonCode.APPROVAL_PENDING, 4L),
                1,
                0,
                new ExecutionReport(
                    "run-b", 1, 0, 0, 0, 0, 1, 0, 0, 0, Map.of(), Map.of(), Duration.ZERO),
                List.of(),
                Duration.ofSeconds(12)),
            now);
    // what a batch reserves against budgets, as the operating state journals it
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + store.tablePrefix()
                    + "ledger (idempotency_key, customer_id, campaign, action_type,"
                    + " contact_channel, counted_types, planned_at, decided_at, reserved_units)"
                    + " VALUES (?, ?, ?, ?, NULL, '', ?, ?, 5000)")) {
      for (ActionRequest a : List.of(delivered, approved, waiting)) {
        ps.setString(1, a.idempotencyKey());
        ps.setString(2, a.customerId());
        ps.setString(3, a.campaign());
        ps.setString(4, a.actionType());
        ps.setTimestamp(5, Timestamp.from(now));
        ps.setTimestamp(6, Timestamp.from(now));
        ps.executeUpdate();
      }
    }
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
  }

  @Test
  void dashboard_deliveriesPerMinuteFailuresByCauseBudgetsAndTheAgentCircuit() throws Exception {
    Currency currency = DecisionPolicy.DEFAULT_CURRENCY;
    try (ConsoleServer withBudgets =
        ConsoleServer.start(
            ConsoleHandler.builder()
                .store(store)
                .authenticator(ConsoleAuthenticator.token(TOKEN))
                .budgets(
                    BudgetLimits.builder(currency)
                        .global(new BigDecimal("10.00"))
                        .putCampaign("winback", new BigDecimal("0.80"))
                        .build())
                .agentCircuit(() -> true)
                // the minute the deliveries were made, whenever the page is asked for
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build(),
            ConsoleServer.LOOPBACK,
            0,
            "/console")) {
      Browser b = new Browser(withBudgets.url());
      assertThat(b.login("maria", TOKEN).statusCode()).isEqualTo(303);

      String page = b.get("/").body();

      String code = currency.getCurrencyCode();
      assertThat(between(page, "Budgets", "</table>"))
          .contains("all campaigns", "1.5000 " + code, "10.00 " + code, "15%")
          .contains("campaign winback", "class=\"n bad\">1.0000 " + code, "125%");
      assertThat(between(page, "Failures by cause", "</table>"))
          .contains("sms provider refused the number (21211)</a></td><td class=\"n\">1<");
      assertThat(between(page, "Agent circuit", "</div>")).contains(">open<");
      assertThat(between(page, "Not chosen in the latest round", "</table>"))
          .contains("<code>APPROVAL_PENDING</code></td><td class=\"n\">4<")
          .contains("<code>FREQUENCY_CAP</code></td><td class=\"n\">9<");
      // run-b: 250 customers, 1 chosen, 4 deferred, 9 blocked; run-a was not recorded
      assertThat(between(page, ">run-b</a>", "</tr>"))
          .contains(
              "<td class=\"n\">250</td><td class=\"n\">1</td><td class=\"n\">4</td>"
                  + "<td class=\"n\">9</td>");
      assertThat(between(page, ">run-a</a>", "</tr>"))
          .contains("<td class=\"n\">–</td><td class=\"n\">–</td>");
      JsonNode perMinute =
          chart(charts(page), "deliveries-per-minute").at("/config/data/datasets/0/data");
      assertThat(perMinute).hasSize(60);
      assertThat(perMinute.get(59).asLong()).isEqualTo(2);
      long total = 0;
      for (JsonNode n : perMinute) {
        total += n.asLong();
      }
      assertThat(total).isEqualTo(2);
    }
    assertThat(between(loggedIn().get("/").body(), "Agent circuit", "</div>"))
        .contains("not reported to this console")
        .doesNotContain("Budgets");
  }

  @Test
  void campaigns_showActionsPlannedInTheLatestRunAndWhatTheyDelivered(@TempDir Path dir)
      throws Exception {
    Path rules = dir.resolve("campaigns.json");
    Files.writeString(rules, ConsoleHttpTest.RULES.replace("sneaky", "loyalty"));
    RuleSetLoader loader = RuleSetLoader.ofDefaults();
    // a conversion of the delivered e-mail, so that the campaign has revenue
    store
        .feedback()
        .ingest(
            List.of(
                new Interaction(
                    "ik-a1",
                    "C-4410017",
                    "winback",
                    InteractionType.CONVERTED,
                    now.plusSeconds(1),
                    new BigDecimal("40.00"))));
    try (ConsoleServer withRules =
        ConsoleServer.start(
            ConsoleHandler.builder()
                .store(store)
                .authenticator(ConsoleAuthenticator.token(TOKEN))
                .rules(RuleSetHolder.load(loader, RuleSource.file(rules)), loader)
                .build(),
            ConsoleServer.LOOPBACK,
            0,
            "/console")) {
      Browser b = new Browser(withRules.url());
      assertThat(b.login("maria", TOKEN).statusCode()).isEqualTo(303);

      String page = b.get("/campaigns").body();

      // run-b, the latest, found 41 customers eligible for loyalty and 17 for winback and planned
      // one loyalty action; winback delivered two, one converted
      assertThat(cells(between(page, "<code>loyalty</code>", "</tr>")))
          .startsWith("41", "1", "0", "0", "–");
      assertThat(cells(between(page, "<code>winback</code>", "</tr>")))
          .containsExactly("17", "0", "2", "1", "50.00%", "40.00", "1.00", "3900%");
    }
  }

  @Test
  void actions_byCustomer_listsTheirActionsMaskedWithKeysVerdictsAndOutcomes() throws Exception {
    String page = loggedIn().get("/actions?customer=C-4410017").body();

    assertThat(keys(page)).containsExactly("ik-a3", "ik-a1");
    assertThat(page)
        .contains("ik-a1", "ik-a3", "****17", "delivered by email as msg-1")
        .contains("guardrails passed when planned", "approved by maria at ")
        .doesNotContain("ik-a2", "ik-b1", "C-4410017<");
  }

  @Test
  void actions_byCampaignRunAndOutcome_narrowTheList() throws Exception {
    Browser b = loggedIn();

    assertThat(keys(b.get("/actions?campaign=loyalty").body())).containsExactly("ik-b1");
    assertThat(keys(b.get("/actions?run=run-a").body())).containsExactly("ik-a3", "ik-a2", "ik-a1");
    String failed = b.get("/actions?outcome=failed").body();
    assertThat(keys(failed)).containsExactly("ik-a2");
    assertThat(failed).contains("failed after 1 attempt(s): sms provider refused the number");
    assertThat(keys(b.get("/actions?run=run-a&outcome=PENDING").body())).isEmpty();
    assertThat(keys(b.get("/actions").body())).containsExactly("ik-b1", "ik-a3", "ik-a2", "ik-a1");
  }

  @Test
  void audit_eventsOfTheSameInstant_newestFirst() throws Exception {
    var gate = store.approvalGate(Clock.fixed(now.minusSeconds(7_200), ZoneOffset.UTC));
    ApprovalRequest r = gate.request(ApprovalKey.campaign("spring-sale"), "budget", "engine");
    gate.grant(r.id(), "maria", "approved in one go");

    String page = loggedIn().get("/audit").body();

    int granted = page.indexOf("GRANTED</td><td>approval " + r.id());
    int requested = page.indexOf("REQUESTED</td><td>approval " + r.id());
    assertThat(granted).isNotNegative();
    assertThat(requested).isGreaterThan(granted);
  }

  @Test
  void actions_unknownOutcome_400() throws Exception {
    HttpResponse<String> r = loggedIn().get("/actions?outcome=sent");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("Choose an outcome from the list");
  }

  @Test
  void actions_withoutASession_redirectToTheLogin() throws Exception {
    HttpResponse<String> r = new Browser(server.url()).get("/actions?customer=C-4410017");

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.body()).doesNotContain("ik-a1");
  }

  @Test
  void experiments_showLiftWithIntervalsProbabilityBestSampleRatioAndRounds() throws Exception {
    Experiment e =
        Experiment.builder("subject-lines")
            .campaign("newsletter")
            .variant("control", 0.5)
            .variant("short", 0.5)
            .control("control")
            .minSamplePerArm(10)
            .build();
    // 40 deliveries per arm; 4 conversions in control, 12 with the short subject line
    deliver(e.campaign(), "control", 40, 4);
    deliver(e.campaign(), "short", 40, 12);
    ThompsonSampler sampler = ThompsonSampler.builder(e).seed(3).draws(2_000).build();
    Allocation first =
        sampler.allocate(
            Map.of("control", new VariantCounts(5, 0), "short", new VariantCounts(4, 1)));
    assertThat(first.isExploring()).isTrue();
    store.feedback().recordAllocation(e, first);
    ExperimentResult expected =
        ExperimentAnalysis.of(
            e, Map.of("control", new VariantCounts(40, 4), "short", new VariantCounts(40, 12)));
    Comparison lift = expected.comparison("short").orElseThrow();

    String page = loggedIn().get("/experiments").body();

    String section = between(page, "subject-lines", "</section>");
    assertThat(section)
        .contains("10.00%", "30.00%", points(lift.absoluteLift()))
        .contains(
            points(lift.absoluteLiftInterval().low())
                + " … "
                + points(lift.absoluteLiftInterval().high()))
        .contains(share(expected.probabilityBest("short")))
        .contains("matches the configured weights")
        .contains("exploring after 1 round(s)");
    JsonNode charts = charts(page);
    assertThat(charts.findValuesAsText("id"))
        .contains("experiment-0-lift", "experiment-0-best", "experiment-0-rounds");
    JsonNode liftData = chart(charts, "experiment-0-lift").at("/config/data/datasets/0/data/0");
    assertThat(liftData.get(0).asDouble()).isEqualTo(lift.absoluteLiftInterval().low());
    assertThat(liftData.get(1).asDouble()).isEqualTo(lift.absoluteLiftInterval().high());
    assertThat(page).contains("assets/chart.umd.min.js", "assets/charts.js");
  }

  @Test
  void experiments_aSplitThatDoesNotFollowTheWeights_isShownAsAMismatch() throws Exception {
    Experiment e =
        Experiment.builder("banner-colour")
            .campaign("banner")
            .variant("control", 0.5)
            .variant("red", 0.5)
            .control("control")
            .minSamplePerArm(10)
            .build();
    deliver(e.campaign(), "control", 90, 9);
    deliver(e.campaign(), "red", 30, 3);
    store
        .feedback()
        .recordAllocation(
            e, ThompsonSampler.builder(e).seed(5).draws(1_000).build().allocate(Map.of()));

    String section = between(loggedIn().get("/experiments").body(), "banner-colour", "</section>");

    assertThat(section).contains("MISMATCH", "trust no other figure");
  }

  @Test
  void assets_chartLibraryAndScriptServedFromTheConsole_scriptsOnlyFromItsOrigin()
      throws Exception {
    Browser b = new Browser(server.url());
    HttpResponse<String> library = b.get("/assets/chart.umd.min.js");
    HttpResponse<String> script = b.get("/assets/charts.js");

    assertThat(library.statusCode()).isEqualTo(200);
    assertThat(library.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(library.body()).contains("Chart");
    assertThat(script.body()).contains("opagent-data");
    String csp = library.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe");
  }

  // ---------------------------------------------------------------- helpers

  private static ActionRequest request(
      String run,
      String key,
      String customer,
      String campaign,
      String type,
      boolean needsApproval) {
    return new ActionRequest(
        key,
        run,
        customer,
        campaign,
        type,
        type.equals("send_sms") ? "sms" : "email",
        Map.of(),
        List.of(),
        null,
        null,
        new BigDecimal("0.50"),
        now,
        needsApproval);
  }

  private static void complete(ActionRequest r, String externalId) {
    store.journal().claim(r.idempotencyKey(), "w", now, now.plusSeconds(60));
    store
        .journal()
        .complete(
            r.idempotencyKey(),
            "w",
            DeliveryReceipt.delivered(r, r.channel(), externalId, now),
            now);
  }

  /** {@code n} delivered actions of {@code variant}, {@code conversions} of them converted. */
  private static void deliver(String campaign, String variant, int n, int conversions) {
    String run = campaign + "-" + variant;
    List<ActionRequest> requests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      requests.add(
          new ActionRequest(
              "ik-" + run + "-" + i,
              run,
              "C-" + run + "-" + i,
              campaign,
              "send_email",
              "email",
              Map.of(),
              List.of(),
              variant,
              null,
              BigDecimal.ZERO,
              now.minusSeconds(3_600),
              false));
    }
    store.journal().enlist(requests, now.minusSeconds(3_600));
    List<Interaction> conversionsIn = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ActionRequest r = requests.get(i);
      store.journal().claim(r.idempotencyKey(), "w", now, now.plusSeconds(60));
      store
          .journal()
          .complete(
              r.idempotencyKey(),
              "w",
              DeliveryReceipt.delivered(r, "email", "m-" + i, now.minusSeconds(1_800)),
              now);
      if (i < conversions) {
        conversionsIn.add(
            new Interaction(
                r.idempotencyKey(),
                r.customerId(),
                campaign,
                InteractionType.CONVERTED,
                now.minusSeconds(600),
                BigDecimal.TEN));
      }
    }
    store.feedback().ingest(conversionsIn);
  }

  private static Browser loggedIn() throws Exception {
    Browser b = new Browser(server.url());
    assertThat(b.login("maria", TOKEN).statusCode()).isEqualTo(303);
    return b;
  }

  /** The idempotency keys of the actions listed, in page order. */
  private static List<String> keys(String page) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<td><code>(ik-[^<]+)</code></td>\\s*</tr>").matcher(page);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The numeric cells of a table row, in order. */
  private static List<String> cells(String row) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<td class=\"n\">(?:<a [^>]*>)?([^<]*)").matcher(row);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out.subList(1, out.size()); // after the priority
  }

  private static JsonNode charts(String page) throws Exception {
    String json =
        between(page, "<script type=\"application/json\" id=\"opagent-data\">", "</script>");
    return JSON.readTree(json.substring(json.indexOf('>') + 1)).get("charts");
  }

  private static JsonNode chart(JsonNode charts, String id) {
    for (JsonNode c : charts) {
      if (c.get("id").asText().equals(id)) {
        return c;
      }
    }
    throw new AssertionError("no chart " + id);
  }

  private static String points(double diff) {
    return String.format(Locale.ROOT, "%+.2f pp", diff * 100);
  }

  private static String share(double v) {
    return String.format(Locale.ROOT, "%.0f%%", v * 100);
  }

  private static String between(String text, String from, String to) {
    int i = text.indexOf(from);
    assertThat(i).as(from).isNotNegative();
    return text.substring(i, text.indexOf(to, i));
  }
}
