package dev.opagent.bench;

import dev.opagent.segment.BatchSummary;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentOutcome;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.Fault;
import dev.opagent.testkit.Latency;
import dev.opagent.testkit.PopulationGenerator;
import dev.opagent.testkit.SimulatorStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The segment client's acceptance scenarios against the embedded simulator over real HTTP with the
 * real AWS SDK client. Prints one line per scenario with what was measured; exits 1 when a target
 * is missed.
 *
 * <pre>
 * mvn -q -B -ntp -pl benchmarks -am install -DskipTests &amp;&amp; mvn -q -B -ntp -pl benchmarks exec:java
 * </pre>
 */
public final class SegmentAcceptance {
  private static final List<String> MISSED = new ArrayList<>();

  private SegmentAcceptance() {}

  public static void main(String[] args) {
    quotaBound();
    faults();
    poisonCustomer();
    duplicates();
    invalidLines();
    if (!MISSED.isEmpty()) {
      System.out.println("MISSED: " + MISSED);
      System.exit(1);
    }
    System.out.println("all targets met");
    System.exit(0);
  }

  /** 400 customers, quota 20/s, 0.5 s per call: within 15% of the 20 s bound, none failed. */
  static void quotaBound() {
    try (AgentSimulator sim =
        AgentSimulator.start(
            c -> c.requestsPerSecond(20).latency(Latency.fixed(Duration.ofMillis(500))).seed(1))) {
      Run run = run(sim, population(400), b -> {});
      double bound = 400 / 20.0;
      double throttledShare = (double) run.summary.throttled() / run.summary.requests();
      report(
          "quota 20/s, 0.5 s, 400 customers",
          run,
          String.format(
              "%.2f s vs bound %.1f s (x%.3f), throttled %.1f%% of requests",
              run.seconds(), bound, run.seconds() / bound, 100 * throttledShare));
      check(run.seconds() <= bound * 1.15, "quota: time within 15% of the bound");
      check(run.summary.failed() == 0, "quota: zero failed");
      check(throttledShare <= 0.25, "quota: at most a quarter throttled");
    }
  }

  /** 5% 500s, 2% dropped connections, 2% malformed bodies: every customer still succeeds. */
  static void faults() {
    try (AgentSimulator sim =
        AgentSimulator.start(
            c ->
                c.internalErrorRate(0.05)
                    .dropRate(0.02)
                    .malformedRate(0.02)
                    .latency(Latency.fixed(Duration.ofMillis(20)))
                    .seed(2))) {
      Run run = run(sim, population(1000), b -> {});
      SimulatorStats stats = sim.stats();
      report(
          "5% 500, 2% drops, 2% malformed, 1000 customers",
          run, "simulator answered " + stats.outcomes());
      check(run.summary.failed() == 0, "faults: every recoverable customer succeeds");
    }
  }

  /** A customer the agent always fails on fails alone, typed, after at most 4 requests. */
  static void poisonCustomer() {
    List<CustomerData> customers = population(50);
    String poison = customers.get(17).customerId();
    try (AgentSimulator sim =
        AgentSimulator.start(c -> c.putPoisonCustomer(poison, Fault.INTERNAL_ERROR).seed(3))) {
      Run run = run(sim, customers, b -> {});
      SegmentOutcome o = run.outcomes.get(17);
      long calls = sim.callsFor(poison);
      report(
          "poison customer among 50",
          run,
          "poison outcome " + describe(o) + ", " + calls + " requests for it");
      check(
          run.summary.failed() == 1
              && !o.isSuccess()
              && ((SegmentOutcome.Failure) o).code() == ErrorCode.AGENT_UNAVAILABLE,
          "poison: fails alone, typed");
      check(calls <= 4, "poison: at most 4 requests");
    }
  }

  /** 600 lines of 200 distinct customers cost at most 200 calls. */
  static void duplicates() {
    List<CustomerData> distinct = population(200);
    List<CustomerData> lines = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      lines.add(distinct.get((i * 7) % 200));
    }
    try (AgentSimulator sim =
        AgentSimulator.start(c -> c.latency(Latency.fixed(Duration.ofMillis(50))).seed(4))) {
      Run run = run(sim, lines, b -> {});
      long requests = sim.stats().requests();
      report("600 lines of 200 distinct customers", run, requests + " requests to the agent");
      check(requests <= 200 && run.summary.failed() == 0, "duplicates: at most 200 calls");
    }
  }

  /** Invalid lines fail alone and are never sent. */
  static void invalidLines() {
    List<CustomerData> customers = new ArrayList<>(population(100));
    customers.set(
        10, CustomerData.fromJson("{\"customerId\":\"C-BAD-1\",\"customer\":{\"age\":200}}"));
    customers.set(20, CustomerData.fromJson("{\"customerId\":\" \"}"));
    customers.set(
        30,
        CustomerData.fromJson(
            "{\"customerId\":\"C-BAD-3\",\"customer\":{\"productHistory\":[{\"productId\":\"P\",\"totalSpent\":-1}]}}"));
    try (AgentSimulator sim = AgentSimulator.start(c -> c.seed(5))) {
      Run run = run(sim, customers, b -> {});
      long requests = sim.stats().requests();
      report(
          "100 customers, 3 invalid",
          run,
          requests + " requests; failures " + run.summary.failedByCode());
      check(
          run.summary.failed() == 3
              && requests == 97
              && sim.callsFor("C-BAD-1") == 0
              && sim.callsFor("C-BAD-3") == 0,
          "invalid: fail alone, never sent");
    }
  }

  private static List<CustomerData> population(int n) {
    return PopulationGenerator.ofSeed(42).list(n);
  }

  private static Run run(
      AgentSimulator sim,
      List<CustomerData> customers,
      Consumer<dev.opagent.segment.SegmentClientBuilder> extra) {
    dev.opagent.segment.SegmentClientBuilder builder =
        SegmentClient.builder()
            .agentRuntimeArn(sim.agentRuntimeArn())
            .endpointOverride(sim.endpoint())
            .region(Region.US_WEST_2)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")));
    extra.accept(builder);
    try (SegmentClient client = builder.build()) {
      List<SegmentOutcome> outcomes = new ArrayList<>();
      long start = System.nanoTime();
      BatchSummary summary =
          client.analyzeStream(
              customers.iterator(), outcomes::add, dev.opagent.segment.BatchOptions.ofDefaults());
      return new Run(outcomes, summary, (System.nanoTime() - start) / 1e9);
    }
  }

  private static String describe(SegmentOutcome o) {
    return o instanceof SegmentOutcome.Failure f
        ? f.code() + " after " + f.attempts() + " attempts"
        : "SUCCESS";
  }

  private static void report(String scenario, Run run, String detail) {
    Map<ErrorCode, Long> failed = new TreeMap<>(run.summary.failedByCode());
    System.out.printf(
        "%-48s %d customers, %d failed %s, %d requests, %d throttled, %.2f s; %s%n",
        scenario,
        run.summary.total(),
        run.summary.failed(),
        failed,
        run.summary.requests(),
        run.summary.throttled(),
        run.seconds(),
        detail);
  }

  private static void check(boolean ok, String target) {
    if (!ok) {
      MISSED.add(target);
    }
  }

  private record Run(List<SegmentOutcome> outcomes, BatchSummary summary, double seconds) {}
}
