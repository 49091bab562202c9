package dev.opagent.bench;

import dev.opagent.segment.BatchOptions;
import dev.opagent.segment.BatchSummary;
import dev.opagent.segment.SegmentClient;
import dev.opagent.testkit.PopulationGenerator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child JVM of {@link ClientOverhead}: streams generated customers through the client with an
 * in-process transport that segments each payload, sampling heap use every 10 ms. Prints one {@code
 * RESULT key=value ...} line. Run it with {@code -Xmx256m}.
 */
public final class StreamMillion {
  /**
   * Cache entries: bounded well below the default 100,000 so that the stream, not the cache, is
   * measured.
   */
  static final long CACHE_ENTRIES = 10_000;

  private StreamMillion() {}

  public static void main(String[] args) throws InterruptedException {
    long n = Long.parseLong(args[0]);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong peak = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    AtomicLong outcomes = new AtomicLong();
    BatchSummary s;
    long t0 = System.nanoTime();
    try (SegmentClient client =
        ClientOverhead.client(CannedTransport.segmenting(), CACHE_ENTRIES)) {
      s =
          client.analyzeStream(
              PopulationGenerator.ofSeed(7).iterator(n),
              o -> outcomes.incrementAndGet(),
              BatchOptions.ofDefaults());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    sampler.interrupt();
    sampler.join();
    System.gc();
    long live = memory.getHeapMemoryUsage().getUsed();
    System.out.printf(
        Locale.ROOT,
        "RESULT customers=%d failed=%d seconds=%.1f perSecond=%.0f "
            + "peakHeapMB=%.1f liveAfterGcMB=%.1f cacheEntries=%d maxHeapMB=%.0f%n",
        outcomes.get(),
        s.failed(),
        seconds,
        outcomes.get() / seconds,
        peak.get() / 1048576.0,
        live / 1048576.0,
        CACHE_ENTRIES,
        Runtime.getRuntime().maxMemory() / 1048576.0);
  }
}
