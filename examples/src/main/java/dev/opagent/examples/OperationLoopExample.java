package dev.opagent.examples;

import dev.opagent.agent.Channel;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.feedback.FeedbackLoop;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionType;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.CustomerData;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.InMemoryChannel;
import dev.opagent.testkit.PopulationGenerator;
import dev.opagent.testkit.SimulatedResponses;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seed 001's closed operation loop over several rounds: segment → eligibility → decide and guard →
 * journal → deliver → feedback, where the observed conversion rates flow back into the next round's
 * decisions. Run: {@code java -cp examples/target/opagent-cli.jar
 * dev.opagent.examples.OperationLoopExample}.
 */
public final class OperationLoopExample {

  /** What the loop did: one report per round and the metrics per campaign at the end. */
  public record LoopResult(
      List<RoundReport> rounds, Map<String, Metrics> byCampaign, int delivered) {}

  private OperationLoopExample() {}

  public static void main(String[] args) {
    run(
        PopulationGenerator.builder().seed(7).asOf(Fixtures.SEED_AS_OF).build().list(300),
        3,
        System.out);
  }

  /** Runs {@code rounds} rounds, one simulated week apart, over {@code customers}. */
  public static LoopResult run(List<CustomerData> customers, int rounds, PrintStream out) {
    Instant start = Fixtures.SEED_AS_OF.atTime(10, 0).toInstant(ZoneOffset.UTC);
    List<RoundReport> reports = new ArrayList<>();
    FeedbackLoop feedback = FeedbackLoop.builder().build();
    int delivered = 0;
    try (LocalAgent local = LocalAgent.start()) {
      for (int r = 0; r < rounds; r++) {
        Clock clock = Clock.fixed(start.plus(Duration.ofDays(7L * r)), ZoneOffset.UTC);
        InMemoryChannel email = InMemoryChannel.builder().name("email").build();
        reports.add(round(local, customers, clock, r + 1, email, feedback, out));
        delivered += email.size();
      }
    }
    return new LoopResult(reports, feedback.metrics().byCampaign(), delivered);
  }

  /** One week: a fresh engine on the shared feedback, so the learned rates carry over. */
  private static RoundReport round(
      LocalAgent local,
      List<CustomerData> customers,
      Clock clock,
      int round,
      InMemoryChannel email,
      FeedbackLoop feedback,
      PrintStream out) {
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    try (OperationAgent agent =
        OperationAgent.builder()
            .segmentClient(local.client())
            .rules(RuleSetLoader.defaults())
            .clock(clock)
            .decisionEngine(engine -> engine.conversionRates(feedback))
            .executionService(
                executor ->
                    executor
                        .journal(journal)
                        .listener(feedback)
                        .channels(
                            ChannelRegistry.builder().register(email).fallback("email").build()))
            .context((data, analysis, ctx) -> ctx.consent(Channel.EMAIL))
            .build()) {
      RoundReport report = agent.runRound("week-" + round, customers);
      int conversions = respond(journal.records(report.runId()), feedback, round);
      out.printf(
          "week %d: %d customers, %d actions chosen, %d delivered, %d not chosen %s,"
              + " %d conversions%n",
          round,
          report.customers(),
          report.chosen(),
          report.execution().completed(),
          report.blocked() + report.suppressed() + report.deferred(),
          report.notChosenByReason(),
          conversions);
      return report;
    }
  }

  /** Simulated customers: some open, fewer buy; replenishment reminders convert best. */
  private static int respond(List<ExecutionRecord> records, FeedbackLoop feedback, int round) {
    SimulatedResponses customers =
        SimulatedResponses.builder()
            .seed(round)
            .openRate(0.4)
            .conversionRate(q -> "replenishment".equals(q.campaign()) ? 0.25 : 0.05)
            .revenue(new BigDecimal("120.00"), new BigDecimal("120.00"))
            .build();
    int conversions = 0;
    for (Interaction i : customers.respond(records)) {
      feedback.record(i);
      if (i.type() == InteractionType.CONVERTED) {
        conversions++;
      }
    }
    return conversions;
  }
}
