package dev.opagent.bench;

import dev.opagent.segment.BatchOptions;
import dev.opagent.segment.BatchSummary;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import dev.opagent.testkit.PopulationGenerator;
import dev.opagent.testkit.SimulatorConfig;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 7: the client's own cost per customer with a zero-latency in-process transport, and a
 * 1,000,000-customer streaming batch in a child JVM limited to {@code -Xmx256m}.
 *
 * <pre>
 * java -cp CLASSPATH dev.opagent.bench.ClientOverhead [--quick] [--results FILE] [cpu]
 * </pre>
 *
 * <p>With {@code cpu}, only the CPU per customer is measured (no child JVM).
 */
public final class ClientOverhead {
  private static final String SCENARIO = "7 overhead and memory";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ClientOverhead() {}

  public static void main(String[] args) throws Exception {
    Args parsed = Args.parse(args);
    boolean cpuOnly = parsed.rest().equals(List.of("cpu"));
    if (!cpuOnly) {
      parsed.noRest();
    }
    boolean quick = parsed.quick();
    Path results = parsed.results();
    Report report = new Report(results);
    overhead(report, quick ? 50_000 : 200_000);
    if (!cpuOnly) {
      memory(report, quick ? 250_000 : 1_000_000);
    }
    System.exit(0);
  }

  /** A client as the benchmark runs it: in-process transport, the rate limiter out of the way. */
  static SegmentClient client(CannedTransport transport, long cacheEntries) {
    var b =
        SegmentClient.builder()
            .agentRuntimeArn(SimulatorConfig.DEFAULT_AGENT_RUNTIME_ARN)
            .transport(transport)
            // The adaptive rate starts at 10/s and grows with successes: start it far above what
            // one
            // process can send so that it paces nothing but still runs on every request.
            .initialRequestsPerSecond(1e9);
    if (cacheEntries > 0) {
      b.cache(Duration.ofHours(1), cacheEntries);
    } else {
      b.disableCache();
    }
    return b.build();
  }

  static void overhead(Report report, int n) {
    PopulationGenerator population = PopulationGenerator.ofSeed(42);
    List<CustomerData> warm = population.stream(n).toList();
    List<CustomerData> measured = new ArrayList<>(n);
    for (long i = n; i < 2L * n; i++) {
      measured.add(population.customer(i));
    }
    List<CustomerData> both = new ArrayList<>(warm);
    both.addAll(measured);
    CannedTransport transport = CannedTransport.precomputed(both);
    System.out.printf(
        Locale.ROOT,
        "%s: %d customers, zero-latency in-process transport with " + "precomputed answers%n",
        SCENARIO,
        n);
    try (SegmentClient client = client(transport, 4L * n)) {
      pass(client, warm); // JIT warm-up
      pass(client, warm);
      long[] miss = pass(client, measured);
      long[] hit = pass(client, measured);
      report.info(
          SCENARIO,
          "opagent, cache miss",
          "us CPU/customer",
          miss[1] / 1e3 / n,
          String.format(
              Locale.ROOT,
              "%,.0f customers/s wall, GC %,d ms, calling thread %.1f us; validate, write payload,"
                  + " rate limiter, retry policy, session pool, parse answer, cache put",
              n / (miss[0] / 1e9),
              miss[2],
              miss[3] / 1e3 / n));
      report.info(
          SCENARIO,
          "opagent, cache hit",
          "us CPU/customer",
          hit[1] / 1e3 / n,
          String.format(
              Locale.ROOT,
              "%,.0f customers/s wall, GC %,d ms, calling thread %.1f us",
              n / (hit[0] / 1e9),
              hit[2],
              hit[3] / 1e3 / n));
    }
  }

  /**
   * Returns {wall nanos, process CPU nanos, GC pause millis, calling thread's CPU nanos}. Collects
   * first, outside the measured time, so that a pass does not pay for the garbage and the young
   * cache entries of the pass before it.
   */
  private static long[] pass(SegmentClient client, List<CustomerData> customers) {
    System.gc();
    long gc0 = gcMillis();
    long cpu0 = processCpuNanos();
    long own0 = THREADS.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    BatchSummary s = client.analyzeStream(customers.iterator(), o -> {}, BatchOptions.ofDefaults());
    long wall = System.nanoTime() - t0;
    long own = THREADS.getCurrentThreadCpuTime() - own0;
    long cpu = processCpuNanos() - cpu0;
    long gc = gcMillis() - gc0;
    if (s.failed() > 0) {
      throw new IllegalStateException(s.failed() + " customers failed: " + s.failedByCode());
    }
    return new long[] {wall, cpu, gc, own};
  }

  /** Time the collectors spent collecting so far, in milliseconds. */
  static long gcMillis() {
    long total = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * Runs {@link StreamMillion} in a child JVM with {@code -Xmx256m} and reports what it printed.
   */
  static void memory(Report report, long n) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            StreamMillion.class.getName(),
            Long.toString(n));
    System.out.printf(
        Locale.ROOT,
        "%s: %,d customers streamed in a child JVM: %s ...%n",
        SCENARIO,
        n,
        String.join(" ", cmd.subList(0, 2)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).directory(new File(".")).start();
    Map<String, String> result = new HashMap<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        System.out.println("    child: " + line);
        if (line.startsWith("RESULT ")) {
          for (String kv : line.substring(7).split(" ")) {
            String[] parts = kv.split("=", 2);
            result.put(parts[0], parts[1]);
          }
        }
      }
    }
    int exit = p.waitFor();
    boolean ok =
        exit == 0
            && result.containsKey("customers")
            && Long.parseLong(result.get("customers")) == n
            && "0".equals(result.get("failed"));
    String contender = String.format(Locale.ROOT, "opagent, %,d stream, -Xmx256m", n);
    if (!ok) {
      report.add(
          new Report.Row(
              SCENARIO,
              contender,
              "completed",
              0,
              "= 1",
              Report.Verdict.MISSED,
              "child exited " + exit + " with " + result));
      return;
    }
    report.add(
        new Report.Row(
            SCENARIO,
            contender,
            "completed",
            1,
            "= 1",
            Report.Verdict.MET,
            result.get("customers") + " outcomes, " + result.get("failed") + " failed"));
    report.info(
        SCENARIO,
        contender,
        "peak heap MB",
        Double.parseDouble(result.get("peakHeapMB")),
        "sampled every 10 ms; live set after the last full GC "
            + result.get("liveAfterGcMB")
            + " MB; cache bounded to "
            + result.get("cacheEntries")
            + " entries");
    report.info(
        SCENARIO,
        contender,
        "customers/s",
        Double.parseDouble(result.get("perSecond")),
        "including the transport's own reference segmentation of every payload");
  }

  /** Counts outcomes; used by the child. */
  static final class Counter {
    final AtomicLong n = new AtomicLong();
  }
}
