package dev.opagent.mcp;

import dev.opagent.agent.Channel;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.tools.Description;
import dev.opagent.agent.tools.InMemoryCampaignMetrics;
import dev.opagent.agent.tools.SdkTools;
import dev.opagent.agent.tools.ToolDefinition;
import dev.opagent.agent.tools.ToolRegistry;
import dev.opagent.agent.tools.spi.CustomerFacts;
import dev.opagent.agent.tools.spi.ExecutionReceipt;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.store.OperatingStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host of the SDK's tools on an operating store, served over MCP: one customer at risk, two
 * campaigns (an SMS nudge; an e-mail with a 50% discount, which needs a human's approval), an
 * executor that appends each delivery to a file, and a slow tool that outlives its deadline. Its
 * {@link #main} serves it on stdio, for tests that spawn it as a child process.
 */
final class McpTestHost implements AutoCloseable {
  /** Midday in Istanbul: outside the default quiet hours. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T10:00:00Z"), ZoneOffset.UTC);

  static final String CUSTOMER = "C-1";

  static final String RULES =
      """
      {"name": "mcp", "rules": [
        {"rule_id": "sms_nudge", "name": "Nudge",
         "conditions": {"segments.churnSegment": "Riskli"},
         "actions": [{"type": "send_sms", "template": "nudge"}], "priority": "high"},
        {"rule_id": "winback", "name": "Win-back",
         "conditions": {"segments.churnSegment": "Riskli"},
         "actions": [{"type": "send_email", "template": "winback"},
                     {"type": "create_discount", "discount": 0.5}],
         "priority": "medium"}]}""";

  /** Arguments of the slow tool. */
  record SlowArgs(@Description("How long to work, in milliseconds") int millis) {}

  final OperatingStore store;
  final DecisionEngine engine;
  final ToolRegistry registry;
  final OpagentMcpServer server;
  private final Path deliveries;
  private final AtomicInteger sent = new AtomicInteger();

  McpTestHost(String storeUrl, Duration callTimeout, Path deliveries) {
    this.deliveries = deliveries;
    this.store = OperatingStore.open(storeUrl, "sa", "");
    // default thresholds: a 50% discount needs approval; no frequency caps
    DecisionPolicy policy = DecisionPolicy.builder().clearFrequencyCaps().build();
    this.engine =
        DecisionEngine.builder()
            .clock(CLOCK)
            .approvalGate(store.approvalGate(CLOCK))
            .policy(policy)
            .build();
    RuleSet rules = RuleSetLoader.ofDefaults().load(RuleSource.string("mcp", RULES));
    CustomerFacts facts =
        CustomerFacts.of(
                CustomerData.fromJson(
                    "{\"customerId\": \"" + CUSTOMER + "\", \"city\": \"Istanbul\"}"))
            .withAnalysis(SegmentAnalysis.fromJson("{\"churnSegment\": \"Riskli\"}"))
            .withConsents(Channel.EMAIL, Channel.SMS)
            .withZone(ZoneId.of("Europe/Istanbul"));
    InMemoryCampaignMetrics metrics = new InMemoryCampaignMetrics();
    metrics.add(
        "sms_nudge", new Metrics(10, 4, 2, 0, 1, new BigDecimal("120.00"), new BigDecimal("1.50")));
    this.registry = ToolRegistry.builder().callTimeout(callTimeout).build();
    SdkTools.builder()
        .customerContextProvider(id -> id.equals(CUSTOMER) ? Optional.of(facts) : Optional.empty())
        .rules(rules)
        .decisionEngine(engine)
        .executor(this::deliver)
        .metrics(metrics)
        .clock(CLOCK)
        .build()
        .registerInto(registry);
    registry.register(
        ToolDefinition.builder("slow_report", SlowArgs.class)
            .description("Builds a report; takes as long as asked.")
            .readOnly(true)
            .build(
                a -> {
                  try {
                    Thread.sleep(a.millis());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Map.of("done", false);
                  }
                  return Map.of("done", true);
                }));
    this.server =
        OpagentMcpServer.builder(registry)
            .version("test")
            .rules(() -> rules)
            .policy(engine::policy)
            .pendingApprovals(store.approvalStore()::pending)
            .metrics(metrics)
            .clock(CLOCK)
            .build();
  }

  private ExecutionReceipt deliver(PlannedAction action) {
    String line = action.campaign() + "/" + action.actionType() + "/" + action.customerId();
    try {
      Files.writeString(
          deliveries,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ExecutionReceipt.executed("msg-" + sent.incrementAndGet());
  }

  /** The deliveries recorded in {@code file}, one {@code campaign/actionType/customer} each. */
  static List<String> deliveries(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
  }

  @Override
  public void close() {
    store.close();
  }

  /**
   * Serves the host on stdio: {@code STORE_URL CALL_TIMEOUT_MILLIS DELIVERIES_FILE}. Only the
   * protocol goes to standard output; anything else printed goes to standard error.
   */
  public static void main(String[] args) throws InterruptedException {
    PrintStream protocol = System.out;
    System.setOut(System.err);
    try (McpTestHost host =
            new McpTestHost(args[0], Duration.ofMillis(Long.parseLong(args[1])), Path.of(args[2]));
        McpEndpoint endpoint = host.server.serveStdio(System.in, protocol)) {
      endpoint.awaitTermination();
    }
    System.exit(0);
  }
}
