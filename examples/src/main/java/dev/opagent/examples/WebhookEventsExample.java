package dev.opagent.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.opagent.agent.Channel;
import dev.opagent.agent.event.CustomerEvent;
import dev.opagent.agent.event.CustomerEvents;
import dev.opagent.agent.event.InMemoryCustomerDirectory;
import dev.opagent.agent.event.InvalidEventException;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.agent.loop.EventOutcome;
import dev.opagent.agent.loop.EventProcessor;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.store.OperatingStore;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.InMemoryChannel;
import dev.opagent.testkit.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Seed 001's real-time stream in a host that receives customer events as webhooks: a shop posts
 * {@code cart_abandoned} and {@code purchase}, an e-mail provider posts {@code email_open}, to an
 * HTTP endpoint of the host, which hands each to an {@link EventProcessor} and answers with what
 * happened; a scheduler delivers the scheduled actions when they fall due. The bundled cart
 * recovery campaign e-mails a customer an hour after they leave a cart, unless they buy first.
 *
 * <p>The endpoint answers {@code 202} with the event's outcome, or {@code 400} naming the field of
 * an event that is not valid (never its value). Actions, contacts and money live in the operating
 * store (an embedded H2 database here, PostgreSQL for several replicas), and so do the attributions
 * of purchases and opens that the campaigns learn from: a webhook delivered twice sends nothing
 * twice. The example runs on a simulated clock so that the hour passes at once; a host uses the
 * system clock and calls {@link EventProcessor#deliverDue()} every minute.
 *
 * <p>Run it with {@code java -cp examples/target/opagent-cli.jar
 * dev.opagent.examples.WebhookEventsExample}.
 */
public final class WebhookEventsExample {
  private static final Instant T0 = Instant.parse("2026-03-15T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private WebhookEventsExample() {}

  /**
   * What the host answered and sent.
   *
   * @param responses the endpoint's answer to each posted event: status and body
   * @param delivered the actions the channel delivered, in order
   * @param cartRecovery the cart recovery campaign's metrics at the end
   */
  public record Result(
      List<String> responses, List<ActionRequest> delivered, Metrics cartRecovery) {}

  public static void main(String[] args) throws IOException, InterruptedException {
    run(System.out);
  }

  /** Posts a short day of events to the host's endpoint and lets the scheduled e-mails fall due. */
  public static Result run(PrintStream out) throws IOException, InterruptedException {
    MutableClock clock = MutableClock.at(T0);
    InMemoryChannel email = InMemoryChannel.builder().name("email").clock(clock).build();
    InMemoryCustomerDirectory customers =
        new InMemoryCustomerDirectory(
            List.of(Fixtures.seedActiveCustomer(), OrchestratorExample.atRiskGoldCustomer()));
    String store = "jdbc:h2:mem:webhook-example-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    List<String> responses = new ArrayList<>();
    Metrics cart;
    try (LocalAgent local = LocalAgent.start();
        OperatingStore opened = OperatingStore.open(store, "sa", "");
        OperationAgent agent =
            OperationAgent.builder()
                .segmentClient(local.client())
                .rules(RuleSetLoader.defaults())
                .clock(clock)
                .executionService(
                    e ->
                        e.journal(opened.journal())
                            .journalIsLedger(true)
                            .channels(ChannelRegistry.builder().register(email).build()))
                .operatingState(opened.operatingState())
                .segmentStore(opened.segmentStore())
                .context((data, analysis, ctx) -> ctx.consent(Channel.EMAIL))
                .build()) {
      EventProcessor events =
          EventProcessor.builder(agent).customers(customers).feedback(opened.feedback()).build();
      HttpServer server = endpoint(events, clock);
      URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
      HttpClient http = HttpClient.newHttpClient();
      try {
        post(http, url, cart("C-1001", T0), responses, out);
        post(http, url, cart("C-1002", T0.plusSeconds(300)), responses, out);
        // C-1002 buys before the reminder is due: it is withdrawn.
        post(http, url, purchase("C-1002", T0.plusSeconds(1800)), responses, out);
        post(
            http,
            url,
            "{\"type\": \"purchase\", \"at\": \"2026-03-15T10:40:00Z\"}",
            responses,
            out);
        // The same webhook again: nothing is sent twice.
        post(http, url, cart("C-1001", T0), responses, out);

        clock.advanceTo(T0.plus(Duration.ofMinutes(61)));
        ExecutionReport due = events.deliverDue();
        out.printf("%s  scheduler: %d reminder(s) delivered%n", clock.instant(), due.completed());

        post(http, url, purchase("C-1001", T0.plus(Duration.ofMinutes(90))), responses, out);
      } finally {
        server.stop(0);
      }
      cart = opened.feedback().loop().campaign("cart_recovery").orElseThrow();
    }
    out.printf(
        "cart_recovery: %d delivered, %d converted, revenue %s%n",
        cart.delivered(), cart.conversions(), cart.revenue());
    return new Result(responses, email.deliveries(), cart);
  }

  /** The host's webhook endpoint: POST /events with one event as JSON. */
  private static HttpServer endpoint(EventProcessor events, MutableClock clock) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/events",
        exchange -> {
          try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
              reply(exchange, 405, JSON.createObjectNode().put("error", "POST an event"));
              return;
            }
            CustomerEvent event;
            try (InputStream in = exchange.getRequestBody()) {
              event =
                  CustomerEvents.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (InvalidEventException e) {
              reply(
                  exchange,
                  400,
                  JSON.createObjectNode().put("field", e.field()).put("error", e.getMessage()));
              return;
            }
            clock.advanceTo(event.at()); // the simulation's time follows the events
            EventOutcome o = events.accept(event);
            reply(
                exchange,
                202,
                JSON.createObjectNode()
                    .put("stage", o.stage().name())
                    .put("scheduled", o.scheduled())
                    .put("withdrawn", o.cancelled().size())
                    .put("attributed", o.attribution() != null && o.attribution().isAttributed()));
          }
        });
    server.start();
    return server;
  }

  private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  private static void post(
      HttpClient http, URI url, String event, List<String> responses, PrintStream out)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(event)).build(),
            HttpResponse.BodyHandlers.ofString());
    String line = r.statusCode() + " " + r.body();
    responses.add(line);
    out.println("POST /events -> " + line);
  }

  private static String cart(String customer, Instant at) {
    return "{\"type\": \"cart_abandoned\", \"customerId\": \""
        + customer
        + "\", \"at\": \""
        + at
        + "\", \"data\": {\"cartValue\": 249.90, \"items\": [\"P-2001\"]}}";
  }

  private static String purchase(String customer, Instant at) {
    return "{\"type\": \"purchase\", \"customerId\": \""
        + customer
        + "\", \"at\": \""
        + at
        + "\", \"data\": {\"amount\": 249.90, \"product\": \"P-2001\", \"category\": \"SKINCARE\"}}";
  }
}
