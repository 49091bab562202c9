package dev.opagent.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.store.OperatingStore;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.PopulationGenerator;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application as it runs, over HTTP, against the simulated agent: a customer segmented, a round
 * decided and delivered, opagent's health, and an approval the round filed granted through the
 * actuator endpoint.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ShopApplicationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONSOLE_TOKEN = "shop-console-token-for-tests";
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static AgentSimulator agent;

  @TempDir static Path dir;

  @Autowired TestRestTemplate http;
  @LocalServerPort int port;
  @Autowired OperatingStore store;

  @DynamicPropertySource
  static void opagent(DynamicPropertyRegistry properties) {
    agent = AgentSimulator.start();
    properties.add("opagent.agent.runtime-arn", agent::agentRuntimeArn);
    properties.add("opagent.agent.endpoint", () -> agent.endpoint().toString());
    // the simulator has no quota of 25 requests per second: the round need not wait for one
    properties.add("opagent.agent.max-requests-per-second", () -> "1000");
    properties.add(
        "opagent.store.url", () -> "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath());
    // a test's store need not force every commit to the disk
    properties.add("opagent.store.durability", () -> "written");
    properties.add("opagent.execution.channels", () -> "jsonl:" + dir.resolve("actions.jsonl"));
    properties.add("opagent.console.enabled", () -> "true");
    properties.add("opagent.console.token", () -> CONSOLE_TOKEN);
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  private ResponseEntity<JsonNode> post(String path, String body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return http.postForEntity(path, new HttpEntity<>(body, headers), JsonNode.class);
  }

  @Test
  void segmentsACustomer_runsARound_andAnApprovalIsGrantedThroughTheActuator() throws Exception {
    ResponseEntity<JsonNode> segments =
        post("/segments", Fixtures.payload(Fixtures.seedActiveCustomer()));
    assertThat(segments.getStatusCode().value()).isEqualTo(200);
    assertThat(segments.getBody().path("churn").asText()).isNotBlank();
    assertThat(agent.callsFor(Fixtures.seedActiveCustomer().customerId())).isEqualTo(1);

    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String customers =
        PopulationGenerator.builder().seed(3).asOf(today).build().stream(40)
            .map(c -> c.toJson())
            .collect(Collectors.joining(",", "[", "]"));
    ResponseEntity<JsonNode> round = post("/rounds/shop-1", customers);
    assertThat(round.getStatusCode().value()).isEqualTo(200);
    JsonNode r = round.getBody();
    assertThat(r.path("segmented").asLong()).isEqualTo(40);
    assertThat(r.path("delivered").asLong()).isPositive();
    assertThat(Files.readAllLines(dir.resolve("actions.jsonl")))
        .hasSize((int) r.path("delivered").asLong());
    assertThat(r.path("notChosen").has("APPROVAL_REQUIRED")).isTrue();

    JsonNode health = http.getForObject("/actuator/health", JsonNode.class);
    assertThat(health.path("components").path("opagent").path("status").asText()).isEqualTo("UP");
    assertThat(health.path("components").path("opagent").path("details").path("store").asText())
        .isEqualTo("reachable");
    JsonNode requests =
        http.getForObject("/actuator/metrics/opagent.segment.requests", JsonNode.class);
    assertThat(requests.path("measurements").get(0).path("value").asDouble()).isPositive();

    JsonNode pending = http.getForObject("/actuator/opagentapprovals", JsonNode.class);
    String winback = null;
    for (JsonNode a : pending.path("approvals")) {
      if (a.path("campaign").asText().equals("winback")) {
        winback = a.path("id").asText();
      }
    }
    assertThat(winback).as(pending.toString()).isNotNull();
    ResponseEntity<JsonNode> approved =
        post(
            "/actuator/opagentapprovals/" + winback + "/approve",
            JSON.writeValueAsString(Map.of("reason", "spring offer approved")));
    assertThat(approved.getStatusCode().value())
        .as(String.valueOf(approved.getBody()))
        .isEqualTo(200);
    assertThat(approved.getBody().path("decidedBy").asText()).isEqualTo("actuator");
    assertThat(store.approvalGate(Clock.systemUTC()).check(ApprovalKey.campaign("winback")))
        .isEqualTo(ApprovalStatus.APPROVED);

    // the operations console, served by the application under /ops, shows the round it recorded
    HttpClient browser =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    String ops = "http://localhost:" + port + "/ops";
    String form = browser.send(get(ops + "/login"), BodyHandlers.ofString()).body();
    Matcher csrf = CSRF.matcher(form);
    assertThat(csrf.find()).as(form).isTrue();
    HttpResponse<String> login =
        browser.send(
            HttpRequest.newBuilder(URI.create(ops + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    BodyPublishers.ofString(
                        "csrf=" + csrf.group(1) + "&user=shop-ops&secret=" + CONSOLE_TOKEN))
                .build(),
            BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(303);
    String dashboard = browser.send(get(ops + "/"), BodyHandlers.ofString()).body();
    assertThat(dashboard).contains("Signed in as shop-ops", ">shop-1</a>");
    assertThat(dashboard.substring(dashboard.indexOf(">shop-1</a>")))
        .as("the round's 40 customers, recorded by the loop in the store")
        .contains("<td class=\"n\">40</td>");
    assertThat(browser.send(get(ops + "/audit"), BodyHandlers.ofString()).body())
        .contains("GRANTED", "actuator", "spring offer approved");
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).GET().build();
  }
}
