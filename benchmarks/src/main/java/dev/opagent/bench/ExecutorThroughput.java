package dev.opagent.bench;

import dev.opagent.agent.execution.ChannelLimits;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.channels.JsonLinesChannel;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.journal.JdbcExecutionJournal;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.testkit.InMemoryChannel;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The executor's end-to-end throughput: enlist N actions, then deliver them all through one channel
 * with 8 workers (journal claim → channel → journal complete per action). Channels: the testkit's
 * in-memory channel and the JSON-lines channel (each line forced to disk); journals: in memory and
 * JDBC on an H2 file ({@code forUrl}, {@code WRITE_DELAY=0}). One warm-up pass each.
 *
 * <pre>{@code
 * mvn -B -ntp -q -pl benchmarks -am install -DskipTests
 * mvn -B -ntp -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=/tmp/bench-cp.txt
 * java -cp "benchmarks/target/classes:$(cat /tmp/bench-cp.txt)" dev.opagent.bench.ExecutorThroughput [actions]
 * }</pre>
 */
public final class ExecutorThroughput {
  private ExecutorThroughput() {}

  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Path dir = Files.createTempDirectory("opagent-executor-bench");
    try {
      System.out.printf("%-40s %10s %12s%n", "channel / journal", "actions", "actions/s");
      int pass = 0;
      for (String channel : List.of("memory", "jsonl")) {
        for (String journal : List.of("memory", "h2-file")) {
          for (boolean warmUp : new boolean[] {true, false}) {
            int size = warmUp ? Math.max(1, n / 10) : n;
            Path pathBase = dir.resolve("p" + (pass++));
            Supplier<ActionChannel> ch =
                () ->
                    channel.equals("memory")
                        ? InMemoryChannel.create()
                        : JsonLinesChannel.open(pathBase.resolve("a.jsonl"));
            Files.createDirectories(pathBase);
            ExecutionJournal j =
                journal.equals("memory")
                    ? new InMemoryExecutionJournal()
                    : JdbcExecutionJournal.forUrl(
                        "jdbc:h2:file:" + pathBase.resolve("journal"), "sa", "");
            double rate = run(ch.get(), j, size);
            if (!warmUp) {
              System.out.printf("%-40s %10d %12.0f%n", channel + " / " + journal, size, rate);
            }
          }
        }
      }
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double run(ActionChannel channel, ExecutionJournal journal, int n) {
    IdempotencyKeys keys = IdempotencyKeys.dailyUtc();
    Instant at = Instant.parse("2026-03-15T09:00:00Z");
    List<ActionRequest> requests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String c = "C-" + i;
      requests.add(
          new ActionRequest(
              keys.key("winback", "send_email", c, at),
              "bench",
              c,
              "winback",
              "send_email",
              "email",
              Map.of("template", "winback_offer"),
              List.of(),
              null,
              "Riskli",
              new BigDecimal("0.01"),
              at));
    }
    try (journal;
        ExecutionService service =
            ExecutionService.builder()
                .journal(journal)
                .channels(
                    ChannelRegistry.builder().register(channel).fallback(channel.name()).build())
                .defaultLimits(ChannelLimits.of(8))
                .build()) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i += 500) {
        service.enlist(requests.subList(i, Math.min(n, i + 500)));
      }
      ExecutionReport report = service.execute("bench");
      double seconds = (System.nanoTime() - start) / 1e9;
      if (report.completed() != n) {
        throw new IllegalStateException("delivered " + report.completed() + " of " + n);
      }
      return n / seconds;
    }
  }
}
