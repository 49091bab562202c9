package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {
  @Test
  void ofDefaults_isAPlainFastFaultlessAgent() {
    SimulatorConfig c = SimulatorConfig.ofDefaults();

    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isZero();
    assertThat(c.agentRuntimeArn()).isEqualTo(SimulatorConfig.DEFAULT_AGENT_RUNTIME_ARN);
    assertThat(c.qualifiers()).containsExactly("DEFAULT");
    assertThat(c.responseShape()).isEqualTo(ResponseShape.JSON);
    assertThat(c.latency()).isEqualTo(Latency.none());
    assertThat(c.requestsPerSecond()).isZero();
    assertThat(c.maxActiveSessions()).isZero();
    assertThat(c.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.faultRate()).isZero();
    assertThat(c.poisonCustomers()).isEmpty();
  }

  @Test
  void builder_burstDefaultsToOneSecondOfRate() {
    assertThat(SimulatorConfig.builder().requestsPerSecond(25).build().burst()).isEqualTo(25);
    assertThat(SimulatorConfig.builder().requestsPerSecond(0.5).build().burst()).isEqualTo(1);
    assertThat(SimulatorConfig.builder().requestsPerSecond(25).burst(3).build().burst())
        .isEqualTo(3);
  }

  @Test
  void builder_badValues_failFastWithSpecificMessages() {
    SimulatorConfig.Builder b = SimulatorConfig.builder();

    assertThatThrownBy(() -> b.port(70000))
        .hasMessage("port must be between 0 and 65535 but was 70000");
    assertThatThrownBy(() -> b.requestsPerSecond(-1))
        .hasMessage("requestsPerSecond must be 0 (unlimited) or positive but was -1.0");
    assertThatThrownBy(() -> b.burst(0)).hasMessage("burst must be positive but was 0");
    assertThatThrownBy(() -> b.maxActiveSessions(-2))
        .hasMessage("maxActiveSessions must be 0 (unlimited) or positive but was -2");
    assertThatThrownBy(() -> b.internalErrorRate(1.5))
        .hasMessage("internalErrorRate must be between 0 and 1 but was 1.5");
    assertThatThrownBy(() -> b.dropRate(Double.NaN))
        .hasMessage("dropRate must be between 0 and 1 but was NaN");
    assertThatThrownBy(() -> b.sessionIdleTimeout(Duration.ZERO))
        .hasMessage("sessionIdleTimeout must be positive but was PT0S");
    assertThatThrownBy(() -> b.handlerThreads(0))
        .hasMessage("handlerThreads must be positive but was 0");
    assertThatThrownBy(() -> b.putPoisonCustomer(" ", Fault.AGENT_ERROR))
        .hasMessage("customerId must not be blank");
    assertThatThrownBy(() -> b.qualifiers(Set.of())).hasMessage("qualifiers must not be empty");
  }

  @Test
  void build_ratesAddingUpToMoreThanOne_fails() {
    assertThatThrownBy(() -> SimulatorConfig.builder().internalErrorRate(0.6).dropRate(0.5).build())
        .hasMessageStartingWith("the fault rates must add up to at most 1 but add up to 1.1");
  }

  @Test
  void build_malformedArn_failsWithTheExpectedShape() {
    assertThatThrownBy(() -> SimulatorConfig.builder().agentRuntimeArn("my-agent").build())
        .hasMessageContaining("agentRuntimeArn must look like arn:aws:bedrock-agentcore:")
        .hasMessageEndingWith("but was 'my-agent'");
  }

  @Test
  void toBuilder_roundTrips() {
    SimulatorConfig c =
        SimulatorConfig.builder()
            .seed(9)
            .latency(Latency.parse("10ms..20ms"))
            .putPoisonCustomer("C-9", Fault.DROPPED_CONNECTION)
            .addQualifier("canary")
            .addDeniedAccessKeyId("AKID")
            .responseShape(ResponseShape.EVENT_STREAM)
            .build();

    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(c.toBuilder().seed(10).build().seed()).isEqualTo(10);
  }
}
