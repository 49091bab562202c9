package dev.opagent.bench;

import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SessionMode;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.Latency;
import dev.opagent.testkit.Outcome;
import dev.opagent.testkit.PopulationGenerator;
import dev.opagent.testkit.SimulatorConfig;
import dev.opagent.testkit.SimulatorStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Scenarios 1–4 of docs/benchmarks.md: batches against the embedded AgentCore simulator over real
 * HTTP, opagent's client side by side with what users would write with the AWS SDK alone. Every
 * contender gets a fresh simulator with the same configuration. Times are scaled down so that each
 * run takes about a minute (see {@link #TIME_SCALE}); the reported values are ratios, which the
 * scaling keeps.
 *
 * <pre>
 * java -cp CLASSPATH dev.opagent.bench.SegmentScenarios [--quick] [--results FILE] [quota|storm|cache|sessions]...
 * </pre>
 */
public final class SegmentScenarios {
  /**
   * Scenario 1 runs AgentCore's default quota (25 requests/s) and a 10 s agent this many times
   * faster: 125 requests/s and 2 s per call. Both the quota bound and every contender's
   * latency-bound throughput (concurrency / latency) scale by the same factor.
   */
  static final int TIME_SCALE = 5;

  /** The segment client's default {@code maxConcurrency}. */
  static final int DEFAULT_CONCURRENCY = 1000;

  private final boolean quick;
  private final Report report;

  private SegmentScenarios(boolean quick, Report report) {
    this.quick = quick;
    this.report = report;
  }

  public static void main(String[] args) throws Exception {
    Args parsed = Args.parse(args);
    boolean quick = parsed.quick();
    Path results = parsed.results();
    List<String> which = new ArrayList<>(parsed.rest());
    if (which.isEmpty()) {
      which.addAll(List.of("quota", "storm", "cache", "sessions"));
    }
    SegmentScenarios s = new SegmentScenarios(quick, new Report(results));
    for (String w : which) {
      switch (w) {
        case "quota" -> s.quota();
        case "storm" -> s.storm();
        case "cache" -> s.cache();
        case "sessions" -> s.sessions();
        default ->
            throw new IllegalArgumentException(
                "scenario must be quota, storm, cache or sessions but was " + w);
      }
    }
    System.exit(0);
  }

  /** What one contender did against one fresh simulator. */
  record Measured(
      String contender,
      int customers,
      Contender.Outcomes outcomes,
      long requests,
      long throttled,
      long sessionQuotaRejected,
      long agentCalls,
      int distinctCustomers) {

    double customersPerSecond() {
      return outcomes.succeeded() / outcomes.seconds();
    }

    double throttledShare() {
      return requests == 0 ? 0 : (double) throttled / requests;
    }

    String detail() {
      return String.format(
          Locale.ROOT,
          "%d customers in %.1f s, %d failed %s, %d requests, %d throttled, %d session-quota 402",
          customers,
          outcomes.seconds(),
          outcomes.failed(),
          outcomes.failures(),
          requests,
          throttled,
          sessionQuotaRejected);
    }
  }

  private static Measured measure(
      SimulatorConfig config, Contender contender, List<CustomerData> customers)
      throws InterruptedException {
    System.out.printf(
        Locale.ROOT, "    running %s on %d customers%n", contender.name(), customers.size());
    try (AgentSimulator sim = AgentSimulator.start(config)) {
      Contender.Outcomes o = contender.run(sim, customers);
      SimulatorStats stats = sim.stats();
      long calls = stats.callsPerCustomer().values().stream().mapToLong(Long::longValue).sum();
      return new Measured(
          contender.name(),
          customers.size(),
          o,
          stats.requests(),
          stats.count(Outcome.THROTTLED),
          stats.count(Outcome.SESSION_QUOTA_EXCEEDED),
          calls,
          stats.distinctCustomers());
    }
  }

  private static List<CustomerData> population(int n) {
    return PopulationGenerator.ofSeed(42).list(n);
  }

  /**
   * The expected time of a client that sends request i at exactly i/Q and never waits otherwise:
   * the latest of i/Q + L_i, averaged over 200 draws of the latencies.
   */
  static double idealSeconds(int n, double q, Duration median, double sigma) {
    Random random = new Random(5);
    double mu = Math.log(median.toNanos() / 1e9);
    double sum = 0;
    int draws = 200;
    for (int d = 0; d < draws; d++) {
      double end = 0;
      for (int i = 0; i < n; i++) {
        end = Math.max(end, i / q + Math.exp(mu + sigma * random.nextGaussian()));
      }
      sum += end;
    }
    return sum / draws;
  }

  /** Mean of a log-normal latency: median · e^(σ²/2). */
  private static double meanSeconds(Duration median, double sigma) {
    return median.toNanos() / 1e9 * Math.exp(sigma * sigma / 2);
  }

  /** 1. Batch vs quota: quota Q, log-normal latency L, N customers, four contenders. */
  void quota() throws InterruptedException {
    String sc = "1 batch vs quota";
    double q = 25.0 * TIME_SCALE;
    Duration median = Duration.ofMillis(10_000 / TIME_SCALE);
    double sigma = 0.5;
    // Two minutes of quota: the last calls' latency (seconds, log-normal tail) is part of any
    // client's time, and weighs less the longer the batch.
    int n = quick ? 2_000 : 15_000;
    double ideal = idealSeconds(n, q, median, sigma);
    System.out.printf(
        Locale.ROOT,
        "%s: Q = %.0f/s, L = lognormal(%s, %.1f) (= 25/s and 10 s "
            + "scaled by %d), N = %d, bound N/Q = %.1f s; a client sending at exactly Q from the "
            + "first second would take %.1f s (bound/time %.3f) because of the last calls' latency%n",
        sc,
        q,
        median,
        sigma,
        TIME_SCALE,
        n,
        n / q,
        ideal,
        n / q / ideal);
    System.out.println("    'quota known' = maxRequestsPerSecond and initialRequestsPerSecond = Q");
    SimulatorConfig config =
        SimulatorConfig.builder()
            .requestsPerSecond(q)
            .latency(Latency.logNormal(median, sigma))
            .seed(11)
            .build();
    List<CustomerData> all = population(n);
    // The baselines are latency-bound far below Q: they run a share of N sized to take about
    // a minute, and are compared by throughput (bound/time is the same ratio for any N).
    Measured opagent = measure(config, Contender.opagent("opagent (defaults)", b -> {}), all);
    Measured known =
        measure(
            config,
            Contender.opagent(
                "opagent, quota known", b -> b.maxRequestsPerSecond(q).initialRequestsPerSecond(q)),
            all);
    int baseline = quick ? 2_000 : 7_500;
    Measured seed =
        measure(config, Contender.seedPool(10), all.subList(0, Math.max(50, baseline / 25)));
    Measured async = measure(config, Contender.asyncSemaphore(500), all.subList(0, baseline / 5));
    List<Measured> ours = List.of(opagent, known);
    for (Measured m : List.of(opagent, known, seed, async)) {
      double boundOverTime = m.customersPerSecond() / q;
      if (ours.contains(m)) {
        report.atLeast(sc, m.contender(), "bound/time", boundOverTime, 0.9, m.detail());
        report.atMost(sc, m.contender(), "failed customers", m.outcomes().failed(), 0, "");
      } else {
        report.info(sc, m.contender(), "bound/time", boundOverTime, m.detail());
        report.info(sc, m.contender(), "failed customers", m.outcomes().failed(), "");
      }
      report.info(
          sc,
          m.contender(),
          "throttled requests",
          m.throttled(),
          String.format(
              Locale.ROOT, "%.1f%% of %d requests", 100 * m.throttledShare(), m.requests()));
    }
    for (Measured m : ours) {
      report.atLeast(
          sc,
          m.contender(),
          "x seed throughput",
          m.customersPerSecond() / seed.customersPerSecond(),
          20,
          String.format(
              Locale.ROOT,
              "%.1f vs %.1f customers/s",
              m.customersPerSecond(),
              seed.customersPerSecond()));
    }
    report.info(
        sc,
        async.contender(),
        "x seed throughput",
        async.customersPerSecond() / seed.customersPerSecond(),
        String.format(
            Locale.ROOT,
            "%.1f vs %.1f customers/s",
            async.customersPerSecond(),
            seed.customersPerSecond()));
  }

  /** 2. Throttle storm: concurrency far above the quota. */
  void storm() throws InterruptedException {
    String sc = "2 throttle storm";
    double q = 50;
    Duration median = Duration.ofMillis(100);
    int n = quick ? 1_000 : 3_000;
    System.out.printf(
        Locale.ROOT,
        "%s: Q = %.0f/s, L = lognormal(%s, 0.5), N = %d, " + "bound N/Q = %.0f s%n",
        sc,
        q,
        median,
        n,
        n / q);
    SimulatorConfig config =
        SimulatorConfig.builder()
            .requestsPerSecond(q)
            .latency(Latency.logNormal(median, 0.5))
            .seed(12)
            .build();
    List<CustomerData> all = population(n);
    List<Measured> runs =
        List.of(
            measure(config, Contender.opagent("opagent (defaults)", b -> {}), all),
            measure(config, Contender.asyncSemaphore(500), all),
            measure(config, Contender.seedPool(10), all));
    for (Measured m : runs) {
      boolean ours = m == runs.get(0);
      double goodput = m.customersPerSecond() / q;
      String demand =
          String.format(
              Locale.ROOT,
              "%s; offered concurrency/latency %.0f/s",
              m.detail(),
              ours
                  ? DEFAULT_CONCURRENCY / meanSeconds(median, 0.5)
                  : m.contender().startsWith("async")
                      ? 50 / meanSeconds(median, 0.5)
                      : 10 / meanSeconds(median, 0.5));
      if (ours) {
        report.atLeast(sc, m.contender(), "goodput/Q", goodput, 0.95, demand);
        report.atMost(
            sc,
            m.contender(),
            "throttled share",
            m.throttledShare(),
            0.05,
            m.throttled() + " of " + m.requests() + " requests");
        report.atMost(sc, m.contender(), "failed customers", m.outcomes().failed(), 0, "");
      } else {
        report.info(sc, m.contender(), "goodput/Q", goodput, demand);
        report.info(
            sc,
            m.contender(),
            "throttled share",
            m.throttledShare(),
            m.throttled() + " of " + m.requests() + " requests");
        report.info(sc, m.contender(), "failed customers", m.outcomes().failed(), "");
      }
    }
  }

  /** 3. Cache and de-duplication: Zipf-distributed repeats, hit ratios 0.5 and 0.9. */
  void cache() throws InterruptedException {
    String sc = "3 cache and de-dup";
    double q = 50;
    Duration median = Duration.ofMillis(500);
    int distinct = quick ? 600 : 3_000;
    SimulatorConfig config =
        SimulatorConfig.builder()
            .requestsPerSecond(q)
            .latency(Latency.logNormal(median, 0.5))
            .seed(13)
            .build();
    List<CustomerData> universe = population(distinct);
    for (double h : new double[] {0.5, 0.9}) {
      List<CustomerData> lines = zipfLines(universe, h, 1.0, 13);
      double bound = lines.size() * (1 - h) / q;
      System.out.printf(
          Locale.ROOT,
          "%s: h = %.1f, %d lines of %d distinct customers (Zipf s=1),"
              + " Q = %.0f/s, L = lognormal(%s, 0.5), bound N(1-h)/Q = %.0f s%n",
          sc,
          h,
          lines.size(),
          distinct,
          q,
          median,
          bound);
      Measured m = measure(config, Contender.opagent("opagent (defaults), h=" + h, b -> {}), lines);
      report.info(sc, m.contender(), "bound/time", bound / m.outcomes().seconds(), m.detail());
      report.atMost(
          sc,
          m.contender(),
          "calls/distinct",
          (double) m.agentCalls() / distinct,
          1.0,
          m.agentCalls()
              + " calls reached the agent for "
              + m.distinctCustomers()
              + " of "
              + distinct
              + " distinct customers");
      report.atMost(sc, m.contender(), "failed customers", m.outcomes().failed(), 0, "");
    }
  }

  /**
   * Lines in which every customer of {@code universe} appears once and the other lines repeat
   * customers drawn from a Zipf distribution (exponent {@code s}), shuffled: a perfect cache with
   * in-flight de-duplication answers exactly a share {@code h} of them.
   */
  static List<CustomerData> zipfLines(List<CustomerData> universe, double h, double s, long seed) {
    int d = universe.size();
    int n = (int) Math.round(d / (1 - h));
    double[] cdf = new double[d];
    double sum = 0;
    for (int k = 0; k < d; k++) {
      sum += 1 / Math.pow(k + 1, s);
      cdf[k] = sum;
    }
    Random random = new Random(seed);
    List<CustomerData> lines = new ArrayList<>(universe);
    for (int i = d; i < n; i++) {
      int k = Arrays.binarySearch(cdf, random.nextDouble() * sum);
      lines.add(universe.get(k >= 0 ? k : Math.min(d - 1, -k - 1)));
    }
    Collections.shuffle(lines, random);
    return lines;
  }

  /** 4. Session quota: pooled sessions vs a new session per customer. */
  void sessions() throws InterruptedException {
    String sc = "4 session quota";
    double q = 100;
    int sessions = 50;
    Duration idle = Duration.ofSeconds(10);
    Duration median = Duration.ofSeconds(1);
    double sigma = 0.3;
    int n = quick ? 800 : 2_400;
    double bound = Math.min(q, sessions / meanSeconds(median, sigma));
    System.out.printf(
        Locale.ROOT,
        "%s: Q = %.0f/s, %d active sessions, idle timeout %s, "
            + "L = lognormal(%s, %.1f), N = %d; bound min(Q, sessions/L) = %.1f/s%n",
        sc,
        q,
        sessions,
        idle,
        median,
        sigma,
        n,
        bound);
    SimulatorConfig config =
        SimulatorConfig.builder()
            .requestsPerSecond(q)
            .maxActiveSessions(sessions)
            .sessionIdleTimeout(idle)
            .latency(Latency.logNormal(median, sigma))
            .seed(14)
            .build();
    List<CustomerData> all = population(n);
    List<Measured> runs =
        List.of(
            measure(
                config,
                Contender.opagent(
                    "opagent pooled, maxConcurrency " + sessions, b -> b.maxConcurrency(sessions)),
                all),
            measure(config, Contender.opagent("opagent pooled (defaults)", b -> {}), all),
            measure(
                config,
                Contender.opagent(
                    "opagent per-customer, maxConc. " + sessions,
                    b -> b.maxConcurrency(sessions).sessionMode(SessionMode.PER_CUSTOMER)),
                all),
            measure(config, Contender.seedPool(10), all));
    for (Measured m : runs) {
      report.info(
          sc, m.contender(), "throughput/bound", m.customersPerSecond() / bound, m.detail());
      if (m.contender().startsWith("opagent pooled")) {
        report.atMost(sc, m.contender(), "failed customers", m.outcomes().failed(), 0, "");
      } else {
        report.info(sc, m.contender(), "failed customers", m.outcomes().failed(), "");
      }
    }
  }
}
