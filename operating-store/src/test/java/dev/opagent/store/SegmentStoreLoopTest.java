package dev.opagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.Channel;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.Customer;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ProductHistory;
import dev.opagent.segment.SegmentClient;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.AgentSimulatorExtension;
import dev.opagent.testkit.Fault;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.InMemoryChannel;
import dev.opagent.testkit.PopulationGenerator;
import dev.opagent.testkit.SimulatorConfig;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Daily rounds against the simulated agent, each in a new "process" (a new segment client with an
 * empty cache, the operating store opened again on the same H2 file), counting the requests the
 * agent receives per customer.
 */
class SegmentStoreLoopTest {
  private static final Instant DAY_1 = Instant.parse("2026-03-15T08:00:00Z");

  @RegisterExtension
  static final AgentSimulatorExtension AGENT =
      AgentSimulatorExtension.create(SimulatorConfig.builder().clock(Fixtures.seedClock()).build())
          .withClient(b -> b.backoff(Duration.ofMillis(1), Duration.ofMillis(5)));

  @TempDir Path dir;

  /** Runs one round on {@code day} (1 = the first) as a freshly started process would. */
  private RoundReport round(int day, List<CustomerData> customers) {
    Clock clock = Clock.fixed(DAY_1.plus(Duration.ofDays(day - 1)), ZoneOffset.UTC);
    try (OperatingStore store =
            OperatingStore.open("jdbc:h2:file:" + dir.resolve("store"), "sa", "");
        SegmentClient client = AGENT.newClient()) {
      DecisionEngine engine = DecisionEngine.builder().clock(clock).build();
      InMemoryChannel channel = InMemoryChannel.create();
      try (ExecutionService executor =
          ExecutionService.builder()
              .journal(store.journal())
              .journalIsLedger(true)
              .clock(clock)
              .decisionEngine(engine)
              .channels(
                  ChannelRegistry.builder().register(channel).fallback(channel.name()).build())
              .build()) {
        OperationAgent loop =
            OperationAgent.builder()
                .segmentClient(client)
                .rules(RuleSetLoader.defaults())
                .decisionEngine(engine)
                .executionService(executor)
                .operatingState(store.operatingState())
                .segmentStore(store.segmentStore())
                .clock(clock)
                .context((data, analysis, ctx) -> ctx.consent(Channel.EMAIL))
                .build();
        return loop.runRound("day-" + day, customers);
      }
    }
  }

  /** {@code data} after the customer bought something new on {@code day}. */
  private static CustomerData bought(CustomerData data, int day) {
    Customer c = data.customer();
    List<ProductHistory> history = new ArrayList<>(c.productHistory());
    history.add(
        new ProductHistory(
            "P-NEW-" + day,
            "SNACKS",
            1,
            new BigDecimal("12.50"),
            1,
            DAY_1.plus(Duration.ofDays(day - 1)).atOffset(ZoneOffset.UTC),
            null));
    return new CustomerData(
        data.customerId(),
        data.city(),
        new Customer(c.customerId(), c.age(), c.gender(), c.registeredAt(), history, c.extra()),
        data.region(),
        data.currentSeason(),
        data.extra());
  }

  @Test
  void runRound_nextDayWithKChanged_asksTheAgentOncePerChangedCustomerOnly() {
    AgentSimulator simulator = AGENT.simulator();
    int n = 200;
    int k = 17;
    List<CustomerData> day1 = PopulationGenerator.ofSeed(21).list(n);

    RoundReport first = round(1, day1);

    assertThat(simulator.stats().requests()).isEqualTo(n);
    assertThat(first.segmented()).isEqualTo(n);
    assertThat(first.stored()).isZero();

    simulator.resetStats();
    List<CustomerData> day2 = new ArrayList<>(day1);
    Set<String> changed = new HashSet<>();
    for (int i = 0; i < k; i++) {
      int at = i * 11;
      day2.set(at, bought(day1.get(at), 2));
      changed.add(day1.get(at).customerId());
    }
    RoundReport second = round(2, day2);

    long callsChanged = 0;
    long callsUnchanged = 0;
    for (CustomerData c : day2) {
      if (changed.contains(c.customerId())) {
        callsChanged += simulator.callsFor(c.customerId());
      } else {
        callsUnchanged += simulator.callsFor(c.customerId());
      }
    }
    assertThat(simulator.stats().requests()).isEqualTo(k);
    assertThat((double) callsChanged / k).as("agent calls per changed customer").isEqualTo(1.0);
    assertThat((double) callsUnchanged / (n - k))
        .as("agent calls per unchanged customer")
        .isEqualTo(0.0);
    assertThat(second.segmented()).isEqualTo(n);
    assertThat(second.stored()).isEqualTo(n - k);
    assertThat(second.storedOnFailure()).isZero();
    assertThat(second.chosen()).isEqualTo(second.enlisted() + second.alreadyJournalled());
  }

  @Test
  void runRound_analysisOlderThanMaxAge_isAskedAgain() {
    AgentSimulator simulator = AGENT.simulator();
    List<CustomerData> customers = new ArrayList<>(PopulationGenerator.ofSeed(22).list(30));
    round(1, customers);
    for (int i = 0; i < 10; i++) {
      customers.set(i, bought(customers.get(i), 5));
    }
    round(5, customers);
    simulator.resetStats();

    RoundReport day9 = round(9, customers);

    // Made on day 1, 8 days old: asked again. Renewed on day 5, 4 days old: from the store.
    for (int i = 0; i < customers.size(); i++) {
      assertThat(simulator.callsFor(customers.get(i).customerId()))
          .as("customer %d", i)
          .isEqualTo(i < 10 ? 0 : 1);
    }
    assertThat(day9.stored()).isEqualTo(10);
  }

  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {"INTERNAL_ERROR", "DROPPED_CONNECTION"})
  void runRound_agentDown_servesStoredAnalysesWithinTheStaleLimit(Fault fault) {
    AgentSimulator simulator = AGENT.simulator();
    List<CustomerData> customers = new ArrayList<>(PopulationGenerator.ofSeed(23).list(20));
    round(1, customers);
    customers.set(0, bought(customers.get(0), 12));
    simulator.takeDown(fault);

    RoundReport down = round(12, customers);

    assertThat(simulator.stats().requests()).isPositive();
    assertThat(down.stored()).isEqualTo(19);
    assertThat(down.storedOnFailure()).isEqualTo(19);
    assertThat(down.segmentationFailed()).as("the changed customer").isEqualTo(1);
    assertThat(down.outcomes().get(0).customerId()).isEqualTo(customers.get(0).customerId());

    RoundReport tooOld = round(32, customers);

    assertThat(tooOld.stored()).isZero();
    assertThat(tooOld.segmentationFailed()).isEqualTo(20);
  }
}
