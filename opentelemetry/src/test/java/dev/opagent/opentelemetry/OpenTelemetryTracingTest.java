package dev.opagent.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.segment.BearerToken;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.segment.spi.TraceContext;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.Fault;
import dev.opagent.testkit.Fixtures;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The client's calls traced with the OpenTelemetry SDK, through the real AWS SDK (and the bearer
 * transport) over HTTP to the simulator: the {@code traceparent} the agent receives is the exported
 * attempt span's, within the caller's trace.
 */
class OpenTelemetryTracingTest {
  @RegisterExtension static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

  private static SegmentClient client(AgentSimulator agent, Consumer<SegmentClientBuilder> more) {
    SegmentClientBuilder b =
        SegmentClient.builder()
            .agentRuntimeArn(agent.agentRuntimeArn())
            .endpointOverride(agent.endpoint())
            .region(Region.US_WEST_2)
            .tracer(OpenTelemetryTracing.create(OTEL.getOpenTelemetry()))
            .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .disableCache();
    more.accept(b);
    return b.build();
  }

  private static Consumer<SegmentClientBuilder> sigV4() {
    return b ->
        b.credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
  }

  private static SpanData only(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void call_inTheCallersTrace_agentReceivesTheAttemptSpansTraceparent() {
    try (AgentSimulator agent = AgentSimulator.start();
        SegmentClient client = client(agent, sigV4())) {
      Span parent =
          OTEL.getOpenTelemetry().getTracer("host").spanBuilder("handle order").startSpan();
      try (Scope s = parent.makeCurrent();
          Scope b = Baggage.builder().put("tenant", "shop-7").build().makeCurrent()) {
        client.analyze(Fixtures.seedActiveCustomer());
      } finally {
        parent.end();
      }

      List<SpanData> spans = OTEL.getSpans();
      SpanData call = only(spans, "segment-agent analyze");
      SpanData attempt = only(spans, "BedrockAgentCore.InvokeAgentRuntime");
      assertThat(call.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
      assertThat(call.getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
      assertThat(attempt.getParentSpanId()).isEqualTo(call.getSpanId());
      assertThat(attempt.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(attempt.getAttributes().get(OpenTelemetryTracing.HTTP_STATUS)).isEqualTo(200L);
      assertThat(call.getAttributes().get(OpenTelemetryTracing.SOURCE)).isEqualTo("AGENT");

      List<TraceContext> received = agent.receivedTraces();
      assertThat(received).hasSize(1);
      assertThat(received.get(0).traceParent())
          .isEqualTo("00-" + attempt.getTraceId() + "-" + attempt.getSpanId() + "-01");
      assertThat(received.get(0).baggage()).contains("tenant=shop-7");
      for (SpanData span : spans) {
        assertThat(span.getAttributes().asMap().values())
            .allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain("C-1001"));
      }
    }
  }

  @Test
  void retriedCall_oneSpanPerAttempt_theFailedOneMarked() {
    try (AgentSimulator agent = AgentSimulator.start();
        SegmentClient client = client(agent, sigV4())) {
      agent.takeDown(Fault.INTERNAL_ERROR);
      assertThatThrownBy(() -> client.analyze(Fixtures.seedActiveCustomer()));
      agent.bringUp();

      List<SpanData> attempts =
          OTEL.getSpans().stream()
              .filter(s -> s.getName().equals("BedrockAgentCore.InvokeAgentRuntime"))
              .toList();
      SpanData call = only(OTEL.getSpans(), "segment-agent analyze");
      assertThat(attempts).hasSizeGreaterThan(1);
      assertThat(attempts)
          .allSatisfy(
              a -> {
                assertThat(a.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
                assertThat(a.getAttributes().get(OpenTelemetryTracing.ERROR_TYPE))
                    .isEqualTo("AGENT_UNAVAILABLE");
                assertThat(a.getParentSpanId()).isEqualTo(call.getSpanId());
              });
      assertThat(call.getAttributes().get(OpenTelemetryTracing.ATTEMPTS))
          .isEqualTo((long) attempts.size());
      assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }
  }

  @Test
  void bearerTransport_sendsTheSameTraceparent() {
    try (AgentSimulator agent = AgentSimulator.start(b -> b.acceptBearerToken("jwt"));
        SegmentClient client =
            client(agent, b -> b.bearerTokenProvider(() -> BearerToken.of("jwt")))) {
      client.analyze(Fixtures.seedActiveCustomer());
      SpanData attempt = only(OTEL.getSpans(), "BedrockAgentCore.InvokeAgentRuntime");
      assertThat(agent.receivedTraces())
          .extracting(TraceContext::traceParent)
          .containsExactly("00-" + attempt.getTraceId() + "-" + attempt.getSpanId() + "-01");
    }
  }

  @Test
  void withoutATracer_nothingIsSent() {
    try (AgentSimulator agent = AgentSimulator.start();
        SegmentClient client =
            SegmentClient.builder()
                .agentRuntimeArn(agent.agentRuntimeArn())
                .endpointOverride(agent.endpoint())
                .region(Region.US_WEST_2)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l")))
                .build()) {
      client.analyze(Fixtures.seedActiveCustomer());
      assertThat(agent.receivedTraces()).isEmpty();
    }
  }
}
