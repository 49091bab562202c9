package dev.opagent.spring.boot;

import dev.opagent.agent.spi.OperationTracer;
import dev.opagent.opentelemetry.OpenTelemetryOperationTracing;
import dev.opagent.opentelemetry.OpenTelemetryTracing;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * OpenTelemetry traces on the application's {@link OpenTelemetry} bean: the auto-configured segment
 * client's calls, with the trace context sent to the agent, and the loop's rounds, stages and
 * deliveries (an {@link OperationTracer} bean the execution service and the loop take). Needs
 * {@code opagent-opentelemetry} on the class path and an {@code OpenTelemetry} bean.
 */
@AutoConfiguration(
    afterName =
        "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration",
    before = OpagentAutoConfiguration.class)
@ConditionalOnClass({OpenTelemetryTracing.class, OpenTelemetry.class})
@ConditionalOnBean(OpenTelemetry.class)
@ConditionalOnProperty(prefix = "opagent", name = "enabled", matchIfMissing = true)
public class OpagentTracingAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "opagentTracingCustomizer")
  SegmentClientBuilderCustomizer opagentTracingCustomizer(OpenTelemetry openTelemetry) {
    return b -> b.tracer(OpenTelemetryTracing.create(openTelemetry));
  }

  @Bean
  @ConditionalOnMissingBean
  OperationTracer opagentOperationTracer(OpenTelemetry openTelemetry) {
    return OpenTelemetryOperationTracing.create(openTelemetry);
  }
}
