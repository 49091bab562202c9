package dev.opagent.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalScope;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.approval.AuditEvent;
import dev.opagent.agent.engine.ActionStatus;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.Decision;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.DecisionRun;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.engine.RunMode;
import dev.opagent.agent.engine.RunSummary;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.agent.experiment.Experiment;
import dev.opagent.agent.experiment.ThompsonSampler;
import dev.opagent.agent.experiment.VariantCounts;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionType;
import dev.opagent.agent.loop.RoundRecorder;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.RuleSetHolder;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.store.OperatingStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console in a real headless Chromium, end to end with the loop: runs on an H2 operating store
 * file approvals that an operator answers in the browser, the next run delivers what was approved,
 * and a campaign disabled in the browser is skipped by the next run, which reads the rules the
 * console reloads. Also writes a full-page screenshot of each page (for the README: {@code mvn -pl
 * console test -Dtest=ConsoleBrowserTest -Dopagent.screenshots.dir=$PWD/docs/images}).
 *
 * <p>Needs Chromium and its driver from the system's packages ({@code apt-get install chromium
 * chromium-driver}); without them the tests are skipped, except under CI ({@code CI=true}), where
 * they fail.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  private static final String TOKEN = "s3cret-console-token-for-tests";
  private static final String INSTALL = "apt-get install chromium chromium-driver";
  private static final Path CHROMIUM =
      Path.of(System.getProperty("opagent.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("opagent.chromedriver", "/usr/bin/chromedriver"));
  private static final int WIDTH = 1280;
  private static final int HEIGHT = 900;

  /** A page of the console to screenshot: its name in the file name, its path, its heading. */
  private record Shot(String name, String path, String heading, boolean signedIn) {}

  /** The pages written as console-NAME.png, one line each. */
  private static final List<Shot> SHOTS =
      List.of(
          new Shot("login", "/login", "opagent console", false),
          new Shot("dashboard", "/", "Dashboard", true),
          new Shot("approvals", "/approvals", "Approvals", true),
          new Shot("campaigns", "/campaigns", "Campaigns", true),
          new Shot("actions", "/actions?campaign=winback_offer", "Actions", true),
          new Shot("experiments", "/experiments", "Experiments", true),
          new Shot("audit", "/audit", "Audit trail", true));

  static final String RULES =
      """
      {
        "name": "browser campaigns",
        "rules": [
          {
            "rule_id": "winback",
            "name": "Win-back e-mail",
            "conditions": { "segments.churnSegment": "Riskli" },
            "actions": [ { "type": "send_email", "template": "winback_note", "delay_minutes": 0 } ],
            "priority": "high",
            "enabled": true
          },
          {
            "rule_id": "winback_offer",
            "name": "Win-back discount",
            "conditions": { "segments.churnSegment": "Riskli" },
            "actions": [ { "type": "create_discount", "discount": 0.25, "expiry_days": 14 } ],
            "priority": "high",
            "enabled": true
          },
          {
            "rule_id": "reactivation",
            "name": "Reactivation reminder",
            "conditions": { "segments.churnSegment": "Uykuda" },
            "actions": [ { "type": "send_email", "template": "we_miss_you", "delay_minutes": 0 } ],
            "priority": "medium",
            "enabled": true
          },
          {
            "rule_id": "loyalty",
            "name": "Loyalty thank-you",
            "conditions": { "segments.churnSegment": "Sadık" },
            "actions": [ { "type": "send_email", "template": "thank_you", "delay_minutes": 0 } ],
            "priority": "low",
            "enabled": true
          }
        ]
      }
      """;

  // Selenium logs through java.util.logging; a logger's level holds only while it is referenced
  private static final Logger SELENIUM = Logger.getLogger("org.openqa.selenium");
  private static final AtomicInteger CUSTOMERS = new AtomicInteger(1200);
  private static final AtomicInteger RUNS = new AtomicInteger();

  @TempDir static Path dir;
  // the system's clock moved to about noon UTC of today: the loop's daily idempotency keys do not
  // change in the middle of the class, whenever it runs
  private static final Clock clock =
      Clock.offset(
          Clock.systemUTC(),
          Duration.between(
              Instant.now(),
              LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC)));
  private static OperatingStore store;
  private static Path rulesFile;
  private static RuleSetHolder holder;
  private static ConsoleServer server;
  private static DecisionEngine engine;
  private static ExecutionService executor;
  private static final Outbox outbox = new Outbox();
  private static ChromeDriver driver;
  private static String root;

  /** A channel that keeps every delivery, duplicates included. */
  static final class Outbox implements ActionChannel {
    final List<ActionRequest> delivered = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "outbox";
    }

    @Override
    public DeliveryReceipt deliver(ActionRequest request) {
      delivered.add(request);
      return DeliveryReceipt.delivered(request, name(), "m-" + delivered.size(), clock.instant());
    }

    long count(String customer, String campaign, String actionType) {
      return delivered.stream()
          .filter(
              r ->
                  r.customerId().equals(customer)
                      && r.campaign().equals(campaign)
                      && r.actionType().equals(actionType))
          .count();
    }

    long count(String campaign) {
      return delivered.stream().filter(r -> r.campaign().equals(campaign)).count();
    }
  }

  /** A customer and the churn segment the rules match on. */
  private record Customer(String id, String churnSegment) {
    static Customer in(String churnSegment) {
      return new Customer(
          String.format("C-%07d", CUSTOMERS.incrementAndGet() * 7_919L % 10_000_000), churnSegment);
    }

    /** The id as the console shows it by default. */
    String masked() {
      return "****" + id.substring(id.length() - 2);
    }
  }

  /** What a run decided and delivered. */
  private record Round(String runId, List<Decision> decisions, ExecutionReport execution) {
    List<PlannedAction> of(Customer c, ActionStatus status) {
      return decisions.stream()
          .filter(d -> d.customerId().equals(c.id()))
          .flatMap(d -> d.withStatus(status).stream())
          .toList();
    }

    List<PlannedAction> candidates() {
      return decisions.stream().flatMap(d -> d.candidates().stream()).toList();
    }
  }

  private static boolean browserPresent() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  private static String browserMissing() {
    return "the browser tests need " + CHROMIUM + " and " + CHROMEDRIVER + ": " + INSTALL;
  }

  @BeforeAll
  static void start() throws IOException {
    if (!browserPresent()) {
      if ("true".equals(System.getenv("CI"))) {
        fail(browserMissing());
      }
      return; // each test is skipped, with the message
    }
    SELENIUM.setLevel(Level.SEVERE);

    store =
        OperatingStore.open(
            "jdbc:h2:mem:console-browser-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
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
    root = server.url().replaceAll("/$", "");

    // the loop: a discount deeper than 20% waits for a human, as in the CLI's live runs
    DecisionPolicy policy =
        DecisionPolicy.builder()
            .clearFrequencyCaps()
            .clearQuietHours()
            .clearExecutionLimits()
            .clearExclusiveCampaigns()
            .approval(new ApprovalThresholds(0.20, null, Long.MAX_VALUE, ApprovalScope.ACTION))
            .build();
    engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(policy)
            .approvalGate(store.approvalGate(clock))
            .build();
    executor =
        ExecutionService.builder()
            .clock(clock)
            .journal(store.journal())
            .decisionEngine(engine)
            .channels(ChannelRegistry.builder().register(outbox).fallback(outbox.name()).build())
            .build();

    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .withSilent(true)
            .withLogOutput(OutputStream.nullOutputStream())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=" + WIDTH + "," + HEIGHT,
        "--log-level=3");
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(15));
    // the layout viewport is the window's width exactly, whatever the headless window decorations
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", WIDTH, "height", HEIGHT, "deviceScaleFactor", 1, "mobile", false));
  }

  @BeforeEach
  void needsTheBrowser() {
    assumeTrue(browserPresent(), browserMissing());
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
    if (executor != null) {
      executor.close();
    }
    if (store != null) {
      store.close();
    }
  }

  // ---------------------------------------------------------------- the loop

  /**
   * One round of the loop on the operating store: decisions over the rules the holder has now
   * (those the console reloads), the chosen actions journalled and delivered.
   */
  private static Round run(List<Customer> customers) {
    String runId = "run-" + LocalDate.now(clock) + "-" + RUNS.incrementAndGet();
    store.journal().runState(runId, RunState.PLANNING, clock.instant());
    DecisionRun decisions = engine.startRun(RunMode.LIVE);
    CampaignEvaluator evaluator = CampaignEvaluator.ofDefaults();
    List<Decision> made = new ArrayList<>();
    Map<String, Long> eligible = new TreeMap<>();
    List<ActionRequest> requests = new ArrayList<>();
    List<PlannedAction> origins = new ArrayList<>();
    for (Customer c : customers) {
      Eligibility eligibility =
          evaluator.evaluate(
              holder.current(),
              c.id(),
              MapAttributes.of(Map.of("segments", Map.of("churnSegment", c.churnSegment()))));
      Decision d =
          decisions.decide(
              CustomerContext.builder(eligibility)
                  .consents(List.of(Channel.EMAIL))
                  .zone(ZoneOffset.UTC)
                  .customerValue(100)
                  .expectedBasket(100)
                  .build());
      made.add(d);
      eligibility.eligible().forEach(campaign -> eligible.merge(campaign, 1L, Long::sum));
      for (PlannedAction a : d.chosen()) {
        requests.add(executor.request(runId, a, null, c.churnSegment()));
        origins.add(a);
      }
    }
    executor.enlist(requests, origins);
    store.journal().runState(runId, RunState.PLANNED, clock.instant());
    ExecutionReport report = executor.execute(runId);
    store.journal().runState(runId, RunState.COMPLETED, clock.instant());
    // what the round planned, recorded in the store as OperationAgent records its rounds
    RunSummary planned = decisions.summary();
    ((RoundRecorder) store.operatingState())
        .recordRound(
            new RoundReport(
                runId,
                false,
                true,
                customers.size(),
                customers.size(),
                0,
                0,
                0,
                Map.of(),
                eligible,
                planned.globalHoldouts() + planned.campaignHoldouts(),
                planned.chosen(),
                planned.deferred(),
                planned.blocked(),
                planned.suppressed(),
                planned.reasons(),
                0,
                0,
                report,
                List.of(),
                report.elapsed()),
            clock.instant());
    return new Round(runId, made, report);
  }

  // ---------------------------------------------------------------- the browser

  private static void open(String path) {
    driver.get(root + path);
  }

  private static String heading() {
    return driver.findElement(By.tagName("h1")).getText();
  }

  private static String text() {
    return driver.findElement(By.tagName("body")).getText();
  }

  /** Signs in through the login form, as {@code operator}, from a browser without a session. */
  private static void signIn(String operator) {
    open("/login");
    driver.manage().deleteAllCookies();
    open("/login");
    driver.findElement(By.name("user")).sendKeys(operator);
    driver.findElement(By.name("secret")).sendKeys(TOKEN);
    driver.findElement(By.cssSelector("main.login button[type=submit]")).click();
    await(() -> driver.getCurrentUrl().endsWith("/console/"), "the dashboard after signing in");
    assertThat(heading()).isEqualTo("Dashboard");
    assertThat(text()).contains("Signed in as " + operator);
  }

  /** The table row of the page whose first cell's code is {@code id}. */
  private static WebElement row(String id) {
    return driver.findElement(By.xpath("//tr[td[1]/code[text()='" + id + "']]"));
  }

  private static void await(BooleanSupplier condition, String what) {
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!holds(condition)) {
      if (System.nanoTime() > until) {
        fail("waited 5 s for " + what + "; at " + driver.getCurrentUrl() + ": " + text());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Whether the condition holds; not yet while the page it reads is being replaced. */
  private static boolean holds(BooleanSupplier condition) {
    try {
      return condition.getAsBoolean();
    } catch (WebDriverException e) {
      return false;
    }
  }

  private static ApprovalStatus statusOf(String requestId) {
    return store.approvalGate(clock).find(requestId).orElseThrow().status();
  }

  // ---------------------------------------------------------------- tests

  @Test
  @Order(1)
  void approveInTheBrowser_theNextRunDeliversTheDeferredDiscountOnce() {
    Customer c = Customer.in("Riskli");

    Round first = run(List.of(c));

    assertThat(first.of(c, ActionStatus.CHOSEN))
        .extracting(PlannedAction::actionType)
        .containsExactly("send_email");
    List<PlannedAction> deferred = first.of(c, ActionStatus.DEFERRED);
    assertThat(deferred).extracting(PlannedAction::actionType).containsExactly("create_discount");
    String requestId = deferred.get(0).approvalRequestId();
    assertThat(requestId).isNotNull();
    assertThat(outbox.count(c.id(), "winback", "send_email")).isEqualTo(1);
    assertThat(outbox.count(c.id(), "winback_offer", "create_discount"))
        .as("the discount waits for approval")
        .isZero();
    assertThat(statusOf(requestId)).isEqualTo(ApprovalStatus.PENDING);

    signIn("alice");
    driver.findElement(By.linkText("Approvals")).click();
    assertThat(heading()).isEqualTo("Approvals");
    WebElement row = row(requestId);
    assertThat(row.getText()).contains("winback_offer", "create_discount", c.masked());
    assertThat(driver.getPageSource()).doesNotContain(c.id());
    row.findElement(By.name("reason")).sendKeys("Q4 win-back budget agreed");
    row.findElement(By.xpath(".//button[text()='Approve']")).click();

    await(
        () -> !driver.findElements(By.cssSelector("p.notice")).isEmpty(), "the approval's notice");
    assertThat(driver.findElement(By.cssSelector("p.notice")).getText())
        .isEqualTo("Approved " + requestId + ".");
    assertThat(driver.findElements(By.xpath("//tr[td[1]/code[text()='" + requestId + "']]")))
        .isEmpty();
    ApprovalRequest granted = store.approvalGate(clock).find(requestId).orElseThrow();
    assertThat(granted.status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(granted.decidedBy()).isEqualTo("alice");

    Round second = run(List.of(c));

    assertThat(second.of(c, ActionStatus.CHOSEN))
        .extracting(PlannedAction::actionType)
        .contains("create_discount");
    assertThat(second.execution().completed()).isEqualTo(1);
    assertThat(outbox.count(c.id(), "winback_offer", "create_discount")).isEqualTo(1);
    assertThat(outbox.count(c.id(), "winback", "send_email"))
        .as("the e-mail of the first run is not sent again")
        .isEqualTo(1);

    run(List.of(c));
    assertThat(outbox.count(c.id(), "winback_offer", "create_discount"))
        .as("delivered exactly once, whatever the runs after")
        .isEqualTo(1);

    driver.findElement(By.linkText("Audit trail")).click();
    assertThat(heading()).isEqualTo("Audit trail");
    WebElement grant =
        driver.findElement(By.xpath("//tr[td[2][text()='GRANTED'] and td[4][text()='alice']]"));
    assertThat(grant.getText()).contains("Q4 win-back budget agreed");
    assertThat(driver.getPageSource()).doesNotContain(c.id());
  }

  @Test
  @Order(2)
  void disableInTheBrowser_theNextRunSkipsTheCampaign() throws IOException {
    Customer sleepy = Customer.in("Uykuda");
    Customer loyal = Customer.in("Sadık");
    Round before = run(List.of(sleepy, loyal));
    assertThat(outbox.count(sleepy.id(), "reactivation", "send_email")).isEqualTo(1);
    assertThat(outbox.count(loyal.id(), "loyalty", "send_email")).isEqualTo(1);
    assertThat(before.candidates()).extracting(PlannedAction::campaign).contains("reactivation");

    signIn("carol");
    driver.findElement(By.linkText("Campaigns")).click();
    assertThat(heading()).isEqualTo("Campaigns");
    WebElement row = row("reactivation");
    assertThat(row.getText()).contains("Reactivation reminder");
    row.findElement(By.name("reason")).sendKeys("paused while the offer is reworked");
    row.findElement(By.xpath(".//button[text()='Disable']")).click();

    await(
        () -> !driver.findElements(By.cssSelector("p.notice")).isEmpty(),
        "the campaign change's notice");
    assertThat(row("reactivation").getAttribute("class")).isEqualTo("disabled");
    assertThat(row("loyalty").getAttribute("class")).isEqualTo("enabled");
    assertThat(Files.readString(rulesFile))
        .isEqualTo(
            RULES.replace(
                "\"priority\": \"medium\",\n      \"enabled\": true",
                "\"priority\": \"medium\",\n      \"enabled\": false"));
    assertThat(holder.current().rule("reactivation").orElseThrow().enabled()).isFalse();

    Customer sleepyToo = Customer.in("Uykuda");
    Customer loyalToo = Customer.in("Sadık");
    long reactivations = outbox.count("reactivation");
    Round after = run(List.of(sleepyToo, loyalToo));

    assertThat(after.candidates())
        .extracting(PlannedAction::campaign)
        .doesNotContain("reactivation")
        .contains("loyalty");
    assertThat(after.decisions().stream().filter(d -> d.customerId().equals(sleepyToo.id())))
        .allSatisfy(d -> assertThat(d.candidates()).isEmpty());
    assertThat(outbox.count("reactivation")).isEqualTo(reactivations);
    assertThat(outbox.count(loyalToo.id(), "loyalty", "send_email")).isEqualTo(1);

    driver.findElement(By.linkText("Audit trail")).click();
    WebElement change =
        driver.findElement(
            By.xpath("//tr[td[2][text()='CAMPAIGN_DISABLED'] and td[4][text()='carol']]"));
    assertThat(change.getText()).contains("reactivation", "paused while the offer is reworked");
  }

  @Test
  @Order(3)
  void forms_withoutASessionOrWithAnAlteredToken_changeNothing() throws Exception {
    Customer c = Customer.in("Riskli");
    run(List.of(c));
    String requestId =
        store.approvalStore().pending().stream()
            .filter(r -> r.key().value().contains(":" + c.id() + ":"))
            .map(ApprovalRequest::id)
            .findFirst()
            .orElseThrow();
    byte[] rules = Files.readAllBytes(rulesFile);
    Path campaignAudit = dir.resolve("campaigns.json.audit.jsonl");
    byte[] campaignTrail = Files.exists(campaignAudit) ? Files.readAllBytes(campaignAudit) : null;
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    // no session at all
    assertThat(
            post(
                http,
                "/approvals/decide",
                "csrf=x&id=" + requestId + "&decision=approve&reason=r",
                null,
                null))
        .isEqualTo(401);
    assertThat(
            post(
                http,
                "/campaigns/toggle",
                "csrf=x&id=winback&enabled=false&file=x&reason=r",
                null,
                null))
        .isEqualTo(401);

    // the browser's own forms, their token altered before they are sent
    signIn("bob");
    open("/approvals");
    WebElement decide = row(requestId).findElement(By.tagName("form"));
    driver.executeScript("arguments[0].querySelector('input[name=csrf]').value = 'x'", decide);
    decide.findElement(By.name("reason")).sendKeys("forged");
    decide.findElement(By.xpath(".//button[text()='Approve']")).click();
    await(() -> heading().equals("Refused"), "the refusal");
    assertThat(text()).contains("nothing was changed");

    open("/campaigns");
    WebElement toggle = row("winback").findElement(By.tagName("form"));
    driver.executeScript("arguments[0].querySelector('input[name=csrf]').value = 'x'", toggle);
    toggle.findElement(By.xpath(".//button[text()='Disable']")).click();
    await(() -> heading().equals("Refused"), "the refusal");

    // the browser's session cookie in requests of another client
    Cookie session = driver.manage().getCookieNamed(ConsoleHandler.SESSION_COOKIE);
    assertThat(session).isNotNull();
    open("/approvals");
    String csrf =
        driver.findElement(By.cssSelector("form.decide input[name=csrf]")).getAttribute("value");
    String cookie = session.getName() + "=" + session.getValue();
    assertThat(
            post(
                http,
                "/approvals/decide",
                "csrf=" + csrf.substring(1) + "A&id=" + requestId + "&decision=approve",
                cookie,
                null))
        .isEqualTo(403);
    assertThat(
            post(
                http,
                "/approvals/decide",
                "csrf=" + csrf + "&id=" + requestId + "&decision=approve",
                cookie,
                "https://evil.example"))
        .isEqualTo(403);
    assertThat(
            post(
                http,
                "/campaigns/toggle",
                "csrf=forged&id=winback&enabled=false&file=x",
                cookie,
                null))
        .isEqualTo(403);
    assertThat(post(http, "/customer-ids", "csrf=" + csrf + "&show=false", cookie, null))
        .as("the same session and token do pass, so the refusals above are the token's")
        .isEqualTo(303);

    assertThat(statusOf(requestId)).isEqualTo(ApprovalStatus.PENDING);
    assertThat(
            store
                .approvalGate(clock)
                .auditTrail(store.approvalGate(clock).find(requestId).orElseThrow().key()))
        .extracting(AuditEvent::type)
        .containsExactly(AuditEvent.Type.REQUESTED);
    assertThat(Files.readAllBytes(rulesFile)).isEqualTo(rules);
    assertThat(holder.current().rule("winback").orElseThrow().enabled()).isTrue();
    if (campaignTrail == null) {
      assertThat(campaignAudit).doesNotExist();
    } else {
      assertThat(Files.readAllBytes(campaignAudit)).isEqualTo(campaignTrail);
    }

    // the untouched form still works: the request is rejected, with a reason
    open("/approvals");
    WebElement again = row(requestId);
    again.findElement(By.name("reason")).sendKeys("not for this customer");
    again.findElement(By.xpath(".//button[text()='Reject']")).click();
    await(
        () -> !driver.findElements(By.cssSelector("p.notice")).isEmpty(), "the rejection's notice");
    assertThat(statusOf(requestId)).isEqualTo(ApprovalStatus.REJECTED);
  }

  private int post(HttpClient http, String path, String form, String cookie, String origin)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(root + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  @Order(4)
  void screenshots_ofEveryPage() throws IOException {
    Customer first = Customer.in("Riskli");
    Customer second = Customer.in("Riskli");
    Customer sleepy = Customer.in("Uykuda");
    Customer loyal = Customer.in("Sadık");
    List<Customer> all = List.of(first, second, sleepy, loyal);
    run(all);
    String granted =
        store.approvalStore().pending().stream()
            .filter(r -> r.key().value().contains(":" + first.id() + ":"))
            .map(ApprovalRequest::id)
            .findFirst()
            .orElseThrow();
    store.approvalGate(clock).grant(granted, "marketing-manager", "within the quarter's budget");
    run(all);

    experiment();

    String configured = System.getProperty("opagent.screenshots.dir", "");
    Path out = configured.isBlank() ? Path.of("target", "screenshots") : Path.of(configured);
    Files.createDirectories(out);
    for (Shot shot : SHOTS) {
      if (shot.signedIn()) {
        if (driver.findElements(By.cssSelector("div.who")).isEmpty()) {
          signIn("alice");
        }
      } else {
        open("/login");
        driver.manage().deleteAllCookies();
      }
      open(shot.path());
      assertThat(heading()).as(shot.name()).isEqualTo(shot.heading());
      for (WebElement canvas : driver.findElements(By.tagName("canvas"))) {
        // Chart.js, served by the console under its script policy, drew every chart
        assertThat(
                driver.executeScript(
                    "return Chart.getChart(arguments[0]) !== undefined", canvas.getAttribute("id")))
            .as(shot.name() + " chart " + canvas.getAttribute("id"))
            .isEqualTo(true);
      }
      String source = driver.getPageSource();
      for (Customer c : all) {
        assertThat(source).as("customer ids are masked").doesNotContain(c.id());
      }
      if (shot.name().equals("approvals")) {
        assertThat(source).contains(second.masked());
      }
      Path file = out.resolve("console-" + shot.name() + ".png");
      byte[] png = fullPage();
      Files.write(file, png);
      assertPng(file);
    }
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsAll(SHOTS.stream().map(s -> "console-" + s.name() + ".png").toList());
    }
  }

  /**
   * An experiment on the win-back e-mail's subject line, as the loop's feedback leaves it in the
   * store: deliveries per variant, their conversions ingested, and six bandit rounds that explore
   * until each arm has 60 deliveries and then move traffic to the better one.
   */
  private static void experiment() {
    Experiment e =
        Experiment.builder("winback-subject")
            .campaign("winback")
            .variant("control", 0.5)
            .variant("short", 0.5)
            .control("control")
            .minSamplePerArm(60)
            .build();
    ThompsonSampler sampler = ThompsonSampler.builder(e).seed(11).clock(clock).build();
    int[][] rounds = {{20, 2, 21, 3}, {41, 4, 40, 7}, {62, 6, 60, 11}, {80, 8, 95, 18}};
    for (int[] r : rounds) {
      store
          .feedback()
          .recordAllocation(
              e,
              sampler.allocate(
                  Map.of(
                      "control", new VariantCounts(r[0], r[1]),
                      "short", new VariantCounts(r[2], r[3]))));
    }
    int[] last = rounds[rounds.length - 1];
    List<ActionRequest> requests = new ArrayList<>();
    List<Interaction> conversions = new ArrayList<>();
    for (String variant : List.of("control", "short")) {
      int n = variant.equals("control") ? last[0] : last[2];
      int converted = variant.equals("control") ? last[1] : last[3];
      for (int i = 0; i < n; i++) {
        String key = "ik-subject-" + variant + "-" + i;
        requests.add(
            new ActionRequest(
                key,
                "run-subject-test",
                "C-subject-" + variant + "-" + i,
                "winback",
                "send_email",
                "email",
                Map.of(),
                List.of(),
                variant,
                "Riskli",
                new BigDecimal("0.05"),
                clock.instant(),
                false));
        if (i < converted) {
          conversions.add(
              new Interaction(
                  key,
                  "C-subject-" + variant + "-" + i,
                  "winback",
                  InteractionType.CONVERTED,
                  clock.instant().plusSeconds(60),
                  new BigDecimal("120.00")));
        }
      }
    }
    Instant at = clock.instant();
    store.journal().enlist(requests, at);
    for (ActionRequest r : requests) {
      store.journal().claim(r.idempotencyKey(), "w", at, at.plusSeconds(60));
      store
          .journal()
          .complete(r.idempotencyKey(), "w", DeliveryReceipt.delivered(r, "email", "m", at), at);
    }
    store.feedback().ingest(conversions);
  }

  /** The whole page, not only the window, as a PNG the width of the window. */
  @SuppressWarnings("unchecked")
  private static byte[] fullPage() {
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
    long height = Math.max(HEIGHT, Math.round(((Number) content.get("height")).doubleValue()));
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of(
                "format",
                "png",
                "captureBeyondViewport",
                true,
                "clip",
                Map.of("x", 0, "y", 0, "width", WIDTH, "height", height, "scale", 1)));
    return Base64.getDecoder().decode((String) shot.get("data"));
  }

  private static void assertPng(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertThat(Arrays.copyOf(bytes, 8))
        .as(file + " is a PNG")
        .isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    assertThat(image).as(file + " decodes").isNotNull();
    assertThat(image.getWidth()).as(file + " width").isEqualTo(WIDTH);
    assertThat(image.getHeight()).as(file + " height").isGreaterThanOrEqualTo(HEIGHT);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 4) {
      for (int x = 0; x < image.getWidth(); x += 4) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertThat(colours.size()).as(file + " shows more than a blank page").isGreaterThan(10);
    assertThat(bytes.length).as(file + " size").isGreaterThan(10_000);
  }
}
