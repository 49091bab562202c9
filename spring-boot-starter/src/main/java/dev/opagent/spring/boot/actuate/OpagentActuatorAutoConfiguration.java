package dev.opagent.spring.boot.actuate;

import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.spring.boot.OpagentAutoConfiguration;
import dev.opagent.spring.boot.OpagentProperties;
import dev.opagent.spring.boot.OpagentStoreAutoConfiguration;
import dev.opagent.spring.boot.SegmentCircuitState;
import dev.opagent.store.OperatingStore;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The actuator parts of opagent, when the actuator is on the class path: the {@code opagent} health
 * indicator ({@code management.health.opagent.enabled}) and, with an operating store, the {@code
 * opagentapprovals} endpoint (exposed like any other: {@code
 * management.endpoints.web.exposure.include=health,opagentapprovals}).
 */
@AutoConfiguration(after = {OpagentStoreAutoConfiguration.class, OpagentAutoConfiguration.class})
@ConditionalOnClass({HealthIndicator.class, Endpoint.class})
@ConditionalOnProperty(prefix = "opagent", name = "enabled", matchIfMissing = true)
public class OpagentActuatorAutoConfiguration {

  @Bean
  @ConditionalOnEnabledHealthIndicator("opagent")
  @ConditionalOnMissingBean(name = "opagentHealthIndicator")
  OpagentHealthIndicator opagentHealthIndicator(
      OpagentProperties properties,
      ObjectProvider<SegmentCircuitState> circuit,
      ObjectProvider<OperatingStore> store) {
    return new OpagentHealthIndicator(
        circuit.getIfUnique(), store.getIfUnique(), properties.getStore().getHealthTimeout());
  }

  @Bean
  @ConditionalOnAvailableEndpoint
  @ConditionalOnBean({OperatingStore.class, ApprovalGate.class})
  @ConditionalOnMissingBean
  OpagentApprovalsEndpoint opagentApprovalsEndpoint(
      OperatingStore store, ApprovalGate gate, ObjectProvider<Clock> clock) {
    return new OpagentApprovalsEndpoint(store, gate, clock.getIfUnique(Clock::systemUTC));
  }
}
