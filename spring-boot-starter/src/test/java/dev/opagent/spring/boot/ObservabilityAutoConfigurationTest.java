package dev.opagent.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.agent.spi.OperationTracer;
import dev.opagent.micrometer.OpagentMetrics;
import dev.opagent.opentelemetry.OpenTelemetryTracing;
import dev.opagent.segment.SegmentClient;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.InMemoryChannel;
import dev.opagent.testkit.PopulationGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Metrics in the host's MeterRegistry and traces on the host's OpenTelemetry, when they exist. */
class ObservabilityAutoConfigurationTest {
  private static AgentSimulator agent;

  @BeforeAll
  static void start() {
    agent = AgentSimulator.start();
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  @Configuration(proxyBeanMethods = false)
  static class Registry {
    @Bean
    SimpleMeterRegistry registry() {
      return new SimpleMeterRegistry();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Tracing {
    final InMemorySpanExporter spans = InMemorySpanExporter.create();

    @Bean(destroyMethod = "close")
    OpenTelemetrySdk openTelemetry() {
      return OpenTelemetrySdk.builder()
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .build();
    }
  }

  @Test
  void meterRegistryBean_segmentRequestsCountedAfterACall_andTheClientBound() {
    Contexts.on(agent)
        .withUserConfiguration(Registry.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(OpagentMetrics.class);
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              context.getBean(SegmentClient.class).analyze(Fixtures.seedActiveCustomer());

              Counter requests =
                  registry
                      .find(OpagentMetrics.SEGMENT_REQUESTS)
                      .tag("outcome", "success")
                      .counter();
              assertThat(requests).isNotNull();
              assertThat(requests.count()).isEqualTo(1.0);
              assertThat(registry.find(OpagentMetrics.SEGMENT_ADAPTIVE_RATE).gauge())
                  .as("bound to the built client")
                  .isNotNull();
              assertThat(context.getBean(DecisionEngine.class)).isNotNull();
            });
  }

  @Test
  void noMeterRegistryBean_noMetrics() {
    Contexts.on(agent)
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OpagentMetrics.class));
  }

  @Test
  void metricsModuleMissing_noMetrics_andTheRestStarts() {
    Contexts.on(agent)
        .withUserConfiguration(Registry.class)
        .withClassLoader(new FilteredClassLoader(OpagentMetrics.class))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(SegmentClient.class)
                    .doesNotHaveBean(OpagentMetrics.class));
  }

  @Test
  void openTelemetryBean_callsAreTracedAndTheContextReachesTheAgent() {
    agent.resetStats();
    Contexts.on(agent)
        .withUserConfiguration(Tracing.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(OpenTelemetry.class)).isNotNull();
              context.getBean(SegmentClient.class).analyze(Fixtures.seedNewCustomer());

              InMemorySpanExporter spans = context.getBean(Tracing.class).spans;
              assertThat(spans.getFinishedSpanItems())
                  .isNotEmpty()
                  .allSatisfy(
                      s ->
                          assertThat(s.getInstrumentationScopeInfo().getName())
                              .isEqualTo(OpenTelemetryTracing.SCOPE));
              assertThat(agent.receivedTraces()).isNotEmpty();
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class HostChannel {
    @Bean
    InMemoryChannel hostChannel() {
      return InMemoryChannel.create();
    }
  }

  @Test
  void openTelemetryBean_aRoundOfTheLoop_isTracedWithItsStagesAndDeliveries() {
    Contexts.on(agent)
        .withUserConfiguration(Tracing.class, HostChannel.class, Registry.class)
        .withPropertyValues("opagent.consent.default-channels=email,sms,push,in_app")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(OperationTracer.class);
              RoundReport report =
                  context
                      .getBean(OperationAgent.class)
                      .runRound(
                          "traced",
                          PopulationGenerator.builder()
                              .seed(5)
                              .asOf(LocalDate.now(ZoneOffset.UTC))
                              .build()
                              .list(20));

              assertThat(report.execution().completed()).isPositive();
              List<String> names =
                  context.getBean(Tracing.class).spans.getFinishedSpanItems().stream()
                      .map(SpanData::getName)
                      .toList();
              assertThat(names)
                  .contains(
                      "opagent.round",
                      "opagent.round.segment",
                      "opagent.round.decide",
                      "opagent.execution");
              assertThat(names.stream().filter("opagent.delivery"::equals).count())
                  .isEqualTo(report.execution().completed());
              // The execution service's claims are metered too.
              assertThat(
                      context
                          .getBean(MeterRegistry.class)
                          .find(OpagentMetrics.EXECUTION_LEASES_HELD)
                          .gauge())
                  .isNotNull();
            });
  }

  @Test
  void openTelemetryModuleMissing_noTracer_andTheRestStarts() {
    Contexts.on(agent)
        .withUserConfiguration(Tracing.class)
        .withClassLoader(new FilteredClassLoader(OpenTelemetryTracing.class))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(SegmentClient.class)
                    .doesNotHaveBean("opagentTracingCustomizer"));
  }
}
