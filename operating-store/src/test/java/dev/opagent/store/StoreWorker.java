package dev.opagent.store;

import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.agent.execution.ChannelLimits;
import dev.opagent.agent.execution.channels.JsonLinesChannel;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentClient;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.PopulationGenerator;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A process running one round of the loop on a shared PostgreSQL store, for {@link
 * SharedStoreProcessesTest}: {@code url prefix runId from count lines.jsonl rate [day]}. It decides
 * customers {@code [from, from + count)} of a seeded population on day {@code day} after {@link
 * #NOW} (default 0) and delivers at {@code rate} per second to its own JSON-lines file; started
 * again with the same run id it finishes the round.
 */
public final class StoreWorker {
  static final Instant NOW = Instant.parse("2026-03-16T11:00:00Z");
  static final int POPULATION = 600;
  static final BigDecimal BUDGET = new BigDecimal("2.50");
  static final int EMAIL_LIMIT = 260;

  private StoreWorker() {}

  /** The policy every worker decides by: the defaults, a global budget and a daily email limit. */
  static DecisionPolicy policy() {
    return DecisionPolicy.ofDefaults().toBuilder()
        .budgets(BudgetLimits.builder(DecisionPolicy.DEFAULT_CURRENCY).global(BUDGET).build())
        .putExecutionLimit("send_email", EMAIL_LIMIT)
        .build();
  }

  /** A client of {@code simulator} as a worker process builds it, falling back to the reference. */
  static SegmentClient client(AgentSimulator simulator, Clock clock) {
    return SegmentClient.builder()
        .agentRuntimeArn(simulator.agentRuntimeArn())
        .endpointOverride(simulator.endpoint())
        .region(Region.US_WEST_2)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .fallback(new ReferenceSegmenter(clock))
        .build();
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String prefix = args[1];
    String runId = args[2];
    int from = Integer.parseInt(args[3]);
    int count = Integer.parseInt(args[4]);
    Path lines = Path.of(args[5]);
    double rate = Double.parseDouble(args[6]);
    int day = args.length > 7 ? Integer.parseInt(args[7]) : 0;
    Clock clock = Clock.fixed(NOW.plusSeconds(86_400L * day), ZoneOffset.UTC);
    int code;
    List<CustomerData> customers =
        PopulationGenerator.ofSeed(23).list(POPULATION).subList(from, from + count);
    try (AgentSimulator simulator = AgentSimulator.start(b -> b.clock(clock));
        SegmentClient client = StoreWorker.client(simulator, clock);
        OperatingStore store =
            OperatingStore.builder()
                .url(url, "postgres", "")
                .tablePrefix(prefix)
                .maxPoolSize(4)
                .build()) {
      RoundReport r =
          StoreLoop.round(
              store,
              client,
              JsonLinesChannel.open(lines),
              ChannelLimits.of(2, rate),
              policy(),
              clock,
              runId,
              customers);
      System.out.println(
          "round "
              + runId
              + ": chosen "
              + r.chosen()
              + ", delivered "
              + r.execution().completed()
              + ", failed "
              + r.execution().failed());
      code = r.execution().failed() == 0 ? 0 : 3;
    }
    System.exit(code);
  }
}
