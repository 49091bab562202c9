package dev.opagent.examples.cli;

import dev.opagent.agent.event.CustomerEvent;
import dev.opagent.agent.event.CustomerEvents;
import dev.opagent.agent.event.InMemoryCustomerDirectory;
import dev.opagent.agent.event.InvalidEventException;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.feedback.Attribution;
import dev.opagent.agent.loop.EventOutcome;
import dev.opagent.agent.loop.EventProcessor;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.RuleSet;
import dev.opagent.store.OperatingStore;
import dev.opagent.testkit.MutableClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code opagent events}: replays customer events through the event processor. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    customSynopsis =
        "opagent events --events FILE [--customers FILE] [--channel SPEC]... [OPTIONS]",
    description = {
      "Replays a file of customer events in time order through the event processor, the clock"
          + " following the events' \"at\": each event withdraws the pending actions it cancels,"
          + " is attributed (purchases, opens, clicks), updates the customer's data, and runs the"
          + " campaigns that trigger on it (the bundled cart recovery: an e-mail an hour after"
          + " cart_abandoned, unless the customer buys first). Scheduled actions are delivered"
          + " when the clock reaches their time; after the last event the clock advances by"
          + " --drain so that those still waiting fall due.",
      "Prints the latency from event to decision and the count of each outcome. Actions are"
          + " journalled in --store under the run events-YYYY-MM-DD, with the idempotency keys of"
          + " the rounds: replaying the same file again sends nothing twice."
    },
    footer = {
      "",
      "Example:",
      "  bin/opagent events --events examples/data/events.jsonl \\",
      "      --customers examples/data/seed-customers.jsonl --consent email \\",
      "      --store jdbc:h2:file:./out/store --channel jsonl:out/actions.jsonl",
      "",
      "An event is {\"type\", \"customerId\", \"at\" (ISO instant), \"data\": {…}} on one line;"
          + " types: purchase (data.amount, product, category), cart_abandoned (data.cartValue,"
          + " items), email_open, click, coupon_used, unsubscribe (data.channel, or every"
          + " channel), page_view; other types are kept for rules that trigger on them.",
      "Exit codes: 0 done, 3 some lines were not events or some actions failed, 2 usage, rules,"
          + " policy or store error."
    })
public final class EventsCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"--events", "--input"},
      required = true,
      paramLabel = "FILE",
      description =
          "JSON lines of customer events, in any order (they are replayed by \"at\"); --input is"
              + " the same option.")
  Path input;

  @Option(
      names = "--customers",
      paramLabel = "FILE",
      description =
          "JSON lines of customer data; a triggered event of a customer not in it is counted as"
              + " UNKNOWN_CUSTOMER (default: none).")
  Path customers;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      converter = Durations.class,
      description =
          "How far the clock advances past the last event so that scheduled actions fall due,"
              + " such as 120m, 30s or PT2H (default: PT2H).")
  Duration drain = Duration.ofHours(2);

  @Mixin DecisionOptions decision;

  @Mixin ChannelOptions channelOptions;

  @Mixin StoreOptions store;

  @Override
  public Integer call() throws IOException {
    CommandLine cmd = spec.commandLine();
    PrintWriter err = cmd.getErr();
    if (drain.isNegative()) {
      throw new CommandLine.ParameterException(cmd, "--drain must not be negative");
    }
    if (!Files.isReadable(input)) {
      throw new CommandLine.ParameterException(
          cmd, "cannot read --events " + input + ": no such readable file");
    }
    if (customers != null && !Files.isReadable(customers)) {
      throw new CommandLine.ParameterException(
          cmd, "cannot read --customers " + customers + ": no such readable file");
    }
    RuleSet rules = decision.rules(cmd);
    DecisionPolicy policy = decision.policy(cmd);
    Map<String, Path> inputs = new HashMap<>();
    inputs.put("--events", input);
    inputs.put("--customers", customers);
    inputs.put("--rules", decision.rules);
    inputs.put("--policy", decision.policy);

    List<String> badLines = new ArrayList<>();
    long[] badCount = new long[1];
    List<CustomerEvent> events = readEvents(badLines, badCount);
    InMemoryCustomerDirectory directory =
        new InMemoryCustomerDirectory(
            customers == null ? List.of() : EventLoop.readCustomers(customers, badLines));
    MutableClock clock = MutableClock.at(events.isEmpty() ? Instant.now() : events.get(0).at());
    ChannelRegistry channels = channelOptions.registry(cmd, inputs, clock);

    Replay replay = new Replay();
    try (EventLoop loop =
        EventLoop.open(cmd, decision, store, rules, policy, channels, directory, clock)) {
      EventProcessor processor = loop.processor;
      OperatingStore opened = loop.store;
      err.printf(
          "replaying %d events from %s (%d customers), store %s%n",
          events.size(), input, directory.size(), store.masked());
      err.flush();
      for (CustomerEvent e : events) {
        replay.deliverUntil(processor, clock, e.at());
        clock.advanceTo(e.at());
        replay.add(processor.accept(e), opened);
      }
      Instant end = clock.instant().plus(drain);
      replay.deliverUntil(processor, clock, end);
      clock.advanceTo(end);
      replay.delivered(processor.deliverDue());
    }
    replay.print(err, badLines, badCount[0], drain);
    return badCount[0] > 0 || replay.failed > 0 ? 3 : 0;
  }

  /** The valid events of --input in time order; invalid lines named in {@code bad}. */
  private List<CustomerEvent> readEvents(List<String> bad, long[] badCount) throws IOException {
    List<CustomerEvent> out = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
      for (Iterator<CustomerEvents.Line> it = CustomerEvents.lines(reader); it.hasNext(); ) {
        CustomerEvents.Line line = it.next();
        CustomerEvent event = line.event();
        if (event != null) {
          out.add(event);
        } else {
          badCount[0]++;
          if (bad.size() < CustomerLines.KEPT_REASONS) {
            InvalidEventException error = Objects.requireNonNull(line.error());
            bad.add("--events line " + line.number() + ": " + error.getMessage());
          }
        }
      }
    }
    out.sort(Comparator.comparing(CustomerEvent::at)); // stable: ties keep the file's order
    return out;
  }

  /** What the replay did, and the due times of the actions it scheduled. */
  private static final class Replay {
    final Map<EventOutcome.Stage, Long> stages = new EnumMap<>(EventOutcome.Stage.class);
    final Map<String, Long> details = new TreeMap<>();
    final Map<Attribution.Outcome, Long> attributions = new EnumMap<>(Attribution.Outcome.class);
    final List<Long> latencies = new ArrayList<>();
    final PriorityQueue<Instant> due = new PriorityQueue<>();
    long actions;
    long deliveredNow;
    long deliveredLater;
    long cancelled;
    long failed;
    long expired;

    void add(EventOutcome o, OperatingStore store) {
      stages.merge(o.stage(), 1L, Long::sum);
      if (o.detail() != null) {
        details.merge(o.stage() + " " + o.detail(), 1L, Long::sum);
      }
      if (o.attribution() != null) {
        attributions.merge(o.attribution().outcome(), 1L, Long::sum);
      }
      latencies.add(o.decisionLatency().toNanos());
      actions += o.actionKeys().size();
      deliveredNow += o.deliveredNow();
      cancelled += o.cancelled().size();
      if (o.scheduled() > 0) {
        for (String key : o.actionKeys()) {
          store
              .journal()
              .find(key)
              .map(ExecutionRecord::request)
              .ifPresent(r -> due.add(r.plannedAt()));
        }
      }
    }

    /** Delivers, at their own times, the scheduled actions due at or before {@code until}. */
    void deliverUntil(EventProcessor processor, MutableClock clock, Instant until) {
      while (!due.isEmpty() && !due.peek().isAfter(until)) {
        Instant at = due.poll();
        while (!due.isEmpty() && due.peek().equals(at)) {
          due.poll();
        }
        clock.advanceTo(at);
        delivered(processor.deliverDue());
      }
    }

    void delivered(ExecutionReport r) {
      deliveredLater += r.completed();
      failed += r.failed();
      expired += r.cancelled();
    }

    void print(PrintWriter err, List<String> bad, long badCount, Duration drain) {
      long events = stages.values().stream().mapToLong(Long::longValue).sum();
      err.printf("events: %d replayed, %d lines not events%n", events, badCount);
      stages.forEach((stage, n) -> err.printf("  %-20s %d%n", stage, n));
      details.forEach((d, n) -> err.printf("    %-32s %d%n", d, n));
      if (!latencies.isEmpty()) {
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        err.printf(
            "event to decision: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
            percentile(sorted, 0.50) / 1e6,
            percentile(sorted, 0.99) / 1e6,
            sorted[sorted.length - 1] / 1e6);
      }
      err.printf(
          "actions: %d journalled, %d delivered at once, %d delivered when due (drain %s),"
              + " %d withdrawn by events, %d expired, %d failed%n",
          actions, deliveredNow, deliveredLater, drain, cancelled, expired, failed);
      if (!attributions.isEmpty()) {
        err.printf("attributed interactions: %s%n", attributions);
      }
      bad.forEach(b -> err.println("  skipped " + b));
      if (badCount > bad.size()) {
        err.printf("  skipped %d more lines that are not events%n", badCount - bad.size());
      }
      err.flush();
    }

    private static long percentile(long[] sorted, double p) {
      int i = (int) Math.ceil(p * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
  }
}
