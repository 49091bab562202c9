package dev.opagent.testkit;

import com.sun.net.httpserver.HttpServer;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.spi.TraceContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An embedded segment agent: an HTTP server that speaks Amazon Bedrock AgentCore's {@code
 * InvokeAgentRuntime} and {@code StopRuntimeSession} wire protocol and answers with the {@link
 * ReferenceSegmenter}, with the latency, quotas and faults of its {@link SimulatorConfig}.
 * Thread-safe.
 *
 * <p>Point any AgentCore client at {@link #endpoint()} with {@link #agentRuntimeArn()}; static
 * credentials of any value work (signatures are not checked). What it does per request:
 *
 * <ol>
 *   <li>{@code POST /runtimes/{url-encoded ARN}/invocations?qualifier=Q} with body {@code
 *       {"customerData": {...}}};
 *   <li>403 {@code AccessDeniedException} for a denied access key; 404 {@code
 *       ResourceNotFoundException} for another ARN or qualifier; 400 {@code ValidationException}
 *       for a session id (header {@code X-Amzn-Bedrock-AgentCore-Runtime-Session-Id}) outside
 *       33–256 characters, an oversized payload or invalid customer data; 429 {@code
 *       ThrottlingException} when the request-rate quota is exhausted; 402 {@code
 *       ServiceQuotaExceededException} when a new session would exceed the active-session quota;
 *   <li>then a poison customer's fault, or a random fault, or the analysis as {@code {"analysis":
 *       {...}}} JSON or as an event stream, after the configured latency.
 * </ol>
 *
 * Errors carry {@code x-amzn-ErrorType} and a JSON body {@code {"message": "..."}}. {@code POST
 * /runtimes/{ARN}/stopruntimesession?qualifier=Q} ends the session named by the session header (200
 * {@code {}}; 404 when it is not active).
 *
 * <pre>{@code
 * try (AgentSimulator simulator = AgentSimulator.start(SimulatorConfig.builder()
 *     .latency(Latency.fixed(Duration.ofMillis(200)))
 *     .internalErrorRate(0.05)
 *     .seed(7)
 *     .build())) {
 *   URI endpoint = simulator.endpoint();          // http://127.0.0.1:PORT
 *   String arn = simulator.agentRuntimeArn();
 *   // ... run the code under test against endpoint/arn ...
 *   simulator.takeDown(Fault.INTERNAL_ERROR);     // every call now fails
 *   simulator.bringUp();
 *   assertThat(simulator.stats().count(Outcome.OK)).isPositive();
 * }
 * }</pre>
 *
 * <p>Latency holds no thread: a few handler threads read requests and a scheduler sends each answer
 * when its latency has passed, so hundreds of slow calls can be in flight at once.
 *
 * <p>The simulator counts the calls of each distinct customer (their number seeds each call's
 * random draws, and {@link #callsFor(String)} reads it) until it stops or {@link #resetStats()} is
 * called: about 120 bytes of heap per customer, some 120 MB for a million customers.
 */
public final class AgentSimulator implements AutoCloseable {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  static {
    // The JDK server writes the status line and the body in separate packets; without
    // TCP_NODELAY, Nagle's algorithm and the client's delayed ACK add ~40 ms to every answer.
    // The server reads this once, when the first server of the JVM starts; a value the host set
    // explicitly is kept.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    // The server keeps at most 200 idle connections by default and closes any above that as a
    // request on it ends; a client with more in flight then sends its next request into a
    // connection being closed. Keep as many idle connections as a client may open.
    if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
      System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
    }
  }

  private final SimulatorConfig config;
  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledThreadPoolExecutor scheduler;
  private final SimulatorHandler handler;
  private final URI endpoint;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private AgentSimulator(SimulatorConfig config) {
    this.config = config;
    int id = INSTANCES.incrementAndGet();
    this.scheduler =
        new ScheduledThreadPoolExecutor(2, daemon("agent-simulator-" + id + "-sender"));
    this.scheduler.setRemoveOnCancelPolicy(true);
    this.handlers =
        Executors.newFixedThreadPool(
            config.handlerThreads(), daemon("agent-simulator-" + id + "-handler"));
    this.handler = new SimulatorHandler(config, scheduler);
    try {
      this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 1024);
    } catch (IOException e) {
      handlers.shutdownNow();
      scheduler.shutdownNow();
      throw new UncheckedIOException(
          "could not listen on " + config.host() + ":" + config.port(), e);
    }
    server.createContext("/", handler);
    server.setExecutor(handlers);
    server.start();
    InetSocketAddress bound = server.getAddress();
    String host =
        bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    this.endpoint = URI.create("http://" + host + ":" + bound.getPort());
  }

  /**
   * Starts a simulator listening per {@code config}.
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static AgentSimulator start(SimulatorConfig config) {
    return new AgentSimulator(Objects.requireNonNull(config, "config"));
  }

  /** Starts a simulator configured by {@code configure} on top of the defaults. */
  public static AgentSimulator start(Consumer<SimulatorConfig.Builder> configure) {
    SimulatorConfig.Builder builder = SimulatorConfig.builder();
    configure.accept(builder);
    return start(builder.build());
  }

  /** Starts a simulator with {@link SimulatorConfig#ofDefaults()}. */
  public static AgentSimulator start() {
    return start(SimulatorConfig.ofDefaults());
  }

  /**
   * The endpoint to pass as the AgentCore client's endpoint override, e.g. {@code
   * http://127.0.0.1:41234}.
   */
  public URI endpoint() {
    return endpoint;
  }

  /** The port the simulator listens on. */
  public int port() {
    return endpoint.getPort();
  }

  /** The agent runtime ARN to invoke. */
  public String agentRuntimeArn() {
    return config.agentRuntimeArn();
  }

  /** A qualifier the simulator accepts: {@code DEFAULT} when accepted, else the first in order. */
  public String qualifier() {
    if (config.qualifiers().contains(SimulatorConfig.DEFAULT_QUALIFIER)) {
      return SimulatorConfig.DEFAULT_QUALIFIER;
    }
    return config.qualifiers().stream().sorted().findFirst().orElseThrow();
  }

  /** The configuration this simulator runs with. */
  public SimulatorConfig config() {
    return config;
  }

  /** The segmenter that computes the answers, with the configured clock. */
  public ReferenceSegmenter segmenter() {
    return handler.segmenter();
  }

  /**
   * A snapshot of the counters. Copies the calls per customer, so its cost grows with the number of
   * distinct customers; {@link #callsFor(String)} is cheap.
   */
  public SimulatorStats stats() {
    var c = handler.counters();
    return new SimulatorStats(
        c.requests(),
        c.outcomes(),
        handler.sessions().distinct(),
        handler.sessions().live(),
        handler.sessions().stopped(),
        c.inFlight(),
        c.maxInFlight(),
        c.calls());
  }

  /**
   * The W3C trace context ({@code traceparent}, {@code tracestate}, {@code baggage}) of those of
   * the latest 1,000 invocations that carried one, oldest first: what a traced client propagated to
   * the agent.
   */
  public List<TraceContext> receivedTraces() {
    return handler.received().stream()
        .map(ReceivedRequest::trace)
        .filter(t -> !t.isEmpty())
        .toList();
  }

  /**
   * The session, runtime user id and trace context of the latest invocations, oldest first, at most
   * 1,000: who a client called on behalf of, in which session.
   */
  public List<ReceivedRequest> receivedRequests() {
    return handler.received();
  }

  /** Requests for {@code customerId} that reached the agent since the start or the last reset. */
  public long callsFor(String customerId) {
    return handler.counters().callsFor(customerId);
  }

  /**
   * Zeroes the counters. Active sessions and the token bucket are kept. Each customer's call
   * numbering restarts too, so the same calls again draw the same faults and latencies again.
   */
  public void resetStats() {
    handler.counters().reset();
    handler.sessions().resetCounters();
  }

  /**
   * Takes the agent down: until {@link #bringUp()}, every {@code InvokeAgentRuntime} request fails
   * at once with {@code how} ({@link Fault#INTERNAL_ERROR}, {@link Fault#AGENT_ERROR}, {@link
   * Fault#DROPPED_CONNECTION} or {@link Fault#MALFORMED_BODY}), before any other check.
   */
  public void takeDown(Fault how) {
    handler.outage(Objects.requireNonNull(how, "how"));
  }

  /** Takes the agent down with {@link Fault#INTERNAL_ERROR}. */
  public void takeDown() {
    takeDown(Fault.INTERNAL_ERROR);
  }

  /** Brings the agent back up after {@link #takeDown(Fault)}. */
  public void bringUp() {
    handler.outage(null);
  }

  /** How the agent is down, or empty when it is up. */
  public Optional<Fault> outage() {
    return Optional.ofNullable(handler.outage());
  }

  /** Stops listening and drops answers not yet sent. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    scheduler.shutdownNow();
    handlers.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
      handlers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "AgentSimulator[" + endpoint + ", " + config.agentRuntimeArn() + "]";
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
