package dev.opagent.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.console.internal.Actions;
import dev.opagent.console.internal.Activity;
import dev.opagent.console.internal.Asset;
import dev.opagent.console.internal.CampaignAudit;
import dev.opagent.console.internal.CampaignFile;
import dev.opagent.console.internal.ExperimentView;
import dev.opagent.console.internal.Experiments;
import dev.opagent.console.internal.Runs;
import dev.opagent.console.internal.Sessions;
import dev.opagent.console.internal.Sessions.Session;
import dev.opagent.console.internal.Views;
import dev.opagent.console.internal.Views.ActionRow;
import dev.opagent.console.internal.Views.ApprovalRow;
import dev.opagent.console.internal.Views.AuditRow;
import dev.opagent.console.internal.Views.CampaignRow;
import dev.opagent.console.internal.Views.Page;
import dev.opagent.console.internal.Views.RunRow;
import dev.opagent.rules.RuleSetHolder;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.store.OperatingStore;
import dev.opagent.store.RecordedRound;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations console as one {@link HttpHandler}: a dashboard of recent rounds (deliveries per
 * minute, failures by cause, budgets in use, the agent's circuit), the campaigns of a rules file,
 * the actions of the journal, the experiments, the approvals inbox and the audit trail. A host
 * mounts it under a path of its own {@code HttpServer} ({@code server.createContext("/console",
 * handler)}) or of its servlet container ({@link ConsoleServlet}); {@link ConsoleServer} serves it
 * alone. Everything it shows is read from the operating store (and the rules file), so consoles in
 * several processes show the same. Thread-safe.
 *
 * <p><b>Security.</b> Every page but the login form needs a session, opened by logging in with a
 * name and secret that the {@link ConsoleAuthenticator} accepts; the session cookie is {@code
 * HttpOnly; SameSite=Strict} (and {@code Secure} with {@link Builder#secureCookies}). Every form
 * carries the session's token, and a POST without it, with another one, or without a session
 * changes nothing (403, or 401 without a session); a POST from another origin is refused too. After
 * ten failed logins in a minute, further ones are refused unchecked until the minute is over.
 * Approvals are decided through the operating store's {@link ApprovalGate}, which records who and
 * when in the approval audit trail; campaign changes are recorded in a trail of the same kind
 * beside the rules file. Customer ids are masked ({@code ****} and the last two characters) unless
 * the operator switches them on for the session. Pages are sent with a content security policy that
 * allows scripts only from the console's own files (the charts), nothing from other origins, and
 * are never cached.
 */
public final class ConsoleHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);
  static final String SESSION_COOKIE = "opagent_console";
  static final String LOGIN_COOKIE = "opagent_console_login";
  private static final int MAX_FORM_BYTES = 64 * 1024;
  private static final int MAX_REASON = 500;
  private static final int AUDIT_LIMIT = 500;
  private static final int RECENT_RUNS = 10;
  private static final int MINUTES = 60;
  private static final int CAUSES = 10;
  private static final int ACTIONS_SHOWN = 50;
  private static final int ACTIONS_SCANNED = 20_000;
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " form-action 'self';"
          + " frame-ancestors 'none'; base-uri 'none'";

  /** The styles, and the charts' script with Chart.js from its WebJar: nothing from the network. */
  private static final Map<String, Asset> ASSETS = Asset.bundled();

  private static final ObjectMapper JSON = new ObjectMapper();

  private final OperatingStore store;
  private final ApprovalGate gate;
  private final ConsoleAuthenticator authenticator;
  private final @Nullable CampaignFile campaigns;
  private final Clock clock;
  private final Sessions sessions;
  private final boolean secureCookies;
  private final int refreshSeconds;
  private final @Nullable BudgetLimits budgetLimits;
  private final @Nullable BooleanSupplier circuitOpen;
  private final TemplateEngine templates =
      TemplateEngine.createPrecompiled(
          null,
          ContentType.Html,
          ConsoleHandler.class.getClassLoader(),
          "dev.opagent.console.templates");

  private ConsoleHandler(Builder b) {
    this.store = Objects.requireNonNull(b.store, "store");
    this.authenticator = Objects.requireNonNull(b.authenticator, "authenticator");
    this.clock = b.clock;
    this.gate = store.approvalGate(clock);
    this.sessions = new Sessions(clock, b.idleTimeout, b.lifetime);
    this.secureCookies = b.secureCookies;
    this.refreshSeconds = b.refreshSeconds;
    this.budgetLimits = b.budgets;
    this.circuitOpen = b.circuitOpen;
    RuleSetHolder holder = b.rules;
    if (holder == null) {
      this.campaigns = null;
    } else {
      Path audit = b.campaignAudit;
      if (audit == null) {
        Path file = ((RuleSource.File) holder.source()).path().toAbsolutePath();
        audit = file.resolveSibling(file.getFileName() + ".audit.jsonl");
      }
      this.campaigns = new CampaignFile(holder, b.loader, new CampaignAudit(audit), clock);
    }
  }

  /** A builder; {@link Builder#store} and {@link Builder#authenticator} are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      route(ex);
    } catch (IOException | RuntimeException | SQLException e) {
      LOG.warn("console request failed: {}", e.getClass().getName());
      try {
        message(ex, 500, "Something went wrong", "The request failed; nothing was changed by it.");
      } catch (IOException | RuntimeException ignored) {
        // the response was already started
      }
    } finally {
      ex.close();
    }
  }

  private void route(HttpExchange ex) throws IOException, SQLException {
    String base = base(ex);
    String raw = ex.getRequestURI().getRawPath();
    String path = raw.length() >= base.length() ? raw.substring(base.length()) : "";
    String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    if (path.isEmpty()) {
      redirect(ex, base + "/");
      return;
    }
    Asset asset = ASSETS.get(path);
    if (asset != null) {
      if (method.equals("GET") || method.equals("HEAD")) {
        securityHeaders(ex);
        ex.getResponseHeaders().set("Content-Type", asset.type());
        send(ex, 200, asset.bytes());
      } else {
        methodNotAllowed(ex);
      }
      return;
    }
    if (path.equals("/login")) {
      if (method.equals("GET")) {
        loginPage(ex, base, 200, "");
      } else if (method.equals("POST")) {
        login(ex, base);
      } else {
        methodNotAllowed(ex);
      }
      return;
    }
    Optional<Session> session = sessions.find(cookie(ex, SESSION_COOKIE));
    if (method.equals("POST")) {
      Map<String, String> form = form(ex);
      if (form == null) {
        return;
      }
      if (session.isEmpty()) {
        message(
            ex,
            401,
            "Sign in first",
            "Your session has ended; sign in again. Nothing was changed.");
        return;
      }
      if (!sameOrigin(ex) || !Sessions.sameToken(session.get().csrf(), form.get("csrf"))) {
        message(
            ex,
            403,
            "Refused",
            "The form was not sent from this console's page; nothing was changed.");
        return;
      }
      post(ex, base, path, session.get(), form);
      return;
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      methodNotAllowed(ex);
      return;
    }
    if (session.isEmpty()) {
      redirect(ex, base + "/login");
      return;
    }
    Session s = session.get();
    switch (path) {
      case "/" -> dashboard(ex, page(base, s, "Dashboard", "dashboard"));
      case "/approvals" -> approvals(ex, page(base, s, "Approvals", "approvals"), 200);
      case "/campaigns" -> campaigns(ex, page(base, s, "Campaigns", "campaigns"), 200);
      case "/audit" -> audit(ex, page(base, s, "Audit trail", "audit"));
      case "/actions" -> actions(ex, page(base, s, "Actions", "actions"));
      case "/experiments" -> experiments(ex, page(base, s, "Experiments", "experiments"));
      default -> message(ex, 404, "Not found", "The console has no such page.");
    }
  }

  private void post(HttpExchange ex, String base, String path, Session s, Map<String, String> form)
      throws IOException, SQLException {
    switch (path) {
      case "/logout" -> {
        sessions.close(s);
        ex.getResponseHeaders().add("Set-Cookie", cookieHeader(base, SESSION_COOKIE, "", true));
        redirect(ex, base + "/login");
      }
      case "/customer-ids" -> {
        s.showCustomerIds("true".equals(form.get("show")));
        redirect(ex, base + back(form.get("back")));
      }
      case "/approvals/decide" -> decide(ex, base, s, form);
      case "/campaigns/toggle" -> toggle(ex, base, s, form);
      default -> message(ex, 404, "Not found", "The console has no such form.");
    }
  }

  // ---------------------------------------------------------------- login

  private void loginPage(HttpExchange ex, String base, int status, String error)
      throws IOException {
    String pre = cookie(ex, LOGIN_COOKIE);
    if (pre == null || pre.length() < 40 || pre.length() > 60) {
      pre = sessions.preLoginId();
      ex.getResponseHeaders().add("Set-Cookie", cookieHeader(base, LOGIN_COOKIE, pre, false));
    }
    Map<String, Object> params = new HashMap<>();
    params.put("base", base);
    params.put("csrf", sessions.loginToken(pre));
    params.put("error", error);
    render(ex, status, "login.jte", params);
  }

  private void login(HttpExchange ex, String base) throws IOException {
    Map<String, String> form = form(ex);
    if (form == null) {
      return;
    }
    String pre = cookie(ex, LOGIN_COOKIE);
    if (pre == null
        || !sameOrigin(ex)
        || !Sessions.sameToken(sessions.loginToken(pre), form.get("csrf"))) {
      message(ex, 403, "Refused", "The login form was not sent from this console's page.");
      return;
    }
    if (!sessions.loginAllowed()) {
      ex.getResponseHeaders().set("Retry-After", "60");
      loginPage(ex, base, 429, "Too many failed sign-ins; try again in a minute.");
      return;
    }
    String user = form.getOrDefault("user", "").strip();
    String secret = form.getOrDefault("secret", "");
    Optional<String> operator =
        user.isEmpty() || secret.isEmpty()
            ? Optional.empty()
            : authenticator.authenticate(user, secret);
    if (operator.isEmpty()) {
      sessions.loginFailed();
      loginPage(ex, base, 401, "Wrong name or token.");
      return;
    }
    Session s = sessions.open(operator.get());
    ex.getResponseHeaders().add("Set-Cookie", cookieHeader(base, LOGIN_COOKIE, "", true));
    ex.getResponseHeaders().add("Set-Cookie", cookieHeader(base, SESSION_COOKIE, s.id(), false));
    redirect(ex, base + "/");
  }

  // ---------------------------------------------------------------- pages

  private void dashboard(HttpExchange ex, Page page) throws IOException, SQLException {
    List<RunRow> runs =
        Runs.recent(store, RECENT_RUNS).stream()
            .map(r -> RunRow.of(r, store.round(r.id()).orElse(null)))
            .toList();
    Activity.Recent activity =
        Activity.of(
            store, runs.stream().map(RunRow::id).toList(), clock.instant(), MINUTES, CAUSES);
    Views.Dashboard d =
        new Views.Dashboard(
            runs,
            pending().size(),
            runs.isEmpty() ? null : runs.get(0),
            refreshSeconds,
            activity,
            budgets(),
            circuit());
    render(
        ex,
        200,
        "dashboard.jte",
        Map.of("page", page, "dashboard", d, "charts", dataBlock(deliveriesChart(activity))));
  }

  private List<Views.BudgetRow> budgets() {
    BudgetLimits limits = budgetLimits;
    if (limits == null) {
      return List.of();
    }
    String currency = limits.currency().getCurrencyCode();
    List<Views.BudgetRow> rows = new ArrayList<>();
    BigDecimal global = limits.global();
    if (global != null) {
      rows.add(new Views.BudgetRow("all campaigns", store.budgetInUse(null), global, currency));
    }
    new TreeMap<>(limits.perCampaign())
        .forEach(
            (campaign, limit) ->
                rows.add(
                    new Views.BudgetRow(
                        "campaign " + campaign, store.budgetInUse(campaign), limit, currency)));
    return rows;
  }

  private String circuit() {
    BooleanSupplier open = circuitOpen;
    if (open == null) {
      return "not reported to this console";
    }
    try {
      return open.getAsBoolean() ? "open" : "closed";
    } catch (RuntimeException e) {
      LOG.warn("the agent's circuit state could not be read: {}", e.getClass().getName());
      return "unknown";
    }
  }

  private static ArrayNode deliveriesChart(Activity.Recent activity) {
    ArrayNode charts = JSON.createArrayNode();
    ObjectNode spec = charts.addObject().put("id", "deliveries-per-minute");
    spec.putObject("formats").put("y", "count");
    ObjectNode config = spec.putObject("config").put("type", "bar");
    ObjectNode data = config.putObject("data");
    ArrayNode labels = data.putArray("labels");
    activity.minuteStarts().forEach(t -> labels.add(t.toString().substring(11, 16)));
    ArrayNode values =
        data.putArray("datasets")
            .addObject()
            .put("label", "deliveries")
            .put("backgroundColor", "#0072B2")
            .putArray("data");
    activity.deliveries().forEach(values::add);
    ObjectNode options = config.putObject("options");
    options.put("responsive", true).put("maintainAspectRatio", false);
    options.putObject("plugins").putObject("legend").put("display", false);
    options.putObject("scales").putObject("y").put("beginAtZero", true);
    return charts;
  }

  /** The charts' specs as the JSON data block the charts' script reads. */
  private static String dataBlock(ArrayNode charts) throws IOException {
    // read with JSON.parse from a data block: no '<' may end the element early
    return JSON.writeValueAsString(JSON.createObjectNode().set("charts", charts))
        .replace("<", "\\u003c");
  }

  private List<ApprovalRequest> pending() {
    Instant now = clock.instant();
    return store.approvalStore().pending().stream()
        .filter(r -> r.statusAt(now) == ApprovalStatus.PENDING)
        .toList();
  }

  private void approvals(HttpExchange ex, Page page, int status) throws IOException {
    List<ApprovalRow> rows =
        pending().stream().map(r -> ApprovalRow.of(r, page.showCustomerIds())).toList();
    render(ex, status, "approvals.jte", Map.of("page", page, "pending", rows));
  }

  private void audit(HttpExchange ex, Page page) throws IOException {
    List<AuditRow> rows = new ArrayList<>();
    gate.auditTrail().forEach(e -> rows.add(AuditRow.of(e, page.showCustomerIds())));
    if (campaigns != null) {
      campaigns.audit().events().forEach(e -> rows.add(AuditRow.of(e)));
    }
    // each trail is oldest first: reversed, events of the same instant stay newest first too
    Collections.reverse(rows);
    rows.sort(Comparator.comparing(AuditRow::sortKey).reversed());
    List<AuditRow> shown = rows.size() > AUDIT_LIMIT ? rows.subList(0, AUDIT_LIMIT) : rows;
    render(ex, 200, "audit.jte", Map.of("page", page, "events", shown, "limit", AUDIT_LIMIT));
  }

  private void actions(HttpExchange ex, Page page) throws IOException, SQLException {
    Map<String, String> q = parse(ex.getRequestURI().getRawQuery());
    if (q == null) {
      message(ex, 400, "Malformed search", "The search could not be read.");
      return;
    }
    Actions.Filter filter =
        new Actions.Filter(
            q.getOrDefault("customer", ""),
            q.getOrDefault("campaign", ""),
            q.getOrDefault("run", ""),
            q.getOrDefault("outcome", ""));
    if (!filter.outcome().isEmpty() && filter.state().isEmpty()) {
      message(ex, 400, "Unknown outcome", "Choose an outcome from the list.");
      return;
    }
    Actions.Found found = Actions.search(store, filter, ACTIONS_SHOWN, ACTIONS_SCANNED);
    List<ActionRow> rows = new ArrayList<>();
    for (Actions.Action a : found.actions()) {
      rows.add(ActionRow.of(a, approvalOf(a.request()), page.showCustomerIds()));
    }
    List<String> outcomes = Stream.of(ExecutionState.values()).map(Enum::name).toList();
    Views.ActionSearch search =
        new Views.ActionSearch(
            filter, rows, found.more(), found.scanned(), found.scanCut(), outcomes);
    render(ex, 200, "actions.jte", Map.of("page", page, "search", search));
  }

  private void experiments(HttpExchange ex, Page page) throws IOException {
    ArrayNode charts = JSON.createArrayNode();
    List<ExperimentView> views = new ArrayList<>();
    for (Experiments.Analysed a : Experiments.of(store.feedback())) {
      views.add(ExperimentView.of(a, views.size(), charts, JSON));
    }
    render(
        ex,
        200,
        "experiments.jte",
        Map.of("page", page, "experiments", views, "charts", dataBlock(charts)));
  }

  /** The approval an action needed: of the action itself, else of its whole campaign. */
  private @Nullable ApprovalRequest approvalOf(ActionRequest r) {
    if (!r.needsApproval()) {
      return null;
    }
    return gate.latest(ApprovalKey.action(r.campaign(), r.customerId(), r.actionType()))
        .or(() -> gate.latest(ApprovalKey.campaign(r.campaign())))
        .orElse(null);
  }

  private void campaigns(HttpExchange ex, Page page, int status) throws IOException, SQLException {
    CampaignFile file = campaigns;
    if (file == null) {
      message(ex, 404, "No rules file", "This console was started without a rules file.");
      return;
    }
    CampaignFile.Snapshot snap = file.snapshot();
    Instant now = clock.instant();
    Map<String, Metrics> metrics = new HashMap<>();
    store
        .feedback()
        .strategyEffects()
        .forEach(e -> metrics.merge(e.campaign(), e.metrics(), Metrics::plus));
    List<Runs.Run> latest = Runs.recent(store, 1);
    Map<String, Long> planned =
        latest.isEmpty()
            ? Map.of()
            : Runs.plannedByCampaign(store, latest.get(0).id(), ACTIONS_SCANNED);
    List<RecordedRound> lastRound = store.rounds(1);
    Map<String, Long> eligible =
        lastRound.isEmpty() ? Map.of() : lastRound.get(0).eligibleByCampaign();
    List<CampaignRow> rows =
        snap.rules().rules().stream()
            .map(
                r ->
                    CampaignRow.of(
                        r,
                        now,
                        lastRound.isEmpty() ? null : eligible.getOrDefault(r.id(), 0L),
                        planned.getOrDefault(r.id(), 0L),
                        metrics.getOrDefault(r.id(), Metrics.EMPTY)))
            .toList();
    Map<String, Object> params = new HashMap<>();
    params.put("page", page);
    params.put("campaigns", rows);
    params.put("file", file.path().getFileName().toString());
    params.put("fileSha256", snap.fileSha256());
    render(ex, status, "campaigns.jte", params);
  }

  // ---------------------------------------------------------------- changes

  private void decide(HttpExchange ex, String base, Session s, Map<String, String> form)
      throws IOException {
    String id = form.getOrDefault("id", "");
    String decision = form.getOrDefault("decision", "");
    String reason = form.getOrDefault("reason", "").strip();
    boolean grant = decision.equals("approve");
    if (!grant && !decision.equals("reject")) {
      approvals(ex, page(base, s, "Approvals", "approvals", "Choose approve or reject."), 400);
      return;
    }
    if (reason.length() > MAX_REASON) {
      approvals(ex, page(base, s, "Approvals", "approvals", "The reason is too long."), 400);
      return;
    }
    if (!grant && reason.isEmpty()) {
      approvals(
          ex,
          page(
              base,
              s,
              "Approvals",
              "approvals",
              "A rejection needs a reason; nothing was changed."),
          400);
      return;
    }
    if (reason.isEmpty()) {
      reason = "approved in the console";
    }
    Optional<ApprovalRequest> before = id.isEmpty() ? Optional.empty() : gate.find(id);
    if (before.isEmpty()) {
      approvals(
          ex, page(base, s, "Approvals", "approvals", "No approval request has that id."), 404);
      return;
    }
    String actor = s.operator();
    ApprovalRequest after =
        (grant ? gate.grant(id, actor, reason) : gate.reject(id, actor, reason)).orElseThrow();
    ApprovalStatus wanted = grant ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED;
    boolean decidedNow =
        before.get().status() == ApprovalStatus.PENDING
            && after.status() == wanted
            && actor.equals(after.decidedBy())
            && reason.equals(after.reason());
    if (!decidedNow) {
      approvals(
          ex,
          page(
              base,
              s,
              "Approvals",
              "approvals",
              "Request "
                  + id
                  + " is no longer pending ("
                  + after.status()
                  + "); nothing was changed."),
          409);
      return;
    }
    s.flash((grant ? "Approved " : "Rejected ") + id + ".");
    redirect(ex, base + "/approvals");
  }

  private void toggle(HttpExchange ex, String base, Session s, Map<String, String> form)
      throws IOException, SQLException {
    CampaignFile file = campaigns;
    if (file == null) {
      message(ex, 404, "No rules file", "This console was started without a rules file.");
      return;
    }
    String id = form.getOrDefault("id", "");
    String enabled = form.getOrDefault("enabled", "");
    String reason = form.getOrDefault("reason", "").strip();
    if (id.isEmpty() || !(enabled.equals("true") || enabled.equals("false"))) {
      campaigns(ex, page(base, s, "Campaigns", "campaigns", "Choose a campaign to change."), 400);
      return;
    }
    if (reason.length() > MAX_REASON) {
      campaigns(ex, page(base, s, "Campaigns", "campaigns", "The reason is too long."), 400);
      return;
    }
    CampaignFile.Result result =
        file.setEnabled(
            id, Boolean.parseBoolean(enabled), s.operator(), reason, form.getOrDefault("file", ""));
    int status =
        switch (result.outcome()) {
          case CHANGED, UNCHANGED -> 303;
          case UNKNOWN_CAMPAIGN -> 404;
          case STALE -> 409;
          case INVALID -> 422;
        };
    if (status == 303) {
      s.flash(result.message() + ".");
      redirect(ex, base + "/campaigns");
    } else {
      campaigns(ex, page(base, s, "Campaigns", "campaigns", result.message()), status);
    }
  }

  // ---------------------------------------------------------------- plumbing

  private Page page(String base, Session s, String title, String active) {
    return new Page(
        base, title, active, s.operator(), s.csrf(), s.showCustomerIds(), s.takeFlash(), null);
  }

  private Page page(String base, Session s, String title, String active, String error) {
    return new Page(base, title, active, s.operator(), s.csrf(), s.showCustomerIds(), null, error);
  }

  private static String back(@Nullable String page) {
    return switch (page == null ? "" : page) {
      case "approvals" -> "/approvals";
      case "campaigns" -> "/campaigns";
      case "audit" -> "/audit";
      case "actions" -> "/actions";
      case "experiments" -> "/experiments";
      default -> "/";
    };
  }

  /** The path the handler is mounted under, without a trailing slash. */
  private static String base(HttpExchange ex) {
    String p = ex.getHttpContext().getPath();
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private String cookieHeader(String base, String name, String value, boolean expire) {
    return name
        + "="
        + value
        + "; Path="
        + base
        + "/; HttpOnly; SameSite=Strict"
        + (secureCookies ? "; Secure" : "")
        + (expire ? "; Max-Age=0" : "");
  }

  private static @Nullable String cookie(HttpExchange ex, String name) {
    List<String> headers = ex.getRequestHeaders().get("Cookie");
    if (headers == null) {
      return null;
    }
    for (String header : headers) {
      for (String part : header.split(";")) {
        int eq = part.indexOf('=');
        if (eq > 0 && part.substring(0, eq).strip().equals(name)) {
          String v = part.substring(eq + 1).strip();
          return v.isEmpty() ? null : v;
        }
      }
    }
    return null;
  }

  /**
   * Whether a POST comes from a page of this console: a browser that names the origin or the site
   * of the page must name this host.
   */
  private static boolean sameOrigin(HttpExchange ex) {
    String site = ex.getRequestHeaders().getFirst("Sec-Fetch-Site");
    if (site != null && !(site.equals("same-origin") || site.equals("none"))) {
      return false;
    }
    String origin = ex.getRequestHeaders().getFirst("Origin");
    if (origin == null) {
      return true;
    }
    String host = ex.getRequestHeaders().getFirst("Host");
    try {
      URI o = URI.create(origin);
      String authority = o.getRawAuthority();
      return host != null && authority != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The url-encoded form of a POST, or null after answering a malformed one. */
  private @Nullable Map<String, String> form(HttpExchange ex) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null
        || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      message(ex, 415, "Unsupported form", "Forms are sent url-encoded.");
      return null;
    }
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readNBytes(MAX_FORM_BYTES + 1);
    }
    if (body.length > MAX_FORM_BYTES) {
      message(ex, 413, "Too large", "The form is too large.");
      return null;
    }
    Map<String, String> out = parse(new String(body, StandardCharsets.UTF_8));
    if (out == null) {
      message(ex, 400, "Malformed form", "The form could not be read.");
    }
    return out;
  }

  /** Url-encoded pairs (the first of each name), or null when they cannot be decoded. */
  private static @Nullable Map<String, String> parse(@Nullable String encoded) {
    Map<String, String> out = new LinkedHashMap<>();
    if (encoded == null) {
      return out;
    }
    try {
      for (String pair : encoded.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.putIfAbsent(k, v);
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
    return out;
  }

  private static void methodNotAllowed(HttpExchange ex) throws IOException {
    securityHeaders(ex);
    ex.getResponseHeaders().set("Allow", "GET, POST");
    ex.sendResponseHeaders(405, -1);
  }

  private static void redirect(HttpExchange ex, String location) throws IOException {
    securityHeaders(ex);
    ex.getResponseHeaders().set("Location", location);
    ex.sendResponseHeaders(303, -1);
  }

  private void message(HttpExchange ex, int status, String title, String text) throws IOException {
    Map<String, Object> params = new HashMap<>();
    params.put("base", base(ex));
    params.put("title", title);
    params.put("text", text);
    render(ex, status, "message.jte", params);
  }

  private void render(HttpExchange ex, int status, String template, Map<String, Object> params)
      throws IOException {
    StringOutput out = new StringOutput();
    templates.render(template, params, out);
    securityHeaders(ex);
    ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    send(ex, status, out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    boolean head = ex.getRequestMethod().equalsIgnoreCase("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
  }

  private static void securityHeaders(HttpExchange ex) {
    var h = ex.getResponseHeaders();
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    // not no-referrer: under it a browser sends "Origin: null" with the console's own forms, which
    // sameOrigin() must refuse; same-origin names the origin to the console and to no other site
    h.set("Referrer-Policy", "same-origin");
    h.set("Cache-Control", "no-store");
  }

  /** Builds a {@link ConsoleHandler}. */
  public static final class Builder {
    private @Nullable OperatingStore store;
    private @Nullable ConsoleAuthenticator authenticator;
    private @Nullable RuleSetHolder rules;
    private RuleSetLoader loader = RuleSetLoader.ofDefaults();
    private @Nullable Path campaignAudit;
    private Clock clock = Clock.systemUTC();
    private boolean secureCookies;
    private Duration idleTimeout = Duration.ofMinutes(30);
    private Duration lifetime = Duration.ofHours(12);
    private int refreshSeconds = 30;
    private @Nullable BudgetLimits budgets;
    private @Nullable BooleanSupplier circuitOpen;

    private Builder() {}

    /** The operating store whose runs, approvals and audit trail the console shows. Required. */
    public Builder store(OperatingStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Who may log in. Required. */
    public Builder authenticator(ConsoleAuthenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * The campaigns page: the rules in effect, read from a {@link RuleSource#file rules file}, and
     * the loader that validates every change (the host's own, with its saved groups and action
     * types). Changes are written to the file and then reloaded into {@code holder}. Without it the
     * console has no campaigns page.
     */
    public Builder rules(RuleSetHolder holder, RuleSetLoader loader) {
      if (!(holder.source() instanceof RuleSource.File)) {
        throw new IllegalArgumentException(
            "the console changes campaigns in a rules file, but the rules come from "
                + holder.source().describe());
      }
      this.rules = holder;
      this.loader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /**
     * Where campaign changes are recorded, as JSON lines (default: beside the rules file, named
     * after it with {@code .audit.jsonl} appended).
     */
    public Builder campaignAudit(Path file) {
      this.campaignAudit = Objects.requireNonNull(file, "file");
      return this;
    }

    /** The clock of sessions, approvals and audit events (default: the system's, in UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Whether cookies carry {@code Secure}, so that browsers send them only over HTTPS: set it when
     * the console is reached through a TLS proxy (default {@code false}).
     */
    public Builder secureCookies(boolean secure) {
      this.secureCookies = secure;
      return this;
    }

    /** How long an idle session lasts (default 30 minutes) and at most (default 12 hours). */
    public Builder sessionTimeouts(Duration idle, Duration lifetime) {
      if (idle.isNegative() || idle.isZero() || lifetime.compareTo(idle) < 0) {
        throw new IllegalArgumentException("timeouts must be positive, lifetime at least idle");
      }
      this.idleTimeout = idle;
      this.lifetime = lifetime;
      return this;
    }

    /**
     * The budget limits of the policy the loop decides under, so that the dashboard shows the money
     * in use against each (default: none shown). The console reads the money in use from the store
     * and enforces nothing.
     */
    public Builder budgets(BudgetLimits limits) {
      this.budgets = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Where the dashboard reads whether the agent client's circuit breaker is open, when the
     * console runs in the process that calls the agent: for example a flag that a {@code
     * SegmentClientListener}'s {@code onCircuitStateChange} keeps. Without it the dashboard says
     * the state is not reported to it.
     */
    public Builder agentCircuit(BooleanSupplier open) {
      this.circuitOpen = Objects.requireNonNull(open, "open");
      return this;
    }

    /** How often the dashboard reloads itself, in seconds (default 30). */
    public Builder refreshSeconds(int seconds) {
      if (seconds < 5) {
        throw new IllegalArgumentException("the dashboard refreshes every 5 seconds at most");
      }
      this.refreshSeconds = seconds;
      return this;
    }

    public ConsoleHandler build() {
      return new ConsoleHandler(this);
    }
  }
}
