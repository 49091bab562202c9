package dev.opagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.segment.SegmentOutcome;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.Latency;
import dev.opagent.testkit.PopulationGenerator;
import dev.opagent.testkit.SimulatorConfig;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClient;
import software.amazon.awssdk.services.bedrockagentcore.model.InvokeAgentRuntimeRequest;

/**
 * Scenario 8: the client's CPU per call over real HTTP, against the simulator in a JVM of its own,
 * next to the bare AWS SDK async client at the same concurrency. Only this process's CPU is counted
 * (all its threads: caller, Netty event loop, SDK completion threads).
 *
 * <pre>
 * java -cp CLASSPATH dev.opagent.bench.HttpOverhead [--quick] [--results FILE]
 * </pre>
 */
public final class HttpOverhead {
  private static final String SCENARIO = "8 real HTTP CPU";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"));

  /** Simulated agent latency: long enough that the concurrency is actually used. */
  private static final Duration LATENCY = Duration.ofMillis(50);

  private HttpOverhead() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--serve")) {
      serve();
      return;
    }
    Args parsed = Args.parse(args).noRest();
    int n = parsed.quick() ? 4_000 : 20_000;
    Report report = new Report(parsed.results());
    Process child = startSimulator();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      URI endpoint = URI.create(out.readLine().trim());
      String arn = SimulatorConfig.DEFAULT_AGENT_RUNTIME_ARN;
      PopulationGenerator population = PopulationGenerator.ofSeed(8);
      long[] next = {0};
      System.out.printf(
          Locale.ROOT,
          "%s: %d calls per contender, simulator (%s latency) in its own JVM at %s%n",
          SCENARIO,
          n,
          LATENCY,
          endpoint);
      for (int concurrency : new int[] {64, 1_000}) {
        double sdk =
            measure(
                "bare SDK",
                concurrency,
                n,
                next,
                population,
                () -> new BareSdk(endpoint, arn, concurrency, concurrency));
        double ours =
            measure(
                "opagent",
                concurrency,
                n,
                next,
                population,
                () -> new Opagent(endpoint, arn, b -> b.maxConcurrency(concurrency)));
        record(report, "async SDK, maxConcurrency " + concurrency, sdk, concurrency, 0);
        record(report, "opagent, maxConcurrency " + concurrency, ours, concurrency, sdk);
      }
      // Every default on both sides: the SDK's Netty client (50 connections) with as many calls
      // outstanding as opagent's default allows.
      int outstanding = SegmentClientBuilder.DEFAULT_MAX_CONCURRENCY;
      double sdkDefault =
          measure(
              "bare SDK",
              outstanding,
              n,
              next,
              population,
              () -> new BareSdk(endpoint, arn, 0, outstanding));
      double ourDefault =
          measure(
              "opagent",
              outstanding,
              n,
              next,
              population,
              () -> new Opagent(endpoint, arn, b -> {}));
      record(report, "async SDK defaults", sdkDefault, outstanding, 0);
      record(report, "opagent (defaults)", ourDefault, outstanding, sdkDefault);
    } finally {
      child.getOutputStream().close();
      child.destroy();
    }
    System.exit(0);
  }

  private static void record(
      Report report, String contender, double micros, int outstanding, double peer) {
    String detail = outstanding + " calls outstanding; this process's CPU over calls";
    report.info(SCENARIO, contender, "us CPU/call", micros, detail);
    if (peer > 0) {
      report.atMost(
          SCENARIO,
          contender,
          "x bare SDK CPU/call",
          micros / peer,
          1.3,
          String.format(Locale.ROOT, "%.1f vs %.1f us, same run", micros, peer));
    }
  }

  /**
   * Builds the contender, runs a warm-up batch and a measured batch of {@code n} fresh customers on
   * it, and returns µs of process CPU per call of the measured batch.
   */
  private static double measure(
      String name,
      int concurrency,
      int n,
      long[] next,
      PopulationGenerator population,
      Supplier<Runner> contender)
      throws Exception {
    List<CustomerData> warm = fresh(population, next, n);
    List<CustomerData> measured = fresh(population, next, n);
    try (Runner runner = contender.get()) {
      runner.run(warm);
      System.gc();
      long cpu0 = ClientOverhead.processCpuNanos();
      long wall0 = System.nanoTime();
      runner.run(measured);
      long cpu = ClientOverhead.processCpuNanos() - cpu0;
      long wall = System.nanoTime() - wall0;
      double micros = cpu / 1e3 / n;
      System.out.printf(
          Locale.ROOT,
          "  %-9s at most %5d outstanding: %7.1f us CPU/call, %6.0f calls/s%n",
          name,
          concurrency,
          micros,
          n / (wall / 1e9));
      return micros;
    }
  }

  private static List<CustomerData> fresh(PopulationGenerator population, long[] next, int n) {
    List<CustomerData> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(population.customer(next[0]++));
    }
    return list;
  }

  /** A contender: one client, any number of batches. */
  interface Runner extends AutoCloseable {
    void run(List<CustomerData> customers) throws Exception;

    @Override
    void close();
  }

  /** opagent with its cache off and its rate limiter out of the way. */
  private static final class Opagent implements Runner {
    private final SegmentClient client;

    Opagent(URI endpoint, String arn, Consumer<SegmentClientBuilder> options) {
      SegmentClientBuilder b =
          SegmentClient.builder()
              .agentRuntimeArn(arn)
              .endpointOverride(endpoint)
              .region(Region.US_WEST_2)
              .credentialsProvider(CREDENTIALS)
              .disableCache()
              .initialRequestsPerSecond(1e9);
      options.accept(b);
      client = b.build();
    }

    @Override
    public void run(List<CustomerData> customers) {
      List<SegmentOutcome> out = client.analyzeAll(customers);
      long failed = out.stream().filter(o -> !o.isSuccess()).count();
      if (failed > 0) {
        throw new IllegalStateException(failed + " opagent calls failed");
      }
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /**
   * What a user writes with the SDK alone: the async client (Netty, retries off), a semaphore of
   * {@code outstanding} calls, the payload written and the answer read with Jackson.
   */
  private static final class BareSdk implements Runner {
    private final BedrockAgentCoreAsyncClient client;
    private final String arn;
    private final int outstanding;

    /** {@code maxConcurrency} 0 keeps the Netty client's default (50 connections). */
    BareSdk(URI endpoint, String arn, int maxConcurrency, int outstanding) {
      NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder();
      if (maxConcurrency > 0) {
        http.maxConcurrency(maxConcurrency).maxPendingConnectionAcquires(10_000);
      } else {
        http.maxPendingConnectionAcquires(10_000)
            .connectionAcquisitionTimeout(Duration.ofMinutes(2));
      }
      this.client =
          BedrockAgentCoreAsyncClient.builder()
              .region(Region.US_WEST_2)
              .endpointOverride(endpoint)
              .credentialsProvider(CREDENTIALS)
              .httpClientBuilder(http)
              .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
              .build();
      this.arn = arn;
      this.outstanding = outstanding;
    }

    @Override
    public void run(List<CustomerData> customers) throws InterruptedException {
      Semaphore semaphore = new Semaphore(outstanding);
      CountDownLatch done = new CountDownLatch(customers.size());
      AtomicLong failed = new AtomicLong();
      for (CustomerData c : customers) {
        semaphore.acquire();
        InvokeAgentRuntimeRequest request =
            InvokeAgentRuntimeRequest.builder()
                .agentRuntimeArn(arn)
                .payload(
                    SdkBytes.fromString(
                        "{\"customerData\":" + c.toJson() + "}", StandardCharsets.UTF_8))
                .build();
        client
            .invokeAgentRuntime(request, AsyncResponseTransformer.toBytes())
            .whenComplete(
                (bytes, e) -> {
                  try {
                    if (e != null || !answered(bytes.asByteArray())) {
                      if (failed.incrementAndGet() == 1) {
                        System.err.println("first bare SDK failure: " + e);
                      }
                    }
                  } finally {
                    semaphore.release();
                    done.countDown();
                  }
                });
      }
      done.await();
      if (failed.get() > 0) {
        throw new IllegalStateException(failed.get() + " bare SDK calls failed");
      }
    }

    @Override
    public void close() {
      client.close();
    }
  }

  private static boolean answered(byte[] body) {
    try {
      JsonNode analysis = MAPPER.readTree(body).get("analysis");
      return analysis != null && analysis.isObject();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static Process startSimulator() throws java.io.IOException {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    return new ProcessBuilder(
            java,
            // The JDK's HTTP server keeps at most 200 idle keep-alive connections (its default) and
            // closes any other after its response: above 200 calls in flight every call would
            // then open a new connection, which is the server's limit, not the client's cost.
            // -Dbench.serverIdleConnections=200 shows that effect.
            "-Dsun.net.httpserver.maxIdleConnections="
                + Integer.getInteger("bench.serverIdleConnections", 10_000),
            "-cp",
            System.getProperty("java.class.path"),
            HttpOverhead.class.getName(),
            "--serve")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /** The child: serves the simulator until its standard input closes. */
  private static void serve() throws Exception {
    try (AgentSimulator sim =
        AgentSimulator.start(
            b -> b.latency(Latency.fixed(LATENCY)).acceptAnyArn(true).handlerThreads(8))) {
      System.out.println(sim.endpoint());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close the pipe
      }
    }
  }
}
