package dev.opagent.examples.cli;

import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.agent.execution.ChannelLimits;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.RuleSet;
import dev.opagent.store.OperatingStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code opagent run}: one round of the full loop, executed through channels and journalled. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    customSynopsis = "opagent run --customers FILE [--channel SPEC]... [OPTIONS]",
    description = {
      "Runs one round of the loop: segments the customers (through --agent-arn/--endpoint, or the"
          + " embedded simulator when neither is given), evaluates the campaign rules, decides and"
          + " guards the actions, journals every chosen action before sending it, and delivers it"
          + " through the channels.",
      "A round is identified by --run-id. Started again with the same run id and store after"
          + " a crash (even SIGKILL), it finishes the round and delivers every action exactly once.",
      "Run it every day on the same --store: frequency caps, budgets and daily limits count what"
          + " earlier rounds (and other processes on a shared PostgreSQL store) delivered."
    },
    footer = {
      "",
      "Examples:",
      "  bin/opagent run --customers examples/data/seed-customers.jsonl --as-of 2026-03-15 \\",
      "      --consent email,push,in_app --channel jsonl:out/actions.jsonl --run-id 2026-03-15-a",
      "  bin/opagent run --customers customers.jsonl --agent-arn $ARN \\",
      "      --channel webhook:https://hooks.example.com/opagent --channel jsonl:audit.jsonl \\",
      "      --route create_discount=jsonl --store jdbc:postgresql://db/opagent --run-id 42",
      "",
      "Channels: jsonl:PATH (one durable line per action), webhook:URL (signed with the secret in"
          + " $OPAGENT_WEBHOOK_SECRET; http only for loopback hosts), log (dry run: log only).",
      "Every action goes to the first channel unless --route sends its action type elsewhere.",
      "Exit codes: 0 done, 3 some customers or actions failed, 2 usage, rules, policy or store"
          + " error."
    })
public final class RunCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin LoopOptions loop;

  @Mixin ChannelOptions channelOptions;

  @Mixin StoreOptions store;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "The round's id; reuse it to resume a round (default: run-<UTC timestamp>).")
  String runId;

  @Option(
      names = "--delivery-rate",
      paramLabel = "R",
      description = "Deliveries per second per channel; 0 for no limit (default: 0).")
  double rate = 0;

  @Option(names = "--rate", hidden = true, paramLabel = "R")
  void oldRate(double r) {
    Renamed.note(spec, "--rate", "--delivery-rate");
    rate = r;
  }

  @Option(
      names = "--chunk-size",
      paramLabel = "N",
      description =
          "Customers read, segmented, decided and delivered at a time; memory holds one chunk"
              + " whatever the size of the file (default: ${DEFAULT-VALUE}).")
  int chunkSize = 2000;

  @Option(
      names = "--delivery-concurrency",
      paramLabel = "N",
      description = "Deliveries in flight per channel (default: ${DEFAULT-VALUE}).")
  int concurrency = 8;

  @Option(names = "--concurrency", hidden = true, paramLabel = "N")
  void oldConcurrency(int n) {
    Renamed.note(spec, "--concurrency", "--delivery-concurrency");
    concurrency = n;
  }

  @Override
  public Integer call() throws IOException {
    CommandLine cmd = spec.commandLine();
    PrintWriter err = cmd.getErr();
    if (concurrency < 1 || rate < 0) {
      throw new CommandLine.ParameterException(
          cmd, "--delivery-concurrency must be positive and --delivery-rate must not be negative");
    }
    RuleSet rules = loop.rules(cmd);
    DecisionPolicy policy = loop.policy(cmd);
    Clock clock = loop.clock();
    if (chunkSize < 1) {
      throw new CommandLine.ParameterException(cmd, "--chunk-size must be positive");
    }
    if (!Files.isReadable(loop.customers)) {
      throw new CommandLine.ParameterException(
          cmd, "cannot read --customers " + loop.customers + ": no such readable file");
    }
    String id =
        runId != null
            ? runId
            : "run-"
                + LocalDateTime.now(ZoneOffset.UTC)
                    .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Map<String, Path> inputs = new HashMap<>();
    inputs.put("--customers", loop.customers);
    inputs.put("--rules", loop.rules);
    inputs.put("--policy", loop.policy);
    ChannelRegistry channels = channelOptions.registry(cmd, inputs, clock);
    OperatingStore opened = store.open(cmd);
    RoundReport report;
    CustomerLines customers;
    try (opened;
        CustomerLines lines = customers = CustomerLines.open(loop.customers);
        LoopOptions.Agent agent = loop.agent(cmd, clock);
        OperationAgent loopAgent =
            loop.loopOn(
                cmd,
                opened,
                agent.client(),
                rules,
                policy,
                clock,
                channels,
                ChannelLimits.of(concurrency, rate))) {
      boolean resume = opened.journal().runState(id).isPresent();
      err.printf(
          "%s round %s: customers from %s, %d at a time, store %s%n",
          resume ? "resuming" : "starting", id, loop.customers, chunkSize, store.masked());
      err.flush();
      report =
          resume
              ? loopAgent.resumeRound(id, lines, chunkSize, o -> {})
              : loopAgent.runRound(id, lines, chunkSize, o -> {});
    }
    print(err, report, customers);
    return report.hasFailures() || customers.skipped() > 0 ? 3 : 0;
  }

  private static void print(PrintWriter err, RoundReport r, CustomerLines lines) {
    ExecutionReport x = r.execution();
    if (r.replanned()) {
      err.printf(
          "segmented %d of %d customers (%d by the agent, %d from the store: data"
              + " unchanged, %d by the fallback); failures %s%n",
          r.segmented(),
          r.customers(),
          r.segmented() - r.stored() - r.fallback(),
          r.stored(),
          r.fallback(),
          r.segmentationFailures());
      err.printf("eligible per campaign %s; %d held out%n", r.eligibleByCampaign(), r.heldOut());
      err.printf(
          "actions: %d chosen, %d deferred, %d blocked, %d suppressed; %d journalled now,"
              + " %d already journalled (not sent again)%n",
          r.chosen(),
          r.deferred(),
          r.blocked(),
          r.suppressed(),
          r.enlisted(),
          r.alreadyJournalled());
      for (Map.Entry<ReasonCode, Long> e : r.notChosenByReason().entrySet()) {
        err.printf("  %-20s %d%n", e.getKey(), e.getValue());
      }
    }
    err.printf(
        "delivered %d (%d already delivered before a crash), failed %d, left for later %d,"
            + " %d attempts in %.1f s%n",
        x.completed(),
        x.duplicates(),
        x.failed(),
        x.notDue(),
        x.attempts(),
        x.elapsed().toNanos() / 1e9);
    x.failures().forEach((cause, n) -> err.printf("  failed %d: %s%n", n, cause));
    lines.reasons().forEach(b -> err.println("  skipped " + b));
    if (lines.skipped() > lines.reasons().size()) {
      err.printf(
          "  skipped %d more lines that are not customers%n",
          lines.skipped() - lines.reasons().size());
    }
    err.printf(
        "round %s %s%n",
        r.runId(), r.hasFailures() || lines.skipped() > 0 ? "finished with failures" : "finished");
    err.flush();
  }
}
