package dev.opagent.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClient;

/**
 * Measures the simulator's throughput; a program, not a test (timings do not belong in unit tests).
 * Run from {@code testkit/} after {@code mvn test-compile}:
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) dev.opagent.testkit.SimulatorThroughput
 * </pre>
 *
 * <p>Three measurements against a zero-latency simulator in the same JVM (so client and server
 * share the machine's cores): raw keep-alive HTTP/1.1 connections, each with one request at a time;
 * the real AWS SDK async client; and 500 concurrent calls with 1 s latency, to show that slow calls
 * hold no thread.
 */
public final class SimulatorThroughput {
  private SimulatorThroughput() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    try (AgentSimulator sim = AgentSimulator.start(c -> c.clock(Fixtures.seedClock()))) {
      for (int connections : new int[] {8, 32, 64}) {
        raw(sim, connections, 2); // warm-up
        report(
            "raw HTTP/1.1, " + connections + " keep-alive connections",
            raw(sim, connections, seconds));
      }
      report("AWS SDK async client, 64 concurrent calls", sdk(sim, 64, seconds));
    }
    try (AgentSimulator slow =
        AgentSimulator.start(
            c -> c.latency(Latency.fixed(Duration.ofSeconds(1))).handlerThreads(2))) {
      long start = System.nanoTime();
      Result r = sdkBurst(slow, 500);
      System.out.printf(
          Locale.ROOT,
          "500 concurrent 1 s calls on 2 handler threads: all %d answered"
              + " in %.2f s, max in flight %d%n",
          r.ok,
          (System.nanoTime() - start) / 1e9,
          slow.stats().maxInFlight());
    }
  }

  record Result(long ok, long failed, double seconds, long serverCpuNanos) {
    Result(long ok, long failed, double seconds) {
      this(ok, failed, seconds, 0);
    }
  }

  private static void report(String what, Result r) {
    System.out.printf(
        Locale.ROOT,
        "%-44s %7.0f answers/s (%d ok, %d failed);" + " simulator CPU %.0f us/answer%n",
        what,
        r.ok / r.seconds,
        r.ok,
        r.failed,
        r.serverCpuNanos / 1e3 / Math.max(1, r.ok));
  }

  /** CPU time of the simulator's threads: its handlers, senders and the JDK server's dispatcher. */
  static long serverCpuNanos() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null
          && (info.getThreadName().startsWith("agent-simulator")
              || info.getThreadName().startsWith("HTTP-Dispatcher"))) {
        sum += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
  }

  /** Keep-alive connections, each sending the next request when the previous answer is read. */
  static Result raw(AgentSimulator sim, int connections, int seconds) throws Exception {
    byte[] body = Fixtures.payload(Fixtures.seedActiveCustomer()).getBytes(StandardCharsets.UTF_8);
    String path =
        "/runtimes/"
            + URLEncoder.encode(sim.agentRuntimeArn(), StandardCharsets.UTF_8)
            + "/invocations?qualifier=DEFAULT";
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long cpu = serverCpuNanos();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      String session = String.format("bench-session-%030d", i);
      byte[] head =
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\n"
                  + "Content-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\n"
                  + "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id: "
                  + session
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      Thread t =
          new Thread(
              () -> {
                try (Socket s = new Socket(sim.endpoint().getHost(), sim.port())) {
                  s.setTcpNoDelay(true);
                  OutputStream out = s.getOutputStream();
                  InputStream in = new BufferedInputStream(s.getInputStream());
                  while (System.nanoTime() < end) {
                    out.write(head);
                    out.write(body);
                    out.flush();
                    int status = readResponse(in);
                    (status == 200 ? ok : failed).incrementAndGet();
                  }
                } catch (IOException e) {
                  failed.incrementAndGet();
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    return new Result(ok.get(), failed.get(), seconds, serverCpuNanos() - cpu);
  }

  private static int readResponse(InputStream in) throws IOException {
    String status = line(in);
    int length = 0;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(h.substring(15).strip());
      }
    }
    in.readNBytes(length);
    return Integer.parseInt(status.split(" ")[1]);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  static Result sdk(AgentSimulator sim, int concurrency, int seconds) throws Exception {
    try (BedrockAgentCoreAsyncClient client = client(sim, concurrency)) {
      run(client, sim, concurrency, 2);
      return run(client, sim, concurrency, seconds);
    }
  }

  private static Result run(
      BedrockAgentCoreAsyncClient client, AgentSimulator sim, int concurrency, int seconds)
      throws InterruptedException {
    SdkBytes payload = SdkBytes.fromUtf8String(Fixtures.payload(Fixtures.seedActiveCustomer()));
    Semaphore permits = new Semaphore(concurrency);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long cpu = serverCpuNanos();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    int n = 0;
    while (System.nanoTime() < end) {
      permits.acquire();
      String session = String.format("bench-session-%030d", n++ % concurrency);
      client
          .invokeAgentRuntime(
              b ->
                  b.agentRuntimeArn(sim.agentRuntimeArn())
                      .runtimeSessionId(session)
                      .payload(payload),
              AsyncResponseTransformer.toBytes())
          .whenComplete(
              (r, e) -> {
                (e == null ? ok : failed).incrementAndGet();
                permits.release();
              });
    }
    permits.acquire(concurrency);
    return new Result(
        ok.get(), failed.get(), (System.nanoTime() - start) / 1e9, serverCpuNanos() - cpu);
  }

  static Result sdkBurst(AgentSimulator sim, int calls) {
    try (BedrockAgentCoreAsyncClient client = client(sim, calls)) {
      SdkBytes payload = SdkBytes.fromUtf8String(Fixtures.payload(Fixtures.seedActiveCustomer()));
      List<CompletableFuture<?>> all = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        String session = String.format("burst-session-%030d", i);
        all.add(
            client.invokeAgentRuntime(
                b ->
                    b.agentRuntimeArn(sim.agentRuntimeArn())
                        .runtimeSessionId(session)
                        .payload(payload),
                AsyncResponseTransformer.toBytes()));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
      return new Result(all.size(), 0, 0);
    }
  }

  private static BedrockAgentCoreAsyncClient client(AgentSimulator sim, int concurrency) {
    return BedrockAgentCoreAsyncClient.builder()
        .endpointOverride(sim.endpoint())
        .region(Region.US_WEST_2)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .httpClientBuilder(
            NettyNioAsyncHttpClient.builder()
                .maxConcurrency(concurrency)
                .maxPendingConnectionAcquires(100_000)
                .connectionAcquisitionTimeout(Duration.ofMinutes(1)))
        .build();
  }
}
