package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.segment.ChurnSegment;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.LoyaltyTier;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AgentSimulatorExtensionTest {
  @RegisterExtension
  static final AgentSimulatorExtension AGENT =
      AgentSimulatorExtension.create()
          .withClient(b -> b.disableCache().maxAttempts(1).disableCircuitBreaker());

  private static final Set<Integer> PORTS = new HashSet<>();

  @Test
  void client_segmentsTheSeedCustomersAsTheWorkedExample(
      SegmentClient client, AgentSimulator simulator) {
    assertThat(simulator.stats().requests()).as("counters reset before each test").isZero();

    SegmentAnalysis active = client.analyze(Fixtures.seedActiveCustomer());
    SegmentAnalysis fresh = client.analyze(Fixtures.seedNewCustomer());

    assertThat(active.churnSegment()).isEqualTo(ChurnSegment.WARM);
    assertThat(active.loyaltyTier()).isEqualTo(LoyaltyTier.SILVER);
    assertThat(active.missingRegulars().get(0).daysOverdue()).isEqualTo(24);
    assertThat(fresh.churnSegment()).isEqualTo(ChurnSegment.NEW);
    assertThat(simulator.stats().callsFor("C-1001")).isEqualTo(1);
    assertThat(simulator.stats().count(Outcome.OK)).isEqualTo(2);
  }

  @Test
  void client_customizerApplied_noCacheSoEveryCallReachesTheAgent(SegmentClient client) {
    assertThat(AGENT.simulator().stats().requests()).isZero();

    client.analyze(Fixtures.seedActiveCustomer());
    client.analyze(Fixtures.seedActiveCustomer());

    assertThat(AGENT.simulator().callsFor("C-1001")).isEqualTo(2);
    assertThat(AGENT.client()).isSameAs(client);
  }

  @Test
  void simulatorDown_clientSeesAgentUnavailable_nextTestFindsItUp(
      SegmentClient client, AgentSimulator simulator) {
    assertThat(simulator.outage()).as("brought up before each test").isEmpty();
    simulator.takeDown(Fault.INTERNAL_ERROR);

    assertThatThrownBy(() -> client.analyze(Fixtures.seedActiveCustomer()))
        .isInstanceOfSatisfying(
            SegmentException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.AGENT_UNAVAILABLE));
  }

  @Test
  void population_analyzedThroughTheClient(SegmentClient client) {
    List<dev.opagent.segment.SegmentOutcome> outcomes =
        client.analyzeAll(PopulationGenerator.ofSeed(7).list(200));

    assertThat(outcomes).hasSize(200);
    assertThat(AGENT.simulator().stats().count(Outcome.OK)).isEqualTo(200);
    assertThat(AGENT.simulator().stats().distinctCustomers()).isEqualTo(200);
  }

  @Test
  void oneSimulatorForTheClass_whenRegisteredStatically(AgentSimulator simulator) {
    PORTS.add(simulator.port());
    assertThat(PORTS).hasSize(1);
  }

  @Nested
  class InANestedClass {
    @Test
    void theOuterSimulatorIsShared(AgentSimulator simulator) {
      PORTS.add(simulator.port());
      assertThat(PORTS).hasSize(1);
      assertThat(simulator.stats().requests()).isZero();
    }
  }

  @Nested
  class PerTestSimulator {
    @RegisterExtension
    final AgentSimulatorExtension own =
        AgentSimulatorExtension.create(
                SimulatorConfig.builder()
                    .clock(Fixtures.seedClock())
                    .putPoisonCustomer("C-1001", Fault.AGENT_ERROR)
                    .build())
            .withClient(b -> b.maxAttempts(1).agentErrorRetries(0));

    // Two extensions are registered here, so parameters would be ambiguous: use the field.
    @Test
    void instanceField_startsItsOwnSimulatorForTheTest() {
      assertThat(own.simulator()).isNotSameAs(AGENT.simulator());
      assertThat(own.simulator().config().poisonCustomers()).containsKey("C-1001");
      assertThatThrownBy(() -> own.client().analyze(Fixtures.seedActiveCustomer()))
          .isInstanceOfSatisfying(
              SegmentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AGENT_ERROR));
    }
  }
}
