package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.ChurnSegment;
import dev.opagent.segment.SegmentClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AgentSimulatorExtension.class)
class AgentSimulatorExtendWithTest {
  @Test
  void extendWith_defaultsToTheSeedDate(SegmentClient client, AgentSimulator simulator) {
    assertThat(client.analyze(Fixtures.seedActiveCustomer()).churnSegment())
        .isEqualTo(ChurnSegment.WARM);
    assertThat(simulator.config().clock()).isEqualTo(Fixtures.seedClock());
    assertThat(simulator.stats().callsFor("C-1001")).isEqualTo(1);
  }
}
