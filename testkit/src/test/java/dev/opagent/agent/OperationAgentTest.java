package dev.opagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.agent.feedback.FeedbackLoop;
import dev.opagent.agent.loop.CustomerOutcome;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import dev.opagent.testkit.AgentSimulatorExtension;
import dev.opagent.testkit.Fault;
import dev.opagent.testkit.InMemoryChannel;
import dev.opagent.testkit.PopulationGenerator;
import dev.opagent.testkit.SimulatorConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole loop on the simulator: segment, eligibility, decide, journal, deliver, feedback. */
class OperationAgentTest {
  private static final List<CustomerData> CUSTOMERS = PopulationGenerator.ofSeed(11).list(150);
  private static final String POISON = CUSTOMERS.get(7).customerId();

  @RegisterExtension
  static final AgentSimulatorExtension AGENT =
      AgentSimulatorExtension.create(
          SimulatorConfig.builder().putPoisonCustomer(POISON, Fault.INTERNAL_ERROR).build());

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-15T10:00:00Z"), ZoneOffset.UTC);

  private InMemoryChannel channel;
  private InMemoryExecutionJournal journal;
  private FeedbackLoop feedback;
  private DecisionEngine engine;
  private ExecutionService executor;
  private OperationAgent agent;

  @BeforeEach
  void setUp(SegmentClient client) {
    channel = InMemoryChannel.create();
    journal = new InMemoryExecutionJournal();
    feedback = FeedbackLoop.builder().clock(CLOCK).build();
    engine = DecisionEngine.builder().clock(CLOCK).conversionRates(feedback).build();
    executor =
        ExecutionService.builder()
            .journal(journal)
            .clock(CLOCK)
            .decisionEngine(engine)
            .channels(ChannelRegistry.builder().register(channel).fallback(channel.name()).build())
            .listener(feedback)
            .build();
    agent =
        OperationAgent.builder()
            .segmentClient(client)
            .rules(RuleSetLoader.defaults())
            .decisionEngine(engine)
            .executionService(executor)
            .clock(CLOCK)
            .context((data, analysis, ctx) -> ctx.consent(Channel.EMAIL, Channel.IN_APP))
            .build();
  }

  @Test
  void runRound_population_givesEveryCustomerOneOutcomeAndDeliversEveryChosenAction() {
    RoundReport report = agent.runRound("round-1", CUSTOMERS);

    assertThat(report.outcomes()).hasSize(CUSTOMERS.size());
    Set<String> ids = new HashSet<>();
    report.outcomes().forEach(o -> ids.add(o.customerId()));
    assertThat(ids).hasSize(CUSTOMERS.size());
    assertThat(report.segmentationFailures()).containsKey("AGENT_UNAVAILABLE");
    CustomerOutcome poisoned = report.outcomes().get(7);
    assertThat(poisoned.stage()).isEqualTo(CustomerOutcome.Stage.SEGMENTATION_FAILED);
    assertThat(report.segmented() + report.segmentationFailed()).isEqualTo(CUSTOMERS.size());
    assertThat(report.chosen()).isPositive();
    assertThat(report.enlisted()).isEqualTo(report.chosen());
    assertThat(report.execution().completed()).isEqualTo(report.chosen());
    assertThat(channel.size()).isEqualTo((int) report.chosen());
    long keyed = report.outcomes().stream().mapToLong(o -> o.actionKeys().size()).sum();
    assertThat(keyed).isEqualTo(report.chosen());
    assertThat(report.outcomes())
        .filteredOn(o -> !o.actionKeys().isEmpty())
        .allSatisfy(o -> assertThat(o.stage()).isEqualTo(CustomerOutcome.Stage.ACTIONS_PLANNED));
    assertThat(report.notChosenByReason()).isNotEmpty();
    assertThat(journal.runState("round-1")).contains(RunState.COMPLETED);
    assertThat(
            feedback.metrics().byCampaign().values().stream().mapToLong(m -> m.delivered()).sum())
        .isEqualTo(report.chosen());
  }

  @Test
  void runRound_samePlanUnderANewRunId_sendsNothingTwice() {
    RoundReport first = agent.runRound("round-1", CUSTOMERS);
    int delivered = channel.size();

    RoundReport second = agent.runRound("round-1-again", CUSTOMERS);

    assertThat(channel.size()).isEqualTo(delivered);
    assertThat(second.execution().completed()).isZero();
    assertThat(second.chosen() - second.alreadyJournalled()).isEqualTo(second.enlisted());
    assertThat(first.chosen()).isPositive();
  }

  @Test
  void runRound_knownRunId_pointsToResume() {
    agent.runRound("round-1", CUSTOMERS.subList(0, 5));

    assertThatThrownBy(() -> agent.runRound("round-1", CUSTOMERS.subList(0, 5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("resumeRound");
  }

  @Test
  void resumeRound_plannedButUndelivered_deliversOnlyWhatIsLeft() {
    List<ActionRequest> requests = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      requests.add(
          new ActionRequest(
              executor.keys().key("winback", "send_email", "C-" + i, CLOCK.instant()),
              "round-9",
              "C-" + i,
              "winback",
              "send_email",
              "email",
              Map.of(),
              List.of(),
              null,
              null,
              java.math.BigDecimal.ZERO,
              CLOCK.instant()));
    }
    journal.runState("round-9", RunState.PLANNING, CLOCK.instant());
    journal.enlist(requests, CLOCK.instant());
    journal.runState("round-9", RunState.PLANNED, CLOCK.instant());
    // The process that claimed it died; its lease has ended since.
    journal.claim(
        requests.get(0).idempotencyKey(),
        "dead",
        CLOCK.instant().minusSeconds(60),
        CLOCK.instant().minusSeconds(1));

    RoundReport report = agent.resumeRound("round-9", CUSTOMERS);

    assertThat(report.resumed()).isTrue();
    assertThat(report.replanned()).isFalse();
    assertThat(report.execution().completed()).isEqualTo(3);
    assertThat(journal.counts("round-9")).containsExactly(Map.entry(ExecutionState.COMPLETED, 3L));
  }

  @Test
  void resumeRound_crashedWhilePlanning_plansAgainAndFinishes() {
    journal.runState("round-5", RunState.PLANNING, CLOCK.instant());

    RoundReport report = agent.resumeRound("round-5", CUSTOMERS.subList(0, 40));

    assertThat(report.resumed()).isTrue();
    assertThat(report.replanned()).isTrue();
    assertThat(report.outcomes()).hasSize(40);
    assertThat(report.execution().completed()).isEqualTo(report.chosen());
  }
}
