package dev.opagent.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.Channel;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.MutableClock;
import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.channels.LoggingChannel;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.policy.QuietHours;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.SegmentClient;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent, its decision engine and its execution service run on one clock: built by the agent
 * they take its clock, and a clock set elsewhere is refused at build time.
 */
class OneClockWiringTest {
  private final MutableClock clock = MutableClock.at("2026-03-15T03:00:00Z");
  private final InProcessSegmentAgent segmentAgent = new InProcessSegmentAgent(clock);
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private SegmentClient client() {
    SegmentClient c = segmentAgent.client(b -> {});
    opened.add(c);
    return c;
  }

  private static ChannelRegistry logOnly() {
    LoggingChannel channel = LoggingChannel.ofDefaults();
    return ChannelRegistry.builder().register(channel).fallback(channel.name()).build();
  }

  @Test
  void build_givenEngineOnAnotherClock_failsNamingTheClocks() {
    Clock other = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    DecisionEngine engine = DecisionEngine.builder().clock(other).build();
    ExecutionService executor =
        ExecutionService.builder().clock(clock).channels(logOnly()).decisionEngine(engine).build();
    opened.add(executor);

    assertThatThrownBy(
            () ->
                OperationAgent.builder()
                    .segmentClient(client())
                    .rules(RuleSetLoader.defaults())
                    .clock(clock)
                    .decisionEngine(engine)
                    .executionService(executor)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("decision engine")
        .hasMessageContaining("clock");
  }

  @Test
  void build_givenExecutorOnAnotherClock_failsNamingTheClocks() {
    DecisionEngine engine = DecisionEngine.builder().clock(clock).build();
    ExecutionService executor =
        ExecutionService.builder().channels(logOnly()).decisionEngine(engine).build();
    opened.add(executor);

    assertThatThrownBy(
            () ->
                OperationAgent.builder()
                    .segmentClient(client())
                    .rules(RuleSetLoader.defaults())
                    .clock(clock)
                    .decisionEngine(engine)
                    .executionService(executor)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("execution service")
        .hasMessageContaining("clock");
  }

  /** E-mails are quiet from 21:00 to 09:00 UTC. */
  private static final DecisionPolicy QUIET_EMAIL =
      DecisionPolicy.builder()
          .addQuietHours(
              new QuietHours(LocalTime.of(21, 0), LocalTime.of(9, 0), Set.of(Channel.EMAIL)))
          .build();

  private static ActionRequest plannedAt(String key, Instant at) {
    return new ActionRequest(
        key,
        "earlier",
        "C-0",
        "replenishment",
        "send_email",
        "email",
        Map.of(),
        List.of(),
        null,
        null,
        BigDecimal.ZERO,
        at,
        false);
  }

  @Test
  void build_withOptions_engineQuietHoursAndExecutorExpiryFollowTheAgentsClock() {
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    // planned 2026-03-14 10:00: expires (24 h) at 2026-03-15 10:00 on the agent's clock
    journal.enlist(
        List.of(plannedAt("old-1", Instant.parse("2026-03-14T10:00:00Z"))),
        Instant.parse("2026-03-14T10:00:00Z"));
    journal.runState("earlier", RunState.PLANNED, Instant.parse("2026-03-14T10:00:00Z"));
    OperationAgent agent =
        OperationAgent.builder()
            .segmentClient(client())
            .rules(RuleSetLoader.defaults())
            .clock(clock)
            .decisionEngine(e -> e.policy(QUIET_EMAIL))
            .executionService(s -> s.journal(journal).channels(logOnly()))
            .context((data, analysis, ctx) -> ctx.consent(Channel.EMAIL))
            .build();
    opened.add(agent);
    assertThat(agent.decisionEngine().clock()).isSameAs(clock);
    assertThat(agent.executionService().clock()).isSameAs(clock);
    assertThat(agent.executionService().decisionEngine()).containsSame(agent.decisionEngine());

    RoundReport night = agent.runRound("night", SegmentStoreRoundTest.customers(5, 8));

    assertThat(night.notChosenByReason()).containsKey(ReasonCode.QUIET_HOURS);
    assertThat(night.chosen()).isZero();
    assertThat(journal.find("old-1"))
        .get()
        .extracting(r -> r.state())
        .isEqualTo(ExecutionState.PENDING);

    clock.set(Instant.parse("2026-03-15T12:00:00Z"));
    RoundReport noon = agent.runRound("noon", SegmentStoreRoundTest.customers(5, 8));

    assertThat(noon.notChosenByReason()).doesNotContainKey(ReasonCode.QUIET_HOURS);
    assertThat(noon.chosen()).isPositive();
    assertThat(noon.execution().completed()).isEqualTo(noon.chosen());
    assertThat(journal.find("old-1"))
        .get()
        .satisfies(
            r -> {
              assertThat(r.state()).isEqualTo(ExecutionState.CANCELLED);
              assertThat(r.lastError()).startsWith("expired");
            });
    assertThat(journal.records("noon"))
        .allSatisfy(
            r -> assertThat(r.createdAt()).isEqualTo(Instant.parse("2026-03-15T12:00:00Z")));
  }

  @Test
  void build_engineOptionsSetAnotherClock_failsNamingTheSettingAndTheFix() {
    OperationAgent.Builder b =
        OperationAgent.builder()
            .segmentClient(client())
            .rules(RuleSetLoader.defaults())
            .clock(clock)
            .decisionEngine(e -> e.clock(Clock.systemUTC()))
            .executionService(s -> s.channels(logOnly()));

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("decisionEngine options set the decision engine's clock")
        .hasMessageContaining("remove clock(...) from the decisionEngine options")
        .hasMessageContaining("OperationAgent.Builder.clock(...)");
  }

  @Test
  void build_executorOptionsSetAnotherClock_failsNamingTheSettingAndTheFix() {
    OperationAgent.Builder b =
        OperationAgent.builder()
            .segmentClient(client())
            .rules(RuleSetLoader.defaults())
            .clock(clock)
            .executionService(s -> s.channels(logOnly()).clock(Clock.systemUTC()));

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("executionService options set the execution service's clock")
        .hasMessageContaining("remove clock(...) from the executionService options")
        .hasMessageContaining("OperationAgent.Builder.clock(...)");
  }

  @Test
  void build_executorOptionsSetAnotherEngine_fails() {
    DecisionEngine other = DecisionEngine.builder().clock(clock).build();
    OperationAgent.Builder b =
        OperationAgent.builder()
            .segmentClient(client())
            .rules(RuleSetLoader.defaults())
            .clock(clock)
            .executionService(s -> s.channels(logOnly()).decisionEngine(other));

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another decision engine")
        .hasMessageContaining("remove decisionEngine(...)");
  }

  @Test
  void build_noExecutionService_failsNamingTheOption() {
    OperationAgent.Builder b =
        OperationAgent.builder()
            .segmentClient(client())
            .rules(RuleSetLoader.defaults())
            .clock(clock);

    assertThatThrownBy(b::build)
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("executionService must be set");
  }

  @Test
  void optionsOverloads_null_failNamingTheParameter() {
    OperationAgent.Builder b = OperationAgent.builder();

    assertThatThrownBy(() -> b.decisionEngine((Consumer<DecisionEngine.Builder>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("engineOptions");
    assertThatThrownBy(() -> b.executionService((Consumer<ExecutionService.Builder>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("serviceOptions");
  }

  @Test
  void close_closesTheServiceItBuiltButNotOneHandedIn() {
    OperationAgent built =
        OperationAgent.builder()
            .segmentClient(client())
            .rules(RuleSetLoader.defaults())
            .clock(clock)
            .executionService(s -> s.channels(logOnly()))
            .build();
    built.close();
    assertThatThrownBy(() -> built.executionService().execute("after-close"))
        .isInstanceOf(IllegalStateException.class);

    DecisionEngine engine = DecisionEngine.builder().clock(clock).build();
    ExecutionService handed =
        ExecutionService.builder().clock(clock).channels(logOnly()).decisionEngine(engine).build();
    opened.add(handed);
    OperationAgent agent =
        OperationAgent.builder()
            .segmentClient(client())
            .rules(RuleSetLoader.defaults())
            .clock(clock)
            .decisionEngine(engine)
            .executionService(handed)
            .build();
    agent.close();
    assertThat(handed.execute("still-open").considered()).isZero();
  }
}
