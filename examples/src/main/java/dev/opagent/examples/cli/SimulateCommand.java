package dev.opagent.examples.cli;

import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.Latency;
import dev.opagent.testkit.Outcome;
import dev.opagent.testkit.ResponseShape;
import dev.opagent.testkit.SimulatorConfig;
import dev.opagent.testkit.SimulatorStats;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code opagent simulate}: serves the embedded segment-agent simulator until interrupted. Not
 * thread-safe (a command-line object).
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a local segment agent that speaks the Amazon Bedrock AgentCore InvokeAgentRuntime"
          + " wire protocol and answers with the reference segmenter, with simulated latency,"
          + " quotas and faults. Prints the endpoint and agent ARN, then serves until"
          + " interrupted (Ctrl-C)."
    },
    footer = {
      "",
      "Examples:",
      "  bin/opagent simulate --latency 200ms --request-quota 25 --error-rate 0.05 --as-of 2026-03-15",
      "  bin/opagent simulate --latency 'lognormal(2s,0.6)' --stream --sessions 1000 --seed 7",
      "",
      "Latency forms: 0, 200ms, 100ms..300ms (uniform), lognormal(2s,0.5) (median, sigma).",
      "Exit codes: 0 after an interrupt, 2 usage error, 1 the port could not be bound."
    })
public final class SimulateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "0",
      paramLabel = "P",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDRESS",
      description =
          "Address to listen on; 0.0.0.0 serves other machines (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--latency",
      defaultValue = "0",
      paramLabel = "LATENCY",
      description =
          "Time each answer takes: 200ms, 100ms..300ms or lognormal(2s,0.5)"
              + " (default: ${DEFAULT-VALUE}).")
  String latency;

  @Option(
      names = "--request-quota",
      paramLabel = "R",
      description =
          "The simulated agent's request-rate quota per second; 0 = unlimited"
              + " (default: 25, AgentCore's).")
  double rate = 25;

  @Option(names = "--rate", hidden = true, paramLabel = "R")
  void oldRate(double r) {
    Renamed.note(spec, "--rate", "--request-quota");
    rate = r;
  }

  @Option(
      names = "--burst",
      paramLabel = "N",
      description = "Requests the --request-quota admits at once (default: one second's worth).")
  Integer burst;

  @Option(
      names = "--sessions",
      defaultValue = "1000",
      paramLabel = "N",
      description =
          "Active-session quota, AgentCore's default in us-east-1/us-west-2; 0 ="
              + " unlimited (default: ${DEFAULT-VALUE}).")
  int sessions;

  @Option(
      names = "--session-idle",
      defaultValue = "15m",
      paramLabel = "DURATION",
      description = "How long an unused session stays active (default: ${DEFAULT-VALUE}).")
  String sessionIdle;

  @Option(
      names = "--error-rate",
      defaultValue = "0",
      paramLabel = "P",
      description = "Probability of a 500 InternalServerException (default: ${DEFAULT-VALUE}).")
  double errorRate;

  @Option(
      names = "--agent-error-rate",
      defaultValue = "0",
      paramLabel = "P",
      description = "Probability of a 424 RuntimeClientError (default: ${DEFAULT-VALUE}).")
  double agentErrorRate;

  @Option(
      names = "--drop-rate",
      defaultValue = "0",
      paramLabel = "P",
      description = "Probability of a dropped connection (default: ${DEFAULT-VALUE}).")
  double dropRate;

  @Option(
      names = "--malformed-rate",
      defaultValue = "0",
      paramLabel = "P",
      description = "Probability of a 200 without a readable analysis (default: ${DEFAULT-VALUE}).")
  double malformedRate;

  @Option(
      names = "--poison",
      split = ",",
      paramLabel = "CUSTOMER_ID",
      description = "Customer ids whose every call fails with 424 RuntimeClientError.")
  List<String> poison = List.of();

  @Option(
      names = "--stream",
      description = "Answer as a text/event-stream (progress events, then the analysis).")
  boolean stream;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description = "Segment as of this date, such as 2026-03-15 (default: today, UTC).")
  LocalDate asOf;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "N",
      description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--agent-arn",
      paramLabel = "ARN",
      description =
          "Agent runtime ARN to answer for (default: "
              + SimulatorConfig.DEFAULT_AGENT_RUNTIME_ARN
              + ").")
  String agentArn;

  @Option(
      names = "--stats-every",
      defaultValue = "0",
      paramLabel = "DURATION",
      description =
          "Print counters at this interval; 0 = only at exit (default: ${DEFAULT-VALUE}).")
  String statsEvery;

  @Override
  public Integer call() throws InterruptedException {
    SimulatorConfig config = config();
    Duration statsInterval = duration("--stats-every", statsEvery);
    AgentSimulator simulator;
    try {
      simulator = AgentSimulator.start(config);
    } catch (UncheckedIOException e) {
      spec.commandLine()
          .getErr()
          .println(
              "opagent simulate: could not listen on "
                  + host
                  + ":"
                  + port
                  + ": "
                  + e.getCause().getMessage());
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("Segment agent simulator listening.");
    out.println("  endpoint:  " + simulator.endpoint());
    out.println("  agent ARN: " + simulator.agentRuntimeArn());
    out.println("  qualifier: " + simulator.qualifier());
    out.println(
        "  latency "
            + config.latency()
            + ", rate quota "
            + (config.requestsPerSecond() == 0 ? "unlimited" : config.requestsPerSecond() + "/s")
            + ", session quota "
            + (config.maxActiveSessions() == 0
                ? "unlimited"
                : String.valueOf(config.maxActiveSessions()))
            + ", faults "
            + config.faultRate()
            + ", "
            + config.responseShape().name().toLowerCase(Locale.ROOT).replace('_', ' ')
            + ", seed "
            + config.seed());
    out.println();
    out.println("Try it with:");
    out.println(
        "  bin/opagent segment --endpoint "
            + simulator.endpoint()
            + " --agent-arn "
            + simulator.agentRuntimeArn()
            + " --customers customers.jsonl --output results.jsonl");
    out.println();
    out.println("Serving until interrupted (Ctrl-C).");
    out.flush();

    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              printStats(simulator.stats());
              simulator.close();
              stopped.countDown();
            },
            "opagent-simulate-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      if (statsInterval.isZero()) {
        stopped.await();
      } else {
        while (!stopped.await(
            statsInterval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
          printStats(simulator.stats());
        }
      }
    } catch (InterruptedException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      printStats(simulator.stats());
      simulator.close();
      throw e;
    }
    return 0;
  }

  SimulatorConfig config() {
    SimulatorConfig.Builder b = SimulatorConfig.builder();
    try {
      b.host(host)
          .port(port)
          .latency(Latency.parse(latency))
          .requestsPerSecond(rate)
          .maxActiveSessions(sessions)
          .sessionIdleTimeout(duration("--session-idle", sessionIdle))
          .internalErrorRate(errorRate)
          .agentErrorRate(agentErrorRate)
          .dropRate(dropRate)
          .malformedRate(malformedRate)
          .responseShape(stream ? ResponseShape.EVENT_STREAM : ResponseShape.JSON)
          .seed(seed)
          .clock(clock());
      if (burst != null) {
        b.burst(burst);
      }
      if (agentArn != null) {
        b.agentRuntimeArn(agentArn);
      }
      poison.forEach(b::addPoisonCustomer);
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Clock clock() {
    if (asOf == null) {
      return Clock.systemUTC();
    }
    return Clock.fixed(asOf.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
  }

  private Duration duration(String option, String text) {
    try {
      return Latency.parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  private void printStats(SimulatorStats s) {
    PrintWriter err = spec.commandLine().getErr();
    StringBuilder line = new StringBuilder("requests ").append(s.requests());
    for (Outcome o : Outcome.values()) {
      if (s.count(o) > 0) {
        line.append(", ").append(o.name().toLowerCase(Locale.ROOT)).append(' ').append(s.count(o));
      }
    }
    line.append("; sessions live ")
        .append(s.liveSessions())
        .append(" distinct ")
        .append(s.distinctSessions())
        .append(" stopped ")
        .append(s.stoppedSessions())
        .append("; max in flight ")
        .append(s.maxInFlight())
        .append("; customers ")
        .append(s.distinctCustomers());
    err.println(line);
    err.flush();
  }
}
