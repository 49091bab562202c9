package dev.opagent.spring.boot;

import dev.opagent.spring.boot.actuate.OpagentActuatorAutoConfiguration;
import dev.opagent.testkit.AgentSimulator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Context runners with every opagent auto-configuration, pointed at a simulated agent. */
final class Contexts {
  static final AutoConfigurations OPAGENT =
      AutoConfigurations.of(
          OpagentStoreAutoConfiguration.class,
          OpagentMetricsAutoConfiguration.class,
          OpagentTracingAutoConfiguration.class,
          OpagentAutoConfiguration.class,
          OpagentActuatorAutoConfiguration.class);

  private Contexts() {}

  /** The auto-configurations without any property. */
  static ApplicationContextRunner bare() {
    return new ApplicationContextRunner().withConfiguration(OPAGENT);
  }

  /** The auto-configurations with the client pointed at {@code agent}. */
  static ApplicationContextRunner on(AgentSimulator agent) {
    return bare()
        .withPropertyValues(
            "opagent.agent.runtime-arn=" + agent.agentRuntimeArn(),
            "opagent.agent.endpoint=" + agent.endpoint(),
            "opagent.agent.backoff.base-delay=1ms",
            "opagent.agent.backoff.max-delay=2ms");
  }
}
