package dev.opagent.bench;

import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.Decision;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.DecisionRun;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.engine.RunMode;
import dev.opagent.agent.execution.ChannelLimits;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.journal.JdbcExecutionJournal;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.store.OperatingStore;
import dev.opagent.store.OperatingStore.Durability;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.InMemoryChannel;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Durable delivery end to end: decide → journal → deliver to an in-memory channel → complete, with
 * contacts and spending recorded, for N pre-segmented customers of the seed-42 population (every
 * customer consents to every channel, the default policy). Contenders in one run:
 *
 * <ul>
 *   <li>{@code memory}: the engine's memory and the in-memory journal (nothing durable; the
 *       ceiling);
 *   <li>{@code journal h2 (forUrl)}: the JDBC journal alone on an H2 file, as the command line used
 *       it before the store (a connection per operation; caps and budgets in memory);
 *   <li>{@code store h2 (synced)}: the operating store on an H2 file, batches of 500 decided under
 *       its locks against the journal, every group of commits forced to the disk (the default,
 *       which survives a power loss);
 *   <li>{@code store h2 (written)}: the same with commits written to the file but not forced
 *       (survives a crash of the process only);
 *   <li>{@code store postgresql}: the same on a real PostgreSQL 14 on this machine.
 * </ul>
 *
 * Each contender runs a warm-up pass of N/5 customers on a fresh database, then the measured pass
 * on another fresh one; the time covers deciding, journalling and delivering everything.
 *
 * <pre>{@code
 * mvn -B -ntp -q -pl benchmarks -am install -DskipTests
 * mvn -B -ntp -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=/tmp/bench-cp.txt
 * java -cp "benchmarks/target/classes:$(cat /tmp/bench-cp.txt)" dev.opagent.bench.StoreThroughput [customers]
 * }</pre>
 */
public final class StoreThroughput {
  private static final int BATCH = 500;
  private static double lastDeliverSeconds;

  private StoreThroughput() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
    RuleSet rules = RuleSetLoader.defaults();
    DecisionBenchmark.Prepared prepared =
        DecisionBenchmark.prepare(n, rules, DecisionBenchmark.evaluator());
    Path dir = Files.createTempDirectory("opagent-store-bench");
    System.setProperty("org.slf4j.simpleLogger.log.io.zonky", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      System.out.printf(
          "%-28s %10s %10s %12s %10s %10s%n",
          "contender", "customers", "delivered", "actions/s", "plan s", "deliver s");
      int[] pass = {0};
      Supplier<Path> fresh = () -> dir.resolve("p" + (pass[0]++));
      measure("memory", prepared, () -> new Setup(new InMemoryExecutionJournal(), null));
      measure(
          "journal h2 (forUrl)",
          prepared,
          () ->
              new Setup(
                  JdbcExecutionJournal.forUrl(
                      "jdbc:h2:file:" + fresh.get().resolve("journal"), "sa", ""),
                  null));
      measure(
          "store h2 (synced)",
          prepared,
          () -> {
            OperatingStore s =
                OperatingStore.open("jdbc:h2:file:" + fresh.get().resolve("store"), "sa", "");
            return new Setup(s.journal(), s);
          });
      measure(
          "store h2 (written)",
          prepared,
          () -> {
            OperatingStore s =
                OperatingStore.builder()
                    .url("jdbc:h2:file:" + fresh.get().resolve("store"), "sa", "")
                    .durability(Durability.WRITTEN)
                    .build();
            return new Setup(s.journal(), s);
          });
      measure(
          "store postgresql",
          prepared,
          () -> {
            OperatingStore s =
                OperatingStore.builder()
                    .url(pg.getJdbcUrl("postgres", "postgres"), "postgres", "")
                    .tablePrefix("b" + (pass[0]++) + "_")
                    .build();
            return new Setup(s.journal(), s);
          });
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** A journal, and the store it belongs to when there is one. */
  private record Setup(ExecutionJournal journal, OperatingStore store) {}

  private static void measure(String name, DecisionBenchmark.Prepared p, Supplier<Setup> setup)
      throws IOException {
    run(p, Math.max(1, p.size() / 5), setup.get()); // warm-up
    Setup s = setup.get();
    long started = System.nanoTime();
    long delivered = run(p, p.size(), s);
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "%-28s %10d %10d %12.0f %10.2f %10.2f%n",
        name,
        p.size(),
        delivered,
        delivered / seconds,
        seconds - lastDeliverSeconds,
        lastDeliverSeconds);
  }

  /** Decides customers {@code 0 … n-1} and delivers what is chosen; returns the deliveries. */
  private static long run(DecisionBenchmark.Prepared p, int n, Setup s) {
    DecisionEngine engine =
        DecisionEngine.builder()
            .policy(DecisionPolicy.ofDefaults())
            .clock(Fixtures.seedClock())
            .build();
    InMemoryChannel channel = InMemoryChannel.create();
    try (ExecutionService executor =
        ExecutionService.builder()
            .journal(s.journal())
            .journalIsLedger(s.store() != null)
            .decisionEngine(engine)
            .clock(Fixtures.seedClock())
            .keys(IdempotencyKeys.dailyUtc())
            .defaultLimits(ChannelLimits.of(8))
            .channels(ChannelRegistry.builder().register(channel).fallback(channel.name()).build())
            .build()) {
      DecisionRun run = engine.startRun(RunMode.LIVE);
      String runId = "bench";
      for (int from = 0; from < n; from += BATCH) {
        int to = Math.min(n, from + BATCH);
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
          ids.add(p.data()[i].customerId());
        }
        int first = from;
        if (s.store() == null) {
          Plan plan = plan(p, first, to, run::decide, executor, runId);
          executor.enlist(plan.requests, plan.origins);
        } else {
          s.store()
              .operatingState()
              .inBatch(
                  ids,
                  engine.policy(),
                  Fixtures.seedClock().instant(),
                  b -> {
                    DecisionRun.Against against = run.against(b);
                    Plan plan = plan(p, first, to, against::decide, executor, runId);
                    List<ExecutionRecord> r = b.enlist(plan.requests, plan.origins);
                    executor.track(r, plan.origins);
                    return r;
                  });
        }
      }
      long planned = System.nanoTime();
      ExecutionReport report = executor.execute(runId);
      lastDeliverSeconds = (System.nanoTime() - planned) / 1e9;
      return report.completed();
    } finally {
      if (s.store() != null) {
        s.store().close();
      } else {
        s.journal().close();
      }
    }
  }

  private record Plan(List<ActionRequest> requests, List<PlannedAction> origins) {}

  private static Plan plan(
      DecisionBenchmark.Prepared p,
      int from,
      int to,
      java.util.function.Function<CustomerContext, Decision> decide,
      ExecutionService executor,
      String runId) {
    List<ActionRequest> requests = new ArrayList<>();
    List<PlannedAction> origins = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Decision d =
          decide.apply(
              CustomerContext.builder(p.eligibilities()[i])
                  .customerData(p.data()[i])
                  .analysis(p.analyses()[i])
                  .consents(DecisionBenchmark.CONSENTS)
                  .build());
      for (PlannedAction a : d.chosen()) {
        requests.add(executor.request(runId, a, null, null));
        origins.add(a);
      }
    }
    return new Plan(requests, origins);
  }
}
