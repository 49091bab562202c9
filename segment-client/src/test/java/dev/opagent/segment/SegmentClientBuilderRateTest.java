package dev.opagent.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.spi.AgentTransport;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SegmentClientBuilderRateTest {
  private static final AgentTransport UNUSED = request -> new CompletableFuture<>();

  private static double startRate(java.util.function.Consumer<SegmentClientBuilder> options) {
    SegmentClientBuilder b =
        SegmentClient.builder().agentRuntimeArn(AgentWire.ARN).transport(UNUSED);
    options.accept(b);
    try (SegmentClient client = b.build()) {
      return client.stats().currentRatePerSecond();
    }
  }

  @Test
  void build_noRatesGiven_startsAtAgentCoresDefaultQuota() {
    assertThat(startRate(b -> {})).isEqualTo(25.0);
  }

  @Test
  void build_knownQuota_startsAtTheQuota() {
    assertThat(startRate(b -> b.maxRequestsPerSecond(25))).isEqualTo(25.0);
  }

  @Test
  void build_explicitInitialRate_winsButStaysUnderTheCap() {
    assertThat(startRate(b -> b.maxRequestsPerSecond(25).initialRequestsPerSecond(5)))
        .isEqualTo(5.0);
    assertThat(startRate(b -> b.maxRequestsPerSecond(25).initialRequestsPerSecond(50)))
        .isEqualTo(25.0);
  }
}
