package dev.opagent.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentException;
import dev.opagent.spring.boot.OpagentAutoConfiguration;
import dev.opagent.spring.boot.OpagentProperties;
import dev.opagent.spring.boot.OpagentStoreAutoConfiguration;
import dev.opagent.store.OperatingStore;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.Fixtures;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code opagent} health: the agent's circuit and the operating store. */
class OpagentHealthIndicatorTest {

  private static ApplicationContextRunner on(AgentSimulator agent) {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                OpagentStoreAutoConfiguration.class,
                OpagentAutoConfiguration.class,
                OpagentActuatorAutoConfiguration.class))
        .withPropertyValues(
            "opagent.agent.runtime-arn=" + agent.agentRuntimeArn(),
            "opagent.agent.endpoint=" + agent.endpoint());
  }

  private static Health health(org.springframework.context.ApplicationContext context) {
    return context.getBean("opagentHealthIndicator", HealthIndicator.class).health();
  }

  @Test
  void agentUpAndNoStore_up() {
    try (AgentSimulator agent = AgentSimulator.start()) {
      on(agent)
          .run(
              context -> {
                context.getBean(SegmentClient.class).analyze(Fixtures.seedActiveCustomer());
                Health h = health(context);
                assertThat(h.getStatus()).isEqualTo(Status.UP);
                assertThat(h.getDetails())
                    .containsEntry("circuit", "closed")
                    .containsEntry("store", "none");
              });
    }
  }

  @Test
  void circuitForcedOpenByAFailingAgent_down() {
    try (AgentSimulator agent = AgentSimulator.start()) {
      on(agent)
          .withPropertyValues(
              "opagent.agent.max-attempts=1",
              "opagent.agent.cache.enabled=false",
              "opagent.agent.circuit-breaker.failures=2",
              "opagent.agent.circuit-breaker.window=2",
              "opagent.agent.circuit-breaker.delay=10m")
          .run(
              context -> {
                SegmentClient client = context.getBean(SegmentClient.class);
                assertThat(health(context).getStatus()).isEqualTo(Status.UP);
                agent.takeDown();
                for (int i = 0; i < 2; i++) {
                  assertThat(catchThrowable(() -> client.analyze(Fixtures.seedActiveCustomer())))
                      .isInstanceOf(SegmentException.class);
                }

                Health h = health(context);
                assertThat(h.getStatus()).isEqualTo(Status.DOWN);
                assertThat(h.getDetails())
                    .containsEntry("circuit", "open")
                    .containsKey("circuitOpenedAt");
              });
    }
  }

  @Test
  void storeReachable_up_unreachable_down_andNoCredentialInTheDetails() {
    String url = "jdbc:h2:mem:health-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    try (AgentSimulator agent = AgentSimulator.start()) {
      on(agent)
          .withPropertyValues(
              "opagent.store.url=" + url,
              "opagent.store.username=opagent",
              "opagent.store.password=s3cret-pw")
          .run(
              context -> {
                Health up = health(context);
                assertThat(up.getStatus()).isEqualTo(Status.UP);
                assertThat(up.getDetails())
                    .containsEntry("store", "reachable")
                    .containsEntry("storeDatabase", "H2");

                context.getBean(OperatingStore.class).close();
                Health down = health(context);
                assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                assertThat(down.getDetails()).containsEntry("store", "unreachable");
                for (Health h : new Health[] {up, down}) {
                  assertThat(h.toString())
                      .doesNotContain("s3cret-pw")
                      .doesNotContain("jdbc:")
                      .doesNotContain("opagent@");
                }
                assertThat(context.getBean(OpagentProperties.class).getStore().toString())
                    .doesNotContain("s3cret-pw");
              });
    }
  }

  @Test
  void healthIndicatorDisabled_noBean() {
    try (AgentSimulator agent = AgentSimulator.start()) {
      on(agent)
          .withPropertyValues("management.health.opagent.enabled=false")
          .run(context -> assertThat(context).doesNotHaveBean("opagentHealthIndicator"));
    }
  }
}
