package dev.opagent.examples.cli;

import dev.opagent.agent.Channel;
import dev.opagent.agent.execution.ChannelLimits;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.tools.ExecutionServiceActionExecutor;
import dev.opagent.agent.tools.FeedbackLoopMetrics;
import dev.opagent.agent.tools.SdkTools;
import dev.opagent.agent.tools.ToolRegistry;
import dev.opagent.agent.tools.spi.CampaignMetricsSource;
import dev.opagent.agent.tools.spi.CustomerFacts;
import dev.opagent.mcp.McpEndpoint;
import dev.opagent.mcp.OpagentMcpServer;
import dev.opagent.rules.RuleSet;
import dev.opagent.segment.CustomerData;
import dev.opagent.store.OperatingStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code opagent mcp}: the SDK's tools and the operating state, served to MCP clients. */
@Command(
    name = "mcp",
    mixinStandardHelpOptions = true,
    customSynopsis = "opagent mcp [--http PORT [--bind HOST]] --store JDBC_URL [OPTIONS]",
    description = {
      "Serves the SDK's tools (check eligibility, plan, request approval, execute approved"
          + " actions, read metrics, analyse a customer) to an MCP client, over stdio (default) or"
          + " streamable HTTP at http://HOST:PORT/mcp (--http).",
      "Every call goes through the tool registry: the same argument validation, guardrails,"
          + " approval gate and --call-timeout as in process. An action that needs approval answers"
          + " approval_required with the request id until a human approves it in the same store"
          + " (opagent approvals approve ID), then executes once; a repeat answers"
          + " already_executed.",
      "Resources: opagent://rules, opagent://policy, opagent://approvals/pending,"
          + " opagent://metrics.",
      "On stdio only the protocol is written to standard output; messages go to standard error."
    },
    footer = {
      "",
      "Examples:",
      "  bin/opagent mcp --store jdbc:h2:file:./.opagent/store \\",
      "      --customers examples/data/seed-customers.jsonl --consent email",
      "  bin/opagent mcp --http 8931 --store jdbc:postgresql://db/opagent --rules rules.json",
      "",
      "Exit codes: 0 the client went away or the server was stopped, 2 usage, rules, policy or"
          + " store error."
    })
public final class McpCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DecisionOptions decision;

  @Mixin ChannelOptions channelOptions;

  @Mixin StoreOptions store;

  @Option(
      names = "--customers",
      paramLabel = "FILE",
      description =
          "JSON lines of the customers the tools may name (bare or wrapped as"
              + " {\"customerData\": …}); their data and consent are the host's facts. Default:"
              + " none, so customer tools answer NOT_FOUND.")
  Path customers;

  @Option(
      names = "--http",
      paramLabel = "PORT",
      description = "Serve streamable HTTP on this port (0 for any free one) instead of stdio.")
  Integer httpPort;

  @Option(
      names = "--bind",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description =
          "The address to serve HTTP on (default: ${DEFAULT-VALUE}); bind another only behind a"
              + " gateway that authenticates callers.")
  String bind = "127.0.0.1";

  @Option(
      names = "--call-timeout",
      paramLabel = "DURATION",
      converter = Durations.class,
      defaultValue = "15s",
      description =
          "The deadline of each tool call (default: ${DEFAULT-VALUE}); below an MCP client's own"
              + " request timeout, so the client reads TIMED_OUT instead of losing the call.")
  Duration callTimeout = Duration.ofSeconds(15);

  @Override
  public Integer call() throws IOException, InterruptedException {
    CommandLine cmd = spec.commandLine();
    PrintWriter err = cmd.getErr();
    if (httpPort != null && (httpPort < 0 || httpPort > 65_535)) {
      throw new CommandLine.ParameterException(cmd, "--http must be a port within 0..65535");
    }
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new CommandLine.ParameterException(cmd, "--call-timeout must be positive");
    }
    // On stdio the protocol owns standard output: whatever else prints goes to standard error.
    PrintStream protocol = System.out;
    if (httpPort == null) {
      System.setOut(System.err);
    }
    RuleSet rules = decision.rules(cmd);
    DecisionPolicy policy = decision.policy(cmd);
    Set<Channel> consent = decision.defaultConsent(cmd);
    Map<String, CustomerFacts> known = customers(cmd, consent);
    Clock clock = Clock.systemUTC();
    Map<String, Path> inputs = new HashMap<>();
    inputs.put("--customers", customers);
    inputs.put("--rules", decision.rules);
    inputs.put("--policy", decision.policy);
    ChannelRegistry channels = channelOptions.registry(cmd, inputs, clock);
    OperatingStore opened = store.open(cmd);
    try (opened;
        DecisionOptions.Agent agent = decision.agent(cmd, clock);
        OperationAgent loop =
            decision.loopOn(
                cmd,
                opened,
                agent.client(),
                rules,
                policy,
                clock,
                channels,
                ChannelLimits.of(1, 0))) {
      CampaignMetricsSource metrics = FeedbackLoopMetrics.of(opened.feedback().loop());
      ToolRegistry registry = ToolRegistry.builder().callTimeout(callTimeout).build();
      SdkTools.builder()
          .customerContextProvider(id -> Optional.ofNullable(known.get(id)))
          .segmentClient(agent.client())
          .rules(rules)
          .decisionEngine(loop.decisionEngine())
          .executor(
              ExecutionServiceActionExecutor.of(
                  loop.executionService(), "mcp-" + LocalDate.now(clock.withZone(ZoneOffset.UTC))))
          .metrics(metrics)
          .clock(clock)
          .requestedBy("mcp-client")
          .build()
          .registerInto(registry);
      OpagentMcpServer server =
          OpagentMcpServer.builder(registry)
              .rules(() -> rules)
              .policy(loop.decisionEngine()::policy)
              .pendingApprovals(opened.approvalStore()::pending)
              .metrics(metrics)
              .clock(clock)
              .build();
      McpEndpoint endpoint =
          httpPort == null
              ? server.serveStdio(System.in, protocol)
              : server.serveHttp(bind, httpPort);
      Thread stop = new Thread(endpoint::close, "opagent-mcp-stop");
      Runtime.getRuntime().addShutdownHook(stop);
      err.printf(
          "opagent mcp: %d tools on %s, store %s, %d customers%n",
          registry.names().size(),
          endpoint.uri().map(Object::toString).orElse("stdio"),
          store.masked(),
          known.size());
      err.flush();
      try (endpoint) {
        endpoint.awaitTermination();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it closes the endpoint
        }
      }
    }
    return 0;
  }

  /** The customers of {@code --customers}, by id, with their consent. */
  private Map<String, CustomerFacts> customers(CommandLine cmd, Set<Channel> consent)
      throws IOException {
    Map<String, CustomerFacts> out = new HashMap<>();
    if (customers == null) {
      return out;
    }
    if (!Files.isReadable(customers)) {
      throw new CommandLine.ParameterException(
          cmd, "cannot read --customers " + customers + ": no such readable file");
    }
    try (CustomerLines lines = CustomerLines.open(customers)) {
      while (lines.hasNext()) {
        CustomerData data = lines.next();
        out.put(
            data.customerId(),
            CustomerFacts.of(data).withConsents(DecisionOptions.consentOf(data, consent)));
      }
      lines.reasons().forEach(r -> cmd.getErr().println("  skipped " + r));
    }
    return out;
  }
}
