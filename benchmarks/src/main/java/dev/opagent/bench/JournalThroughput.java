package dev.opagent.bench;

import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.journal.JdbcExecutionJournal;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The execution journal's throughput: enlisting batches of 500 actions (records/s, and commits/s:
 * one transaction per batch), and the claim → complete cycle of each action from 1 and from 4
 * threads (actions/s; two commits per action, so commits/s is twice that). Each contender gets a
 * fresh H2 file database in a temporary directory (deleted at the end), after one smaller warm-up
 * pass on a database of its own: the JDBC journal over H2's connection pool with H2's default write
 * delay (500 ms: fast, but a crash of the process loses the last commits), the same with {@code
 * WRITE_DELAY=0} (every commit in the file when the call returns), the journal of {@link
 * JdbcExecutionJournal#forUrl} (also {@code WRITE_DELAY=0}; a new connection per operation, no
 * pool), and the in-memory journal for comparison. The threads of a cycle work on disjoint keys, so
 * the cycle measures the journal, not claim races. One measured pass each.
 *
 * <pre>
 * java -cp CLASSPATH dev.opagent.bench.JournalThroughput [--quick] [--results FILE]
 * </pre>
 */
public final class JournalThroughput {
  private static final String SCENARIO = "journal";
  private static final Instant T0 = Instant.parse("2026-03-15T09:00:00Z");
  private static final Duration LEASE = Duration.ofMinutes(15);
  private static final IdempotencyKeys KEYS = IdempotencyKeys.dailyUtc();
  private static final int BATCH = 500;

  private JournalThroughput() {}

  /** What one contender measured. */
  private record Result(
      String contender,
      double enlistRecordsPerSecond,
      double enlistCommitsPerSecond,
      double cycleOneThread,
      double cycleFourThreads) {}

  /** A contender: how to open its journal in a directory of its own, and how to close it. */
  private record Contender(String name, Function<Path, Opened> open) {}

  private record Opened(ExecutionJournal journal, Runnable close) {}

  public static void main(String[] args) throws Exception {
    Args parsed = Args.parse(args).noRest();
    boolean quick = parsed.quick();
    Report report = new Report(parsed.results());
    int enlisted = quick ? 10_000 : 50_000;
    int cycled = quick ? 4_000 : 20_000;
    System.out.printf(
        Locale.ROOT,
        "%s: enlist %,d actions in batches of %d; claim and complete"
            + " %,d actions from 1 and from 4 threads; %d cores%n",
        SCENARIO,
        enlisted,
        BATCH,
        cycled,
        Runtime.getRuntime().availableProcessors());

    List<Contender> contenders =
        List.of(
            new Contender(
                "JDBC, H2 file, H2 pool, 500 ms delay",
                dir -> {
                  JdbcConnectionPool pool = JdbcConnectionPool.create(url(dir), "sa", "");
                  JdbcExecutionJournal journal =
                      JdbcExecutionJournal.builder().dataSource(pool).createSchema(true).build();
                  return new Opened(
                      journal,
                      () -> {
                        journal.close();
                        pool.dispose();
                      });
                }),
            new Contender(
                "JDBC, H2 file, H2 pool, WRITE_DELAY=0",
                dir -> {
                  JdbcConnectionPool pool =
                      JdbcConnectionPool.create(url(dir) + ";WRITE_DELAY=0", "sa", "");
                  JdbcExecutionJournal journal =
                      JdbcExecutionJournal.builder().dataSource(pool).createSchema(true).build();
                  return new Opened(
                      journal,
                      () -> {
                        journal.close();
                        pool.dispose();
                      });
                }),
            new Contender(
                "JDBC, H2 file, forUrl (no pool)",
                dir -> {
                  JdbcExecutionJournal journal = JdbcExecutionJournal.forUrl(url(dir), "sa", "");
                  return new Opened(journal, journal::close);
                }),
            new Contender(
                "in memory",
                dir -> {
                  InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
                  return new Opened(journal, journal::close);
                }));

    Path root = Files.createTempDirectory("opagent-journal-bench");
    List<Result> results = new ArrayList<>();
    try {
      for (Contender c : contenders) {
        measure(
            c,
            root.resolve(c.name().replaceAll("[^A-Za-z]+", "-") + "-warm-up"),
            enlisted / 5,
            cycled / 5);
        results.add(
            measure(c, root.resolve(c.name().replaceAll("[^A-Za-z]+", "-")), enlisted, cycled));
      }
    } finally {
      delete(root);
    }

    for (Result r : results) {
      report.info(
          SCENARIO,
          r.contender(),
          "enlist records/s",
          r.enlistRecordsPerSecond(),
          String.format(
              Locale.ROOT,
              "%,.0f commits/s (one per batch of %d)",
              r.enlistCommitsPerSecond(),
              BATCH));
      report.info(
          SCENARIO,
          r.contender(),
          "claim+complete actions/s, 1 thread",
          r.cycleOneThread(),
          String.format(Locale.ROOT, "%,.0f commits/s", 2 * r.cycleOneThread()));
      report.info(
          SCENARIO,
          r.contender(),
          "claim+complete actions/s, 4 threads",
          r.cycleFourThreads(),
          String.format(Locale.ROOT, "%,.0f commits/s", 2 * r.cycleFourThreads()));
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%-38s %14s %14s %16s %16s%n",
        "journal",
        "enlist rec/s",
        "enlist com/s",
        "cycle 1 thr a/s",
        "cycle 4 thr a/s");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "%-38s %,14.0f %,14.0f %,16.0f %,16.0f%n",
          r.contender(),
          r.enlistRecordsPerSecond(),
          r.enlistCommitsPerSecond(),
          r.cycleOneThread(),
          r.cycleFourThreads());
    }
    System.out.println("(a cycle is two commits: claim, complete; commits/s = 2 x actions/s)");
    System.exit(0);
  }

  private static Result measure(Contender contender, Path dir, int enlisted, int cycled)
      throws Exception {
    Files.createDirectories(dir);
    Opened opened = contender.open().apply(dir);
    try {
      ExecutionJournal journal = opened.journal();
      List<ActionRequest> toEnlist = requests("enlist", enlisted);
      long t0 = System.nanoTime();
      for (int from = 0; from < enlisted; from += BATCH) {
        journal.enlist(toEnlist.subList(from, Math.min(enlisted, from + BATCH)), T0);
      }
      double enlistSeconds = (System.nanoTime() - t0) / 1e9;
      check(journal.counts("enlist"), enlisted, "enlisted");

      double one = cycle(journal, "cycle-1", cycled, 1);
      double four = cycle(journal, "cycle-4", cycled, 4);
      return new Result(
          contender.name(),
          enlisted / enlistSeconds,
          Math.ceil((double) enlisted / BATCH) / enlistSeconds,
          one,
          four);
    } finally {
      opened.close().run();
    }
  }

  /** Enlists {@code n} actions (not timed), then claims and completes them from {@code threads}. */
  private static double cycle(ExecutionJournal journal, String run, int n, int threads)
      throws Exception {
    List<ActionRequest> requests = requests(run, n);
    for (int from = 0; from < n; from += BATCH) {
      journal.enlist(requests.subList(from, Math.min(n, from + BATCH)), T0);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Supplier<Integer>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int slice = t;
        String owner = "bench-exec-" + t;
        work.add(
            () -> {
              int done = 0;
              for (int i = slice; i < n; i += threads) {
                String key = requests.get(i).idempotencyKey();
                Instant now = T0.plusSeconds(1);
                if (journal.claim(key, owner, now, now.plus(LEASE)).isEmpty()) {
                  throw new IllegalStateException("claim refused in a benchmark without races");
                }
                DeliveryReceipt receipt =
                    new DeliveryReceipt(key, "bench", "m-" + i, now, null, false, "delivered");
                if (!journal.complete(key, owner, receipt, now)) {
                  throw new IllegalStateException("complete refused to the claimant");
                }
                done++;
              }
              return done;
            });
      }
      long t0 = System.nanoTime();
      List<Future<Integer>> futures = new ArrayList<>();
      for (Supplier<Integer> w : work) {
        futures.add(pool.submit(w::get));
      }
      int done = 0;
      for (Future<Integer> f : futures) {
        done += f.get();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      check(journal.counts(run), done, "completed");
      return done / seconds;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<ActionRequest> requests(String run, int n) {
    List<ActionRequest> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String customer = "C-" + i;
      out.add(
          new ActionRequest(
              KEYS.key("bench-" + run, "send_email", customer, T0),
              run,
              customer,
              "bench-" + run,
              "send_email",
              "email",
              Map.of("template", "winback-1"),
              List.of(),
              null,
              null,
              new BigDecimal("0.25"),
              T0));
    }
    return out;
  }

  private static void check(Map<?, Long> counts, int expected, String what) {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    if (total != expected) {
      throw new IllegalStateException(what + " " + total + " records, expected " + expected);
    }
  }

  private static String url(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath();
  }

  private static void delete(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }
}
