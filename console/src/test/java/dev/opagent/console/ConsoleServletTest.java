package dev.opagent.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.store.OperatingStore;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console as a servlet under a context path and a mapping of its own, in a real Jetty. */
class ConsoleServletTest {
  private static final String TOKEN = "s3cret-console-token-for-tests";
  private static final Clock CLOCK = Clock.systemUTC();

  private static OperatingStore store;
  private static Server jetty;
  private static String root;

  @BeforeAll
  static void start() throws Exception {
    store =
        OperatingStore.open(
            "jdbc:h2:mem:console-servlet-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    ConsoleHandler handler =
        ConsoleHandler.builder()
            .store(store)
            .authenticator(ConsoleAuthenticator.token(TOKEN))
            .clock(CLOCK)
            .build();
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/app");
    context.addServlet(new ServletHolder("console", new ConsoleServlet(handler)), "/ops/*");
    jetty.setHandler(context);
    jetty.start();
    root = "http://127.0.0.1:" + connector.getLocalPort() + "/app/ops";
  }

  @AfterAll
  static void stop() throws Exception {
    jetty.stop();
    store.close();
  }

  @Test
  void signIn_approve_andTheAuditNamesTheOperator_allUnderTheServletsPath() throws Exception {
    ApprovalGate gate = store.approvalGate(CLOCK);
    ApprovalRequest r = gate.request(ApprovalKey.campaign("winback"), "budget 900", "engine");
    Browser b = new Browser(root);

    HttpResponse<String> login = b.login("maria", TOKEN);

    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.headers().firstValue("Location")).hasValue("/app/ops/");
    assertThat(login.headers().allValues("Set-Cookie"))
        .anySatisfy(c -> assertThat(c).startsWith("opagent_console=").contains("Path=/app/ops/"));
    String approvals = b.get("/approvals").body();
    assertThat(approvals).contains(r.id(), "action=\"/app/ops/approvals/decide\"");

    HttpResponse<String> decided =
        b.post(
            "/approvals/decide",
            Map.of(
                "csrf",
                Browser.csrf(approvals),
                "id",
                r.id(),
                "decision",
                "approve",
                "reason",
                "fits"));

    assertThat(decided.statusCode()).isEqualTo(303);
    assertThat(gate.find(r.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(b.get("/audit").body()).contains("GRANTED", "maria", "fits");
  }

  @Test
  void aPostWithAWrongToken_403AndNothingChanges() throws Exception {
    ApprovalGate gate = store.approvalGate(CLOCK);
    ApprovalRequest r = gate.request(ApprovalKey.campaign("loyalty"), "budget 500", "engine");
    Browser b = new Browser(root);
    b.login("maria", TOKEN);

    HttpResponse<String> refused =
        b.post(
            "/approvals/decide",
            Map.of("csrf", "not-the-token", "id", r.id(), "decision", "approve", "reason", "x"));

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(gate.find(r.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void assetsAndSecurityHeaders_servedThroughTheServlet() throws Exception {
    Browser b = new Browser(root);

    HttpResponse<String> css = b.get("/assets/console.css");
    HttpResponse<String> page = b.get("/login");

    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(page.body()).contains("href=\"/app/ops/assets/console.css\"");
    assertThat(b.get("").statusCode()).as("the bare mapping redirects to its page").isEqualTo(303);
  }
}
