package dev.opagent.spring.boot;

import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.micrometer.OpagentMetrics;
import dev.opagent.segment.SegmentClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics of opagent ({@link OpagentMetrics}) in the application's {@link
 * MeterRegistry}: the segment client's, the decision engine's and the execution service's listeners
 * are added to the auto-configured ones, and the client's rate and call counts are bound once it is
 * built. Needs {@code opagent-micrometer} on the class path and a registry bean.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"
    },
    before = OpagentAutoConfiguration.class)
@ConditionalOnClass({OpagentMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "opagent", name = "enabled", matchIfMissing = true)
public class OpagentMetricsAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(OpagentMetricsAutoConfiguration.class);

  @Bean
  @ConditionalOnMissingBean
  OpagentMetrics opagentMetrics(MeterRegistry registry) {
    return OpagentMetrics.create(registry);
  }

  @Bean
  SegmentClientBuilderCustomizer opagentMetricsSegmentClientCustomizer(OpagentMetrics metrics) {
    return b -> b.addListener(metrics.segmentClientListener());
  }

  @Bean
  DecisionEngineBuilderCustomizer opagentMetricsDecisionEngineCustomizer(OpagentMetrics metrics) {
    return b -> b.listener(metrics.decisionListener());
  }

  @Bean
  ExecutionServiceBuilderCustomizer opagentMetricsExecutionServiceCustomizer(
      OpagentMetrics metrics) {
    return b -> b.listener(metrics.executionListener());
  }

  @Bean
  SmartInitializingSingleton opagentMetricsClientBinder(
      OpagentMetrics metrics,
      ObjectProvider<SegmentClient> client,
      ObjectProvider<ExecutionService> executor) {
    return () -> {
      client.ifUnique(
          c -> {
            try {
              metrics.bindTo(c);
            } catch (IllegalStateException alreadyBound) {
              LOG.debug("the segment client's metrics were bound by the application");
            }
          });
      executor.ifUnique(
          x -> {
            try {
              metrics.bindTo(x);
            } catch (IllegalStateException alreadyBound) {
              LOG.debug("the execution service's metrics were bound by the application");
            }
          });
    };
  }
}
