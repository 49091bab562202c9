package dev.opagent.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.Channel;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.agent.spi.OperationTracer;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.InMemoryChannel;
import dev.opagent.testkit.MutableClock;
import dev.opagent.testkit.PopulationGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A whole round traced with the OpenTelemetry SDK as a host wires it: the segment client through
 * the real AWS SDK to the simulator, the decisions, and deliveries on the channel's threads, all in
 * the caller's trace.
 */
class OperationTracingTest {
  @RegisterExtension static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

  private static final int CUSTOMERS = 40;

  private final MutableClock clock = MutableClock.at("2026-03-15T09:00:00Z");

  private RoundReport round(AgentSimulator agent, InMemoryChannel email, OperationTracer tracer) {
    List<CustomerData> customers = PopulationGenerator.ofSeed(2026).list(CUSTOMERS);
    try (SegmentClient segments =
            SegmentClient.builder()
                .agentRuntimeArn(agent.agentRuntimeArn())
                .endpointOverride(agent.endpoint())
                .region(Region.US_WEST_2)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .tracer(OpenTelemetryTracing.create(OTEL.getOpenTelemetry()))
                .build();
        OperationAgent loop =
            OperationAgent.builder()
                .segmentClient(segments)
                .rules(RuleSetLoader.defaults())
                .clock(clock)
                .tracer(tracer)
                .executionService(
                    executor ->
                        executor.channels(
                            ChannelRegistry.builder().register(email).fallback("email").build()))
                .context((data, analysis, ctx) -> ctx.consent(Channel.EMAIL, Channel.IN_APP))
                .build()) {
      return loop.runRound("r1", customers);
    }
  }

  private static List<SpanData> named(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).toList();
  }

  private static Set<String> ids(List<SpanData> spans) {
    return spans.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
  }

  @Test
  void aRound_itsStages_agentCalls_andDeliveries_formOneTraceUnderTheCaller() {
    InMemoryChannel email =
        InMemoryChannel.builder().name("email").clock(clock).build().failNextPermanently(1);
    RoundReport report;
    Span request =
        OTEL.getOpenTelemetry().getTracer("host").spanBuilder("host request").startSpan();
    try (AgentSimulator agent = AgentSimulator.start();
        Scope scope = request.makeCurrent()) {
      report = round(agent, email, OpenTelemetryOperationTracing.create(OTEL.getOpenTelemetry()));
    } finally {
      request.end();
    }
    assertThat(report.execution().completed()).isPositive();
    assertThat(report.execution().failed()).isEqualTo(1);

    List<SpanData> spans = OTEL.getSpans();
    assertThat(spans).allMatch(s -> s.getTraceId().equals(request.getSpanContext().getTraceId()));
    SpanData round = named(spans, "opagent.round").get(0);
    assertThat(named(spans, "opagent.round")).hasSize(1);
    assertThat(round.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
    assertThat(round.getAttributes().get(AttributeKey.longKey("opagent.customers")))
        .isEqualTo(CUSTOMERS);
    assertThat(round.getAttributes().get(AttributeKey.longKey("opagent.actions.delivered")))
        .isEqualTo(report.execution().completed());

    List<SpanData> segment = named(spans, "opagent.round.segment");
    List<SpanData> decide = named(spans, "opagent.round.decide");
    List<SpanData> execution = named(spans, "opagent.execution");
    assertThat(segment).hasSize(1);
    assertThat(decide).hasSize(1);
    assertThat(execution).isNotEmpty();
    assertThat(List.of(segment.get(0), decide.get(0), execution.get(0)))
        .allMatch(s -> s.getParentSpanId().equals(round.getSpanId()));
    // The agent calls of the segment stage are its children.
    assertThat(named(spans, "segment-agent analyze"))
        .hasSize(CUSTOMERS)
        .allMatch(s -> s.getParentSpanId().equals(segment.get(0).getSpanId()));

    // One span per delivery, a child of its pass though it ran on the channel's thread.
    List<SpanData> deliveries = named(spans, "opagent.delivery");
    assertThat(deliveries)
        .hasSize((int) (report.execution().completed() + report.execution().failed()))
        .allMatch(s -> ids(execution).contains(s.getParentSpanId()));
    AttributeKey<String> outcome = AttributeKey.stringKey("opagent.delivery.outcome");
    assertThat(deliveries.stream().filter(s -> s.getStatus().getStatusCode() == StatusCode.ERROR))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getAttributes().get(outcome)).isEqualTo("failed");
              assertThat(s.getAttributes().get(AttributeKey.stringKey("error.type")))
                  .isEqualTo("permanent");
            });
    assertThat(deliveries.stream().filter(s -> "delivered".equals(s.getAttributes().get(outcome))))
        .hasSize((int) report.execution().completed());
    assertThat(deliveries)
        .allMatch(
            s -> "email".equals(s.getAttributes().get(AttributeKey.stringKey("opagent.channel"))));

    // No customer id or idempotency key anywhere in the loop's spans.
    Set<String> secrets =
        email.deliveries().stream()
            .flatMap(r -> java.util.stream.Stream.of(r.customerId(), r.idempotencyKey()))
            .collect(Collectors.toSet());
    assertThat(secrets).isNotEmpty();
    for (SpanData s : spans) {
      s.getAttributes()
          .forEach(
              (k, v) ->
                  assertThat(secrets)
                      .as("attribute %s of %s", k, s.getName())
                      .noneMatch(secret -> String.valueOf(v).contains(secret)));
    }
  }

  @Test
  void aTracerThatThrows_changesNothingInTheRound() {
    OperationTracer broken =
        (name, parent) -> {
          throw new IllegalStateException("tracing backend down");
        };
    InMemoryChannel email = InMemoryChannel.builder().name("email").clock(clock).build();
    try (AgentSimulator agent = AgentSimulator.start()) {
      RoundReport report = round(agent, email, broken);

      assertThat(report.customers()).isEqualTo(CUSTOMERS);
      assertThat(report.execution().completed()).isEqualTo(report.chosen()).isPositive();
      assertThat(email.deliveries())
          .extracting(ActionRequest::idempotencyKey)
          .doesNotHaveDuplicates();
    }
  }
}
