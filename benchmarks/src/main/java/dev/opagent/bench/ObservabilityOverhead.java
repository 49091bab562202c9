package dev.opagent.bench;

import dev.opagent.micrometer.OpagentMetrics;
import dev.opagent.opentelemetry.OpenTelemetryTracing;
import dev.opagent.segment.BatchOptions;
import dev.opagent.segment.BatchSummary;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.segment.SegmentClientListener;
import dev.opagent.testkit.PopulationGenerator;
import dev.opagent.testkit.SimulatorConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The segment client's own CPU per customer with {@link OpagentMetrics} bound, with {@link
 * OpenTelemetryTracing} tracing its calls, with both, and with neither, side by side in one run:
 * the same customers through a zero-latency in-process transport (answers precomputed, as in {@link
 * ClientOverhead}), each contender on a fresh client per pass so that every customer is a cache
 * miss (a request: the listener's request, response, cache-miss and latency events), then again
 * from the warm cache (a hit: one cache-hit event). Passes of the contenders alternate, and each
 * figure is the median of its passes, so a change of the machine's load during the run touches
 * every contender alike.
 *
 * <p>Last, the listener's events alone ({@link #listenerAlone}): what the metrics add per request
 * without the client around them.
 *
 * <p>The figure is the calling thread's CPU time: with answers already there, each request runs and
 * completes on the caller's thread, listener events included, and the thread's clock counts
 * nanoseconds, where the process's counts in ticks of the scheduler; the process's CPU is printed
 * beside it.
 *
 * <p>Contenders: {@code bare} (no listener, no tracer), {@code metrics, simple registry}
 * (Micrometer's {@link SimpleMeterRegistry}, which keeps no histogram buckets), {@code metrics,
 * histogram buckets} (the same registry made to keep the latency timer's percentile-histogram
 * buckets, as a Prometheus or OTLP registry does), {@code tracing} (the OpenTelemetry SDK, every
 * span sampled and handed to a span processor that exports synchronously to an exporter that drops
 * it: the spans, their attributes and the context sent with each request, without an exporter's own
 * cost) and {@code metrics and tracing} (histogram buckets and tracing).
 *
 * <pre>
 * java -cp CLASSPATH dev.opagent.bench.ObservabilityOverhead [--quick] [--results FILE]
 * </pre>
 */
public final class ObservabilityOverhead {
  private static final String SCENARIO = "7m observability overhead";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ObservabilityOverhead() {}

  public static void main(String[] args) {
    Args parsed = Args.parse(args).noRest();
    boolean quick = parsed.quick();
    Report report = new Report(parsed.results());
    run(report, quick ? 20_000 : 100_000, quick ? 5 : 7);
    listenerAlone(report, quick ? 2_000_000 : 10_000_000);
    System.exit(0);
  }

  /** One way of building the client: with or without metrics. */
  private record Contender(String name, Function<CannedTransport, Metered> client) {}

  /** A client and, when metered, the registry its metrics go to. */
  private record Metered(SegmentClient client, MeterRegistry registry) {}

  static void run(Report report, int n, int passes) {
    List<CustomerData> customers = PopulationGenerator.ofSeed(42).list(n);
    CannedTransport transport = CannedTransport.precomputed(customers);
    List<Contender> contenders =
        List.of(
            new Contender("bare", t -> new Metered(client(t, null), new SimpleMeterRegistry())),
            new Contender("metrics, simple registry", t -> metered(t, new SimpleMeterRegistry())),
            new Contender("metrics, histogram buckets", t -> metered(t, new BucketRegistry())),
            new Contender(
                "tracing", t -> new Metered(client(t, null, tracer()), new SimpleMeterRegistry())),
            new Contender(
                "metrics and tracing",
                t -> {
                  BucketRegistry registry = new BucketRegistry();
                  OpagentMetrics metrics = OpagentMetrics.create(registry);
                  SegmentClient client = client(t, metrics, tracer());
                  metrics.bindTo(client);
                  return new Metered(client, registry);
                }));
    System.out.printf(
        Locale.ROOT,
        "%s: %,d customers per pass, %d measured passes per contender after 2 warm-up passes,"
            + " zero-latency in-process transport with precomputed answers%n",
        SCENARIO,
        n,
        passes);
    for (int warm = 0; warm < 2; warm++) {
      for (Contender c : contenders) {
        pass(c, transport, customers);
      }
    }
    int k = contenders.size();
    double[][] miss = new double[k][passes];
    double[][] hit = new double[k][passes];
    double[][] processMiss = new double[k][passes];
    double[][] processHit = new double[k][passes];
    for (int p = 0; p < passes; p++) {
      for (int i = 0; i < k; i++) {
        long[] cpu = pass(contenders.get(i), transport, customers);
        miss[i][p] = cpu[0] / 1e3 / n;
        hit[i][p] = cpu[1] / 1e3 / n;
        processMiss[i][p] = cpu[2] / 1e3 / n;
        processHit[i][p] = cpu[3] / 1e3 / n;
      }
    }
    for (int i = 0; i < k; i++) {
      String name = contenders.get(i).name();
      row(report, name + ", cache miss", miss, processMiss, i);
      row(report, name + ", cache hit", hit, processHit, i);
    }
  }

  /**
   * What the metrics add to a request, without the client around it: the listener events of a cache
   * miss (cache miss, request, response with its latency) sent {@code n} times on one thread, after
   * as many to warm up. Far steadier than the difference of two clients' figures on a loaded
   * machine, and an upper bound for the difference: the client makes these calls anyway.
   */
  static void listenerAlone(Report report, int n) {
    for (MeterRegistry registry : List.of(new SimpleMeterRegistry(), new BucketRegistry())) {
      SegmentClientListener listener = OpagentMetrics.create(registry).segmentClientListener();
      Duration latency = Duration.ofMillis(3);
      long[] cpu = new long[2];
      for (int round = 0; round < 2; round++) {
        long t0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          listener.onCacheMiss();
          listener.onRequest(1);
          listener.onResponse(latency);
        }
        cpu[round] = THREADS.getCurrentThreadCpuTime() - t0;
      }
      String name =
          registry instanceof BucketRegistry
              ? "listener alone, histogram buckets"
              : "listener alone, simple registry";
      report.info(
          SCENARIO,
          name,
          "ns CPU/request",
          (double) cpu[1] / n,
          String.format(
              Locale.ROOT,
              "%,d cache-miss requests' events on one thread; warm-up round %.1f ns",
              n,
              (double) cpu[0] / n));
    }
  }

  /**
   * Reports contender {@code i}'s fastest pass and median, and their differences to the bare
   * client's (row 0). On a shared machine a pass's CPU per customer is at times twice another's of
   * the same contender (the machine's other load, not the client); the fastest pass is the least
   * disturbed, so the difference of fastest passes is the one to read.
   */
  private static void row(
      Report report, String contender, double[][] thread, double[][] process, int i) {
    double fastest = min(thread[i]);
    double bareFastest = min(thread[0]);
    double median = median(thread[i]);
    double bare = median(thread[0]);
    String passes =
        String.format(Locale.ROOT, "median %.2f us", median)
            + (i == 0 ? "" : String.format(Locale.ROOT, " (%+.2f us vs bare)", median - bare))
            + "; calling thread per pass "
            + range(thread[i])
            + "; process per pass "
            + range(process[i]);
    report.info(
        SCENARIO,
        contender,
        "us CPU/customer (fastest)",
        fastest,
        i == 0
            ? passes
            : String.format(
                Locale.ROOT,
                "%+.3f us (%+.1f%%) vs bare; %s",
                fastest - bareFastest,
                100 * (fastest - bareFastest) / bareFastest,
                passes));
  }

  private static double min(double[] values) {
    double m = Double.MAX_VALUE;
    for (double v : values) {
      m = Math.min(m, v);
    }
    return m;
  }

  /** An OpenTelemetry SDK that samples every span and drops it at export, synchronously. */
  private static OpenTelemetryTracing tracer() {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setSampler(Sampler.alwaysOn())
            .addSpanProcessor(SimpleSpanProcessor.create(SpanExporter.composite()))
            .build();
    return OpenTelemetryTracing.create(
        OpenTelemetrySdk.builder()
            .setTracerProvider(provider)
            .setPropagators(
                ContextPropagators.create(
                    TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(),
                        W3CBaggagePropagator.getInstance())))
            .build());
  }

  private static SegmentClient client(CannedTransport transport, @Nullable OpagentMetrics metrics) {
    return client(transport, metrics, null);
  }

  private static SegmentClient client(
      CannedTransport transport,
      @Nullable OpagentMetrics metrics,
      @Nullable OpenTelemetryTracing tracer) {
    SegmentClientBuilder b =
        SegmentClient.builder()
            .agentRuntimeArn(SimulatorConfig.DEFAULT_AGENT_RUNTIME_ARN)
            .transport(transport)
            // far above what one process sends: the rate limiter paces nothing but still runs
            .initialRequestsPerSecond(1e9)
            .cache(Duration.ofHours(1), 1L << 20);
    if (metrics != null) {
      b.addListener(metrics.segmentClientListener());
    }
    if (tracer != null) {
      b.tracer(tracer);
    }
    return b.build();
  }

  private static Metered metered(CannedTransport transport, MeterRegistry registry) {
    OpagentMetrics metrics = OpagentMetrics.create(registry);
    SegmentClient client = client(transport, metrics);
    metrics.bindTo(client);
    return new Metered(client, registry);
  }

  /**
   * Returns {calling thread's CPU nanos of the miss pass, of the hit pass, process CPU nanos of the
   * miss pass, of the hit pass}; checks that a metered client's meters saw every request.
   */
  private static long[] pass(Contender c, CannedTransport transport, List<CustomerData> customers) {
    Metered m = c.client().apply(transport);
    try (SegmentClient client = m.client()) {
      System.gc();
      long own0 = THREADS.getCurrentThreadCpuTime();
      long cpu0 = ClientOverhead.processCpuNanos();
      stream(client, customers);
      long own1 = THREADS.getCurrentThreadCpuTime();
      long cpu1 = ClientOverhead.processCpuNanos();
      stream(client, customers);
      long own2 = THREADS.getCurrentThreadCpuTime();
      long cpu2 = ClientOverhead.processCpuNanos();
      Timer latency =
          m.registry().find(OpagentMetrics.SEGMENT_LATENCY).tag("outcome", "success").timer();
      if (latency != null && latency.count() != customers.size()) {
        throw new IllegalStateException(
            c.name() + ": the latency timer saw " + latency.count() + " of " + customers.size());
      }
      return new long[] {own1 - own0, own2 - own1, cpu1 - cpu0, cpu2 - cpu1};
    }
  }

  private static void stream(SegmentClient client, List<CustomerData> customers) {
    BatchSummary s = client.analyzeStream(customers.iterator(), o -> {}, BatchOptions.ofDefaults());
    if (s.failed() > 0) {
      throw new IllegalStateException(s.failed() + " customers failed: " + s.failedByCode());
    }
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String range(double[] values) {
    List<String> out = new ArrayList<>();
    for (double v : values) {
      out.add(String.format(Locale.ROOT, "%.2f", v));
    }
    return String.join(" ", out);
  }

  /**
   * A {@link SimpleMeterRegistry} whose timers keep their percentile-histogram buckets, as a
   * registry whose backend aggregates percentiles (Prometheus, OTLP) does; the simple registry
   * itself drops them.
   */
  static final class BucketRegistry extends SimpleMeterRegistry {
    @Override
    protected Timer newTimer(
        Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
      return new CumulativeTimer(id, clock, config, pauseDetector, getBaseTimeUnit(), true);
    }
  }
}
