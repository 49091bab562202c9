package dev.opagent.bench;

import dev.opagent.segment.BatchOptions;
import dev.opagent.segment.BatchSummary;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentClient;
import dev.opagent.testkit.PopulationGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Scenario 7 under JMH: the client's own cost per customer with a zero-latency in-process transport
 * (answers precomputed, so a request costs a map lookup), independent of the machine's other load.
 * One operation is one customer through {@code SegmentClient.analyze}: {@code miss} sends every
 * customer to the transport (a fresh client per invocation, so every customer is a cache miss, and
 * the answer is parsed and cached); {@code hit} answers every customer from a warm cache; the
 * {@code Batch} variants pass the same customers through {@code analyzeStream}, as {@code
 * ClientOverhead} does. {@value #CUSTOMERS} customers of {@code PopulationGenerator.ofSeed(42)} per
 * invocation. Not thread-safe state: JMH runs it on one thread.
 *
 * <pre>
 * java -cp CLASSPATH org.openjdk.jmh.Main ClientPipelineBenchmark -f 1 -wi 5 -w 2s -i 5 -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClientPipelineBenchmark {
  /** Customers per invocation. */
  public static final int CUSTOMERS = 2048;

  private List<CustomerData> customers = List.of();
  private CannedTransport transport = CannedTransport.precomputed(List.of());
  private SegmentClient warm;
  private SegmentClient cold;
  private long iterationCpuNanos;
  private long setupCpuNanos;
  private long invocations;

  /** Prepares the customers, their answers and a client whose cache holds every customer. */
  @Setup(Level.Trial)
  public void setUp() {
    PopulationGenerator population = PopulationGenerator.ofSeed(42);
    customers = new ArrayList<>(population.stream(CUSTOMERS).toList());
    transport = CannedTransport.precomputed(customers);
    warm = ClientOverhead.client(transport, 4L * CUSTOMERS);
    for (CustomerData c : customers) {
      warm.analyze(c);
    }
    cold = ClientOverhead.client(transport, 4L * CUSTOMERS);
  }

  /** A fresh client before each invocation of {@link #miss}, so that every customer misses. */
  @Setup(Level.Invocation)
  public void freshClient() {
    long cpu0 = ClientOverhead.processCpuNanos();
    cold.close();
    cold = ClientOverhead.client(transport, 4L * CUSTOMERS);
    setupCpuNanos += ClientOverhead.processCpuNanos() - cpu0;
    invocations++;
  }

  /** Starts counting the iteration's process CPU time. */
  @Setup(Level.Iteration)
  public void startCpu() {
    invocations = 0;
    setupCpuNanos = 0;
    iterationCpuNanos = ClientOverhead.processCpuNanos();
  }

  /**
   * Prints the iteration's process CPU time (every thread: caller, scheduler, GC, JIT) per
   * customer, without that of the per-invocation setup; with work on other threads it exceeds the
   * time.
   */
  @TearDown(Level.Iteration)
  public void printCpu() {
    long cpu = ClientOverhead.processCpuNanos() - iterationCpuNanos - setupCpuNanos;
    System.out.printf(
        java.util.Locale.ROOT,
        "%n  process CPU %.2f us/op over %d invocations%n",
        cpu / 1e3 / ((double) invocations * CUSTOMERS),
        invocations);
  }

  /** Closes the clients. */
  @TearDown(Level.Trial)
  public void tearDown() {
    warm.close();
    cold.close();
  }

  /** Every customer sent to the transport, its answer parsed and cached. */
  @Benchmark
  @OperationsPerInvocation(CUSTOMERS)
  public void miss(Blackhole bh) {
    SegmentClient client = cold;
    for (CustomerData c : customers) {
      bh.consume(client.analyze(c));
    }
  }

  /** {@link #miss} as one batch ({@code analyzeStream}, default options). */
  @Benchmark
  @OperationsPerInvocation(CUSTOMERS)
  public BatchSummary missBatch() {
    return cold.analyzeStream(customers.iterator(), o -> {}, BatchOptions.ofDefaults());
  }

  /** {@link #hit} as one batch ({@code analyzeStream}, default options). */
  @Benchmark
  @OperationsPerInvocation(CUSTOMERS)
  public BatchSummary hitBatch() {
    return warm.analyzeStream(customers.iterator(), o -> {}, BatchOptions.ofDefaults());
  }

  /** Every customer answered from the cache. */
  @Benchmark
  @OperationsPerInvocation(CUSTOMERS)
  public void hit(Blackhole bh) {
    SegmentClient client = warm;
    for (CustomerData c : customers) {
      SegmentAnalysis a = client.analyze(c);
      bh.consume(a);
    }
  }
}
