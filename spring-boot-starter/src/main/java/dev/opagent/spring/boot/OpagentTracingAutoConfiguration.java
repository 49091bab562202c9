package dev.opagent.spring.boot;

import dev.opagent.opentelemetry.OpenTelemetryTracing;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * OpenTelemetry traces of the auto-configured segment client's calls, on the application's {@link
 * OpenTelemetry} bean, with the trace context sent to the agent. Needs {@code
 * opagent-opentelemetry} on the class path and an {@code OpenTelemetry} bean.
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
}
