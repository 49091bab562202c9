package dev.opagent.bench;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.execution.ChannelLimits;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.channels.JsonLinesChannel;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.loop.CustomerOutcome;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentClient;
import dev.opagent.store.OperatingStore;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.Latency;
import dev.opagent.testkit.PopulationGenerator;
import dev.opagent.testkit.SimulatorConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * N generated customers through one round of the whole loop, wired as {@code opagent run} wires it:
 * the embedded simulator (no quota, no latency) behind the segment client with the reference
 * segmenter as fallback, the default policy without its audience approval threshold (so every
 * chosen action is delivered), the operating store on an H2 file (journal, operating state, segment
 * store, approvals), a JSON-lines channel, and {@link OperationAgent#runRound(String,
 * java.util.Iterator, int, java.util.function.Consumer)} reading the customers a chunk at a time.
 * Checks that every customer has exactly one outcome and every chosen action was delivered once
 * (journal rows and channel lines against chosen), samples the used heap every 10 ms, and prints
 * one {@code RESULT key=value ...} line. Run it with {@code -Xmx512m}.
 *
 * <pre>
 * java -Xmx512m -cp ... dev.opagent.bench.LoopMillion 1000000 2000 /tmp/loop-million
 * </pre>
 */
public final class LoopMillion {
  private LoopMillion() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    long n = Long.parseLong(args[0]);
    int chunk = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    Path dir = Path.of(args.length > 2 ? args[2] : "target/loop-million");
    Files.createDirectories(dir);
    Path actions = dir.resolve("actions.jsonl");
    Files.deleteIfExists(actions);
    for (String f : new String[] {"store.mv.db", "store.trace.db"}) {
      Files.deleteIfExists(dir.resolve(f));
    }
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

    PopulationGenerator population = PopulationGenerator.ofSeed(7);
    Instant now = Instant.now();
    Instant at = population.asOf().atTime(10, 0).toInstant(java.time.ZoneOffset.UTC);
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(now, at));
    // The default policy asks for approval once a campaign's audience passes 10,000; lifted here so
    // that every chosen action of every customer is delivered and measured.
    DecisionPolicy defaults = DecisionPolicy.ofDefaults();
    ApprovalThresholds a = defaults.approval();
    DecisionPolicy policy =
        defaults.toBuilder()
            .approval(
                new ApprovalThresholds(
                    a.discountRateAtLeast(), a.spendAtLeast(), Long.MAX_VALUE, a.scope()))
            .build();
    BitSet seen = new BitSet();
    AtomicLong outcomes = new AtomicLong();
    AtomicLong twice = new AtomicLong();
    Map<CustomerOutcome.Stage, Long> stages = new EnumMap<>(CustomerOutcome.Stage.class);
    RoundReport report;
    Map<ExecutionState, Long> counts;
    long t0;
    double seconds;
    try (AgentSimulator simulator =
            AgentSimulator.start(
                SimulatorConfig.builder().latency(Latency.parse("none")).clock(clock).build());
        SegmentClient client =
            SegmentClient.builder()
                .agentRuntimeArn(simulator.agentRuntimeArn())
                .endpointOverride(simulator.endpoint())
                .region(Region.US_WEST_2)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .fallback(new ReferenceSegmenter(clock))
                .build();
        OperatingStore store =
            OperatingStore.open("jdbc:h2:file:" + dir.toAbsolutePath().resolve("store"), "sa", "");
        JsonLinesChannel channel = JsonLinesChannel.open(actions);
        OperationAgent agent =
            OperationAgent.builder()
                .segmentClient(client)
                .rules(RuleSetLoader.defaults())
                .clock(clock)
                .decisionEngine(e -> e.policy(policy).approvalGate(store.approvalGate(clock)))
                .executionService(
                    s ->
                        s.journal(store.journal())
                            .journalIsLedger(true)
                            .channels(
                                ChannelRegistry.builder()
                                    .register(channel)
                                    .fallback(channel.name())
                                    .build())
                            .keys(IdempotencyKeys.daily(policy.operatingZone()))
                            .defaultLimits(ChannelLimits.of(8, 0)))
                .operatingState(store.operatingState())
                .segmentStore(store.segmentStore())
                .context((data, analysis, ctx) -> ctx.consent(Channel.EMAIL, Channel.PUSH))
                .build()) {
      sampler.start();
      t0 = System.nanoTime();
      report =
          agent.runRound(
              "million",
              population.iterator(n),
              chunk,
              o -> {
                outcomes.incrementAndGet();
                int i = (int) o.index();
                if (seen.get(i)) {
                  twice.incrementAndGet();
                }
                seen.set(i);
                stages.merge(o.stage(), 1L, Long::sum);
              });
      seconds = (System.nanoTime() - t0) / 1e9;
      sampler.interrupt();
      sampler.join();
      counts = store.journal().counts("million");
    }
    long lines = 0;
    Set<String> keys = new HashSet<>();
    try (BufferedReader r = Files.newBufferedReader(actions, StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        lines++;
        int k = line.indexOf("\"idempotencyKey\":\"");
        keys.add(line.substring(k + 18, line.indexOf('"', k + 18)));
      }
    }
    long completed = counts.getOrDefault(ExecutionState.COMPLETED, 0L);
    boolean ok =
        outcomes.get() == n
            && seen.cardinality() == n
            && twice.get() == 0
            && completed == report.chosen()
            && lines == report.chosen()
            && keys.size() == lines;
    System.out.printf(
        Locale.ROOT,
        "RESULT customers=%d chunk=%d outcomes=%d twice=%d stages=%s chosen=%d journalCompleted=%d"
            + " journal=%s channelLines=%d uniqueKeys=%d segmentFailures=%s fallback=%d"
            + " seconds=%.1f customersPerSecond=%.0f peakHeapMb=%.0f maxHeapMb=%.0f ok=%s%n",
        n,
        chunk,
        outcomes.get(),
        twice.get(),
        stages,
        report.chosen(),
        completed,
        counts,
        lines,
        keys.size(),
        report.segmentationFailures(),
        report.fallback(),
        seconds,
        n / seconds,
        peak.get() / 1048576.0,
        Runtime.getRuntime().maxMemory() / 1048576.0,
        ok);
    if (!ok) {
      System.exit(1);
    }
  }
}
