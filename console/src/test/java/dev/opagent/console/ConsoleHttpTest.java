package dev.opagent.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalScope;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.approval.AuditEvent;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.console.internal.Views;
import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.RuleSetHolder;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.store.OperatingStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console over real HTTP, on an H2 store and a rules file. */
class ConsoleHttpTest {
  private static final String TOKEN = "s3cret-console-token-for-tests";
  private static final AtomicInteger CUSTOMERS = new AtomicInteger();
  // one store for the class (opening one migrates its schema, a second per test); each test has its
  // own customer, and so its own approval requests
  private static OperatingStore store;

  static final String RULES =
      """
      {
        "name": "test campaigns",
        "rules": [
          {
            "rule_id": "winback",
            "name": "Win-back",
            "conditions": { "segments.churnSegment": "Riskli" },
            "actions": [
              { "type": "send_email", "template": "winback_offer", "delay_minutes": 0 },
              { "type": "create_discount", "discount": 0.25, "expiry_days": 14 }
            ],
            "priority": "high",
            "enabled": true
          },
          {
            "rule_id": "sneaky",
            "name": "<script>alert('x')</script>",
            "conditions": { "segments.churnSegment": "Ilık" },
            "actions": [ { "type": "send_email", "template": "note", "delay_minutes": 0 } ],
            "priority": "low"
          }
        ]
      }
      """;

  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();
  private final String customer = "C-" + CUSTOMERS.incrementAndGet() + "00742";
  private Path rulesFile;
  private RuleSetHolder holder;
  private ConsoleServer server;
  private Browser browser;

  @BeforeAll
  static void openStore() {
    store =
        OperatingStore.open(
            "jdbc:h2:mem:console-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
  }

  @AfterAll
  static void closeStore() {
    store.close();
  }

  @BeforeEach
  void start() throws IOException {
    rulesFile = dir.resolve("campaigns.json");
    Files.writeString(rulesFile, RULES);
    RuleSetLoader loader = RuleSetLoader.ofDefaults();
    holder = RuleSetHolder.load(loader, RuleSource.file(rulesFile));
    ConsoleHandler handler =
        ConsoleHandler.builder()
            .store(store)
            .authenticator(ConsoleAuthenticator.token(TOKEN))
            .rules(holder, loader)
            .clock(clock)
            .build();
    server = ConsoleServer.start(handler, ConsoleServer.LOOPBACK, 0, "/console");
    browser = new Browser(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Files a pending approval the way the loop does: a decision over the rules, in live mode. */
  private ApprovalRequest pendingFromDecision() {
    DecisionPolicy policy =
        DecisionPolicy.builder()
            .clearFrequencyCaps()
            .clearQuietHours()
            .clearExecutionLimits()
            .clearExclusiveCampaigns()
            .approval(new ApprovalThresholds(0.20, null, Long.MAX_VALUE, ApprovalScope.ACTION))
            .build();
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(policy)
            .approvalGate(store.approvalGate(clock))
            .build();
    Eligibility eligibility =
        CampaignEvaluator.ofDefaults()
            .evaluate(
                holder.current(),
                customer,
                MapAttributes.of(Map.of("segments", Map.of("churnSegment", "Riskli"))));
    engine.decide(
        CustomerContext.builder(eligibility)
            .consents(List.of(Channel.EMAIL))
            .zone(ZoneId.of("UTC"))
            .customerValue(100)
            .expectedBasket(100)
            .build());
    List<ApprovalRequest> pending =
        store.approvalStore().pending().stream()
            .filter(r -> r.key().value().contains(":" + customer + ":"))
            .toList();
    assertThat(pending).hasSize(1);
    return pending.get(0);
  }

  private String loggedIn(String operator) throws Exception {
    HttpResponse<String> r = browser.login(operator, TOKEN);
    assertThat(r.statusCode()).isEqualTo(303);
    return Browser.csrf(browser.get("/approvals").body());
  }

  private ApprovalStatus statusOf(ApprovalRequest r) {
    return store.approvalGate(clock).find(r.id()).orElseThrow().status();
  }

  @Test
  void login_rightToken_opensSessionWithStrictHttpOnlyCookie() throws Exception {
    HttpResponse<String> first = browser.get("/");
    assertThat(first.statusCode()).isEqualTo(303);
    assertThat(first.headers().firstValue("Location")).hasValue("/console/login");

    HttpResponse<String> r = browser.login("alice", TOKEN);

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().allValues("Set-Cookie"))
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith(ConsoleHandler.SESSION_COOKIE + "=")
                    .contains("HttpOnly", "SameSite=Strict", "Path=/console/"));
    HttpResponse<String> page = browser.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Signed in as alice");
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
  }

  @Test
  void login_wrongToken_401AndNoSession() throws Exception {
    HttpResponse<String> r = browser.login("alice", TOKEN + "x");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(browser.cookies).doesNotContainKey(ConsoleHandler.SESSION_COOKIE);
    assertThat(browser.get("/approvals").statusCode()).isEqualTo(303);
  }

  @Test
  void login_manyFailures_furtherAttemptsRefusedUncheckedForAMinute() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertThat(browser.login("mallory", "guess-" + i).statusCode()).isEqualTo(401);
    }

    HttpResponse<String> r = browser.login("alice", TOKEN);

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("60");
    assertThat(browser.cookies).doesNotContainKey(ConsoleHandler.SESSION_COOKIE);
  }

  @Test
  void login_withoutTheFormToken_403() throws Exception {
    browser.get("/login");

    HttpResponse<String> r =
        browser.post("/login", Map.of("csrf", "forged", "user", "alice", "secret", TOKEN));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(browser.cookies).doesNotContainKey(ConsoleHandler.SESSION_COOKIE);
  }

  @Test
  void approve_pendingFromDecision_listedMaskedAndGrantedWithTheOperatorInTheAudit()
      throws Exception {
    ApprovalRequest request = pendingFromDecision();
    String csrf = loggedIn("alice");

    String inbox = browser.get("/approvals").body();
    assertThat(inbox).contains(request.id(), "****42", request.summary().replace("'", "&#39;"));
    assertThat(inbox).doesNotContain(customer);
    BigDecimal cost = request.cost();
    assertThat(cost).as("the engine files the action's expected cost").isNotNull().isPositive();
    assertThat(inbox).contains("<td class=\"n\">" + Views.money(cost) + "</td>");

    HttpResponse<String> r =
        browser.post(
            "/approvals/decide",
            Map.of("csrf", csrf, "id", request.id(), "decision", "approve", "reason", "ok Q3"));

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(statusOf(request)).isEqualTo(ApprovalStatus.APPROVED);
    AuditEvent last = store.approvalGate(clock).auditTrail(request.key()).get(1);
    assertThat(last.type()).isEqualTo(AuditEvent.Type.GRANTED);
    assertThat(last.actor()).isEqualTo("alice");
    assertThat(last.reason()).isEqualTo("ok Q3");
    assertThat(browser.get("/approvals").body()).contains("Approved " + request.id());
    String audit = browser.get("/audit").body();
    assertThat(audit).contains("GRANTED", "alice", "ok Q3").doesNotContain(customer);
  }

  @Test
  void approve_withoutSession_401AndNothingChanges() throws Exception {
    ApprovalRequest request = pendingFromDecision();

    HttpResponse<String> r =
        browser.post(
            "/approvals/decide",
            Map.of("csrf", "x", "id", request.id(), "decision", "approve", "reason", "r"));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(statusOf(request)).isEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void approve_withoutOrWithAWrongFormToken_403AndNothingChanges() throws Exception {
    ApprovalRequest request = pendingFromDecision();
    String csrf = loggedIn("alice");

    HttpResponse<String> missing =
        browser.post("/approvals/decide", Map.of("id", request.id(), "decision", "approve"));
    HttpResponse<String> wrong =
        browser.post(
            "/approvals/decide",
            Map.of("csrf", csrf.substring(1) + "A", "id", request.id(), "decision", "approve"));
    HttpResponse<String> otherSite =
        browser.post(
            "/approvals/decide",
            Map.of("csrf", csrf, "id", request.id(), "decision", "approve"),
            Map.of("Origin", "https://evil.example"));

    assertThat(missing.statusCode()).isEqualTo(403);
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(otherSite.statusCode()).isEqualTo(403);
    assertThat(statusOf(request)).isEqualTo(ApprovalStatus.PENDING);
    assertThat(store.approvalGate(clock).auditTrail(request.key())).hasSize(1);
  }

  @Test
  void reject_needsAReason() throws Exception {
    ApprovalRequest request = pendingFromDecision();
    String csrf = loggedIn("bob");

    HttpResponse<String> blank =
        browser.post(
            "/approvals/decide",
            Map.of("csrf", csrf, "id", request.id(), "decision", "reject", "reason", "  "));
    assertThat(blank.statusCode()).isEqualTo(400);
    assertThat(statusOf(request)).isEqualTo(ApprovalStatus.PENDING);

    HttpResponse<String> given =
        browser.post(
            "/approvals/decide",
            Map.of("csrf", csrf, "id", request.id(), "decision", "reject", "reason", "too deep"));
    assertThat(given.statusCode()).isEqualTo(303);
    ApprovalRequest after = store.approvalGate(clock).find(request.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(ApprovalStatus.REJECTED);
    assertThat(after.decidedBy()).isEqualTo("bob");

    HttpResponse<String> again =
        browser.post(
            "/approvals/decide",
            Map.of("csrf", csrf, "id", request.id(), "decision", "approve", "reason", "x"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(statusOf(request)).isEqualTo(ApprovalStatus.REJECTED);
  }

  @Test
  void customerIds_maskedByDefault_shownInFullOnlyAfterTheSwitch() throws Exception {
    pendingFromDecision();
    String csrf = loggedIn("alice");
    assertThat(browser.get("/approvals").body()).doesNotContain(customer).contains("****42");

    HttpResponse<String> r =
        browser.post("/customer-ids", Map.of("csrf", csrf, "show", "true", "back", "approvals"));

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).hasValue("/console/approvals");
    assertThat(browser.get("/approvals").body()).contains(customer);
    browser.post("/customer-ids", Map.of("csrf", csrf, "show", "false"));
    assertThat(browser.get("/approvals").body()).doesNotContain(customer);
  }

  @Test
  void campaignName_isEscaped() throws Exception {
    loggedIn("alice");

    String page = browser.get("/campaigns").body();

    assertThat(page).doesNotContain("<script>").contains("&lt;script&gt;");
  }

  @Test
  void disable_rewritesTheFileAtomically_auditsAndTheEvaluatorSkipsIt() throws Exception {
    String csrf = loggedIn("carol");
    String page = browser.get("/campaigns").body();
    String digest = fileDigest(page);

    HttpResponse<String> r =
        browser.post(
            "/campaigns/toggle",
            Map.of(
                "csrf",
                csrf,
                "id",
                "winback",
                "enabled",
                "false",
                "file",
                digest,
                "reason",
                "paused for audit"));

    assertThat(r.statusCode()).isEqualTo(303);
    String written = Files.readString(rulesFile);
    assertThat(written)
        .as("one value changed, the rest of the file as it was")
        .isEqualTo(RULES.replace("\"enabled\": true", "\"enabled\": false"));
    assertThat(RuleSetLoader.ofDefaults().load(RuleSource.string("check", written)).rule("winback"))
        .hasValueSatisfying(rule -> assertThat(rule.enabled()).isFalse());
    assertThat(holder.current().rule("winback").orElseThrow().enabled()).isFalse();
    assertThat(holder.current().rule("sneaky").orElseThrow().enabled()).isTrue();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".tmp"))
          .contains("campaigns.json.audit.jsonl");
    }
    Eligibility e =
        CampaignEvaluator.ofDefaults()
            .evaluate(
                holder.current(),
                customer,
                MapAttributes.of(Map.of("segments", Map.of("churnSegment", "Riskli"))));
    assertThat(e.isEligible("winback")).isFalse();
    assertThat(e.eligible()).isEmpty();
    String audit = browser.get("/audit").body();
    assertThat(audit)
        .contains("CAMPAIGN_DISABLED", "campaign winback", "carol", "paused for audit");

    String again = fileDigest(browser.get("/campaigns").body());
    HttpResponse<String> enable =
        browser.post(
            "/campaigns/toggle",
            Map.of("csrf", csrf, "id", "winback", "enabled", "true", "file", again));
    assertThat(enable.statusCode()).isEqualTo(303);
    assertThat(holder.current().rule("winback").orElseThrow().enabled()).isTrue();
  }

  @Test
  void disable_aCampaignWithoutAnEnabledField_addsOneAfterItsId() throws Exception {
    String csrf = loggedIn("carol");
    String digest = fileDigest(browser.get("/campaigns").body());

    HttpResponse<String> r =
        browser.post(
            "/campaigns/toggle",
            Map.of("csrf", csrf, "id", "sneaky", "enabled", "false", "file", digest));

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(Files.readString(rulesFile))
        .isEqualTo(
            RULES.replace(
                "\"rule_id\": \"sneaky\",", "\"rule_id\": \"sneaky\", \"enabled\": false,"));
    assertThat(holder.current().rule("sneaky").orElseThrow().enabled()).isFalse();
    assertThat(browser.get("/campaigns").body()).contains(">disabled<");
  }

  @Test
  void toggle_whenTheResultWouldNotLoad_leavesTheFileByteForByteUnchanged() throws Exception {
    String csrf = loggedIn("carol");
    String digest = fileDigest(browser.get("/campaigns").body());
    // someone breaks another campaign in the file after the page was shown, and the console is
    // asked to change a campaign in that file: nothing may be written
    String broken = RULES.replace("\"priority\": \"low\"", "\"priority\": \"urgent\"");
    Files.writeString(rulesFile, broken);
    byte[] before = Files.readAllBytes(rulesFile);
    String brokenDigest = sha256(before);

    HttpResponse<String> r =
        browser.post(
            "/campaigns/toggle",
            Map.of("csrf", csrf, "id", "winback", "enabled", "false", "file", brokenDigest));

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(Files.readAllBytes(rulesFile)).isEqualTo(before);
    assertThat(holder.current().rule("winback").orElseThrow().enabled()).isTrue();
    assertThat(dir.resolve("campaigns.json.audit.jsonl")).doesNotExist();

    HttpResponse<String> stale =
        browser.post(
            "/campaigns/toggle",
            Map.of("csrf", csrf, "id", "winback", "enabled", "false", "file", digest));
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(Files.readAllBytes(rulesFile)).isEqualTo(before);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void toggle_withoutTheFormToken_403AndTheFileUnchanged() throws Exception {
    loggedIn("carol");
    String digest = fileDigest(browser.get("/campaigns").body());
    byte[] before = Files.readAllBytes(rulesFile);

    HttpResponse<String> r =
        browser.post(
            "/campaigns/toggle",
            Map.of("csrf", "nope", "id", "winback", "enabled", "false", "file", digest));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(Files.readAllBytes(rulesFile)).isEqualTo(before);
  }

  @Test
  void dashboard_showsRecentRunsWithCountsAndRefreshesItself() throws Exception {
    Instant now = clock.instant();
    ActionRequest a = request("run-2026-03-15", "k-1", "C-1", now);
    ActionRequest b = request("run-2026-03-15", "k-2", "C-2", now);
    store.journal().runState("run-2026-03-14", RunState.COMPLETED, now.minusSeconds(86_400));
    store.journal().enlist(List.of(a, b), now);
    store.journal().runState("run-2026-03-15", RunState.PLANNED, now);
    store.journal().claim("k-1", "w", now, now.plusSeconds(60));
    store.journal().complete("k-1", "w", DeliveryReceipt.delivered(a, "email", "m-1", now), now);
    store.journal().claim("k-2", "w", now, now.plusSeconds(60));
    store.journal().fail("k-2", "w", "bounced", now);
    pendingFromDecision();
    int pending = store.approvalStore().pending().size();
    loggedIn("alice");

    String page = browser.get("/").body();

    assertThat(page).contains("http-equiv=\"refresh\"", "run-2026-03-15", "run-2026-03-14");
    assertThat(page.indexOf("run-2026-03-15")).isLessThan(page.indexOf("run-2026-03-14"));
    assertThat(between(page, "Pending approvals", "</div>")).contains(">" + pending + "<");
    assertThat(between(page, "Deliveries (latest run)", "</div>")).contains(">1<");
    assertThat(between(page, "Failures (latest run)", "</div>")).contains(">1<");
    assertThat(page).doesNotContain("C-1<", "C-2<");
  }

  @Test
  void logout_endsTheSession() throws Exception {
    String csrf = loggedIn("alice");

    assertThat(browser.post("/logout", Map.of("csrf", csrf)).statusCode()).isEqualTo(303);

    assertThat(browser.get("/approvals").statusCode()).isEqualTo(303);
  }

  @Test
  void loopback_refusesAnotherHostName() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      out.write(
          "GET /console/login HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(status).isEqualTo("HTTP/1.1 421");
    }
    assertThat(browser.get("/login").statusCode()).isEqualTo(200);
  }

  private static ActionRequest request(String run, String key, String customer, Instant at) {
    return new ActionRequest(
        key,
        run,
        customer,
        "winback",
        "send_email",
        "email",
        Map.of("template", "winback_offer"),
        List.of(),
        null,
        null,
        BigDecimal.ZERO,
        at);
  }

  private static String between(String text, String from, String to) {
    int i = text.indexOf(from);
    assertThat(i).as(from).isNotNegative();
    return text.substring(i, text.indexOf(to, i));
  }

  private static String fileDigest(String page) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("name=\"file\" value=\"([0-9a-f]{64})\"").matcher(page);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
