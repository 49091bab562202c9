package dev.opagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.event.CustomerEvent;
import dev.opagent.agent.event.CustomerEvents;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.loop.EventOutcome;
import dev.opagent.flink.EventJob;
import dev.opagent.flink.EventJobConfig;
import dev.opagent.flink.EventLoop;
import dev.opagent.segment.CustomerData;
import dev.opagent.store.OperatingStore;
import dev.opagent.testkit.PopulationGenerator;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Events per second through the event-driven loop, three ways in one run, on the same generated day
 * of events (mixed types over a population, the bundled rules with {@code cart_recovery}, the clock
 * following the events, the reference segmenter in process behind the segment client, an embedded
 * H2 operating store and a JSON-lines channel, each contender with its own):
 *
 * <ol>
 *   <li>{@code EventProcessor} in process ({@link EventLoop}): each event accepted in turn, what
 *       fell due delivered once per minute of event time (as a host calling {@code deliverDue}
 *       every minute would), and two hours after the last event; its decision latency ({@code
 *       EventOutcome.decisionLatency}) p50 and p99, over all events and over those a campaign
 *       triggered on;
 *   <li>the Flink job ({@link EventJob}) on a local mini cluster at parallelism 1, checkpointing
 *       every 10 s;
 *   <li>the same at parallelism 2.
 * </ol>
 *
 * For the job two rates are given: over the whole run (the mini cluster's start and the stores'
 * opening included) and from its first outcome to its last. Each contender is checked: one outcome
 * per event, and the channel's lines one per key and equal to the journal's completed actions.
 * Prints one ratio table and appends its rows to the results file.
 *
 * <pre>
 * java -Xmx2g -cp "benchmarks/target/classes:$(cat cp.txt)" dev.opagent.bench.EventThroughput \
 *     [--quick] [--events 200000] [--customers 20000] [--dir target/event-throughput]
 * </pre>
 */
public final class EventThroughput {
  private static final String SCENARIO = "8 events";
  private static final Instant DAY = Instant.parse("2026-03-15T08:00:00Z");

  private EventThroughput() {}

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    int events = args.quick() ? 20_000 : 200_000;
    int customers = args.quick() ? 2_000 : 20_000;
    Path dir = Path.of("target/event-throughput");
    List<String> rest = args.rest();
    for (int i = 0; i < rest.size(); i++) {
      switch (rest.get(i)) {
        case "--events" -> events = Integer.parseInt(rest.get(++i));
        case "--customers" -> customers = Integer.parseInt(rest.get(++i));
        case "--dir" -> dir = Path.of(rest.get(++i));
        default -> throw new IllegalArgumentException("unknown argument " + rest.get(i));
      }
    }
    Files.createDirectories(dir);
    Report report = new Report(args.results());
    Path customersFile = dir.resolve("customers.jsonl");
    Path eventsFile = dir.resolve("events.jsonl");
    long t0 = System.nanoTime();
    List<CustomerEvent> day = generate(customers, events, customersFile, eventsFile);
    System.out.printf(
        Locale.ROOT,
        "%,d events over %,d customers generated in %.1f s under %s%n",
        day.size(),
        customers,
        (System.nanoTime() - t0) / 1e9,
        dir);

    Result local = inProcess(config(dir, "in-process", customersFile), day);
    Result p1 = flink(config(dir, "flink-p1", customersFile), eventsFile, 1, day.size());
    Result p2 = flink(config(dir, "flink-p2", customersFile), eventsFile, 2, day.size());

    String n = String.format(Locale.ROOT, "%,d events, %,d customers", day.size(), customers);
    report.info(SCENARIO, "EventProcessor in process", "events/s", local.rate(), local.detail());
    report.info(
        SCENARIO,
        "EventProcessor in process",
        "decision p50 ms (all)",
        local.p50All(),
        "p99 " + Report.fmt(local.p99All()) + " ms");
    report.info(
        SCENARIO,
        "EventProcessor in process",
        "decision p50 ms (trig.)",
        local.p50Triggered(),
        "p99 " + Report.fmt(local.p99Triggered()) + " ms, events a campaign triggered on");
    for (Result r : List.of(p1, p2)) {
      report.info(SCENARIO, r.name(), "events/s (whole run)", r.rate(), r.detail());
      report.info(
          SCENARIO,
          r.name(),
          "events/s (1st-last out)",
          r.steadyRate(),
          "from the first outcome to the last");
    }
    report.info(SCENARIO, "Flink p=1", "x in process", p1.rate() / local.rate(), "whole run");
    report.info(SCENARIO, "Flink p=2", "x in process", p2.rate() / local.rate(), "whole run");
    report.info(SCENARIO, "Flink p=2", "x Flink p=1", p2.rate() / p1.rate(), "whole run");
    report.info(
        SCENARIO,
        "Flink p=2",
        "x Flink p=1 (steady)",
        p2.steadyRate() / p1.steadyRate(),
        "first to last outcome");

    System.out.println();
    System.out.println("EVENT THROUGHPUT (" + n + ")");
    String line = "-".repeat(100);
    System.out.println(line);
    System.out.printf(
        Locale.ROOT,
        "%-28s %14s %16s %12s %12s%n",
        "contender",
        "events/s",
        "steady events/s",
        "x in-proc",
        "delivered");
    System.out.println(line);
    for (Result r : List.of(local, p1, p2)) {
      System.out.printf(
          Locale.ROOT,
          "%-28s %14s %16s %12s %12s%n",
          r.name(),
          Report.fmt(r.rate()),
          r.steadyRate() > 0 ? Report.fmt(r.steadyRate()) : "-",
          Report.fmt(r.rate() / local.rate()),
          Report.fmt(r.delivered()));
    }
    System.out.println(line);
    System.out.printf(
        Locale.ROOT,
        "in-process decision latency: p50 %.3f ms, p99 %.3f ms (all events);"
            + " p50 %.3f ms, p99 %.3f ms (triggered)%n",
        local.p50All(),
        local.p99All(),
        local.p50Triggered(),
        local.p99Triggered());
    boolean ok = local.ok() && p1.ok() && p2.ok();
    System.out.println("checks: " + (ok ? "ok" : "FAILED"));
    if (!ok) {
      System.exit(1);
    }
  }

  /** What one contender did. */
  record Result(
      String name,
      double seconds,
      double steadySeconds,
      int events,
      long delivered,
      double p50All,
      double p99All,
      double p50Triggered,
      double p99Triggered,
      boolean ok,
      String detail) {
    double rate() {
      return events / seconds;
    }

    double steadyRate() {
      return steadySeconds > 0 ? events / steadySeconds : 0;
    }
  }

  /**
   * The contender's configuration: its own store and channel, the clock following the events, the
   * approval threshold on audience lifted (the population is above the default 10,000), consent to
   * e-mail for everyone.
   */
  static EventJobConfig config(Path dir, String name, Path customers) throws IOException {
    Path store = dir.resolve(name + "-store");
    Path actions = dir.resolve(name + "-actions.jsonl");
    for (String suffix : List.of(".mv.db", ".trace.db")) {
      Files.deleteIfExists(Path.of(store + suffix));
    }
    Files.deleteIfExists(actions);
    return EventJobConfig.builder()
        .store("jdbc:h2:file:" + store.toAbsolutePath(), "sa")
        .addChannel("jsonl:" + actions.toAbsolutePath())
        .customersFile(customers)
        .consents(List.of("email"))
        .policyJson("{\"approval\": {\"audienceAbove\": null}}")
        .clock(EventJobConfig.ClockMode.EVENT_TIME)
        .outOfOrderness(Duration.ofMinutes(1))
        .sourceIdleness(Duration.ZERO)
        .build();
  }

  private static Result inProcess(EventJobConfig config, List<CustomerEvent> day) {
    System.out.println("== EventProcessor in process");
    long[] all = new long[day.size()];
    long[] triggered = new long[day.size()];
    int nTriggered = 0;
    long outcomes = 0;
    long started = System.nanoTime();
    try (EventLoop loop = EventLoop.open(config)) {
      Instant lastSweep = Instant.EPOCH;
      Instant last = Instant.EPOCH;
      for (int i = 0; i < day.size(); i++) {
        CustomerEvent e = day.get(i);
        loop.advanceTo(e.at());
        if (!e.at().truncatedTo(ChronoUnit.MINUTES).equals(lastSweep)) {
          lastSweep = e.at().truncatedTo(ChronoUnit.MINUTES);
          loop.processor().deliverDue();
        }
        EventOutcome o = loop.processor().accept(e);
        outcomes++;
        all[i] = o.decisionLatency().toNanos();
        if (o.stage() != EventOutcome.Stage.NO_TRIGGER) {
          triggered[nTriggered++] = o.decisionLatency().toNanos();
        }
        last = e.at();
      }
      loop.advanceTo(last.plus(Duration.ofHours(2)));
      loop.processor().deliverDue();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Check check = check(config, day.size(), outcomes);
    long[] trig = Arrays.copyOf(triggered, nTriggered);
    return new Result(
        "EventProcessor in process",
        seconds,
        0,
        day.size(),
        check.delivered(),
        percentile(all, 0.50),
        percentile(all, 0.99),
        percentile(trig, 0.50),
        percentile(trig, 0.99),
        check.ok(),
        String.format(Locale.ROOT, "%.1f s; %s", seconds, check.detail()));
  }

  private static Result flink(EventJobConfig config, Path events, int parallelism, int count)
      throws Exception {
    String name = "Flink job, parallelism " + parallelism;
    System.out.println("== " + name);
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    env.enableCheckpointing(10_000);
    CountingSink.reset();
    EventJob.Streams out = EventJob.build(EventJob.readFiles(env, events), config);
    out.outcomes().sinkTo(new CountingSink()).name("count outcomes");
    out.invalidEvents().sinkTo(new CountingSink()).name("count invalid");
    long started = System.nanoTime();
    env.execute("event throughput, parallelism " + parallelism);
    double seconds = (System.nanoTime() - started) / 1e9;
    double steady = (CountingSink.LAST.get() - CountingSink.FIRST.get()) / 1e9;
    Check check = check(config, count, CountingSink.EVENTS.get());
    return new Result(
        name,
        seconds,
        steady,
        count,
        check.delivered(),
        0,
        0,
        0,
        0,
        check.ok(),
        String.format(Locale.ROOT, "%.1f s; %s", seconds, check.detail()));
  }

  private record Check(boolean ok, long delivered, String detail) {}

  /** One outcome per event; the channel's lines one per key and the journal's completed ones. */
  private static Check check(EventJobConfig config, int events, long outcomes) {
    Path actions = Path.of(config.channels().get(0).substring("jsonl:".length()));
    long lines = 0;
    Set<String> keys = new HashSet<>();
    try (BufferedReader r = Files.newBufferedReader(actions, StandardCharsets.UTF_8)) {
      for (String l; (l = r.readLine()) != null; ) {
        lines++;
        JsonNode n = Json.MAPPER.readTree(l);
        keys.add(n.get("idempotencyKey").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long completed = 0;
    long pending = 0;
    try (OperatingStore store = OperatingStore.open(config.storeUrl(), "sa", "")) {
      for (String run : store.journal().openRuns()) {
        Map<ExecutionState, Long> counts = store.journal().counts(run);
        completed += counts.getOrDefault(ExecutionState.COMPLETED, 0L);
        pending += counts.getOrDefault(ExecutionState.PENDING, 0L);
      }
    }
    boolean ok = outcomes == events && keys.size() == lines && completed == lines && pending == 0;
    return new Check(
        ok,
        lines,
        String.format(
            Locale.ROOT,
            "outcomes %,d of %,d; delivered %,d (keys %,d, journal %,d); pending %,d",
            outcomes,
            events,
            lines,
            keys.size(),
            completed,
            pending));
  }

  /**
   * A day of events for {@code customers} customers of the seeded population, in time order from
   * 08:00 UTC, written as JSON lines: page views 40 %, abandoned carts 25 %, purchases 15 %, e-mail
   * opens 8 %, clicks 7 %, coupons 3 %, unsubscribes 2 %.
   */
  static List<CustomerEvent> generate(
      int customers, int events, Path customersFile, Path eventsFile) throws IOException {
    PopulationGenerator population = PopulationGenerator.builder().seed(7).idPrefix("C-").build();
    List<String> ids = new ArrayList<>(customers);
    try (BufferedWriter w = Files.newBufferedWriter(customersFile, StandardCharsets.UTF_8)) {
      for (int i = 0; i < customers; i++) {
        CustomerData c = population.customer(i);
        ids.add(c.customerId());
        w.write(c.toJson());
        w.newLine();
      }
    }
    Random random = new Random(7);
    long spanMillis = Duration.ofHours(12).toMillis();
    List<CustomerEvent> out = new ArrayList<>(events);
    try (BufferedWriter w = Files.newBufferedWriter(eventsFile, StandardCharsets.UTF_8)) {
      for (int i = 0; i < events; i++) {
        Instant at = DAY.plusMillis(spanMillis * i / events);
        String id = ids.get(random.nextInt(ids.size()));
        double roll = random.nextDouble();
        CustomerEvent e;
        if (roll < 0.40) {
          e = new CustomerEvent(CustomerEvent.PAGE_VIEW, id, at, Map.of("page", "/p"));
        } else if (roll < 0.65) {
          e =
              new CustomerEvent(
                  CustomerEvent.CART_ABANDONED, id, at, Map.of("cartValue", new BigDecimal("80")));
        } else if (roll < 0.80) {
          e =
              new CustomerEvent(
                  CustomerEvent.PURCHASE,
                  id,
                  at,
                  Map.of(
                      "amount",
                      new BigDecimal("80"),
                      "product",
                      "P-" + random.nextInt(50),
                      "category",
                      "Giyim"));
        } else if (roll < 0.88) {
          e = CustomerEvent.of(CustomerEvent.EMAIL_OPEN, id, at);
        } else if (roll < 0.95) {
          e = CustomerEvent.of(CustomerEvent.CLICK, id, at);
        } else if (roll < 0.98) {
          e = CustomerEvent.of(CustomerEvent.COUPON_USED, id, at);
        } else {
          e = new CustomerEvent(CustomerEvent.UNSUBSCRIBE, id, at, Map.of("channel", "sms"));
        }
        out.add(e);
        w.write(CustomerEvents.toJson(e));
        w.newLine();
      }
    }
    return out;
  }

  private static double percentile(long[] nanos, double p) {
    if (nanos.length == 0) {
      return 0;
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  /** Counts the job's event outcomes and notes when the first and the last arrived. */
  static final class CountingSink implements Sink<String> {
    private static final long serialVersionUID = 1L;
    static final AtomicLong EVENTS = new AtomicLong();
    static final AtomicLong FIRST = new AtomicLong();
    static final AtomicLong LAST = new AtomicLong();

    static void reset() {
      EVENTS.set(0);
      FIRST.set(0);
      LAST.set(0);
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(String element, Context ctx) {
          if (element.startsWith("{\"kind\":\"event\"")) {
            long now = System.nanoTime();
            FIRST.compareAndSet(0, now);
            LAST.accumulateAndGet(now, Math::max);
            EVENTS.incrementAndGet();
          }
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
