package dev.opagent.opentelemetry;

import dev.opagent.segment.CallTracer;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.Source;
import dev.opagent.segment.spi.TraceContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Traces a {@code SegmentClient}'s calls with OpenTelemetry: a span {@code segment-agent analyze}
 * per call (a child of the caller's current span) and a {@link SpanKind#CLIENT} span {@code
 * BedrockAgentCore.InvokeAgentRuntime} per attempt, whose context is sent with the request through
 * the propagators of the {@link OpenTelemetry} given (W3C {@code traceparent}, {@code tracestate}
 * and {@code baggage} by default), so that the agent's spans in AgentCore's observability join the
 * caller's trace. Spans carry the agent runtime ARN, the qualifier, the attempt number, the HTTP
 * status, the error code and where the answer came from — never a customer id or customer data.
 * Thread-safe.
 *
 * <pre>{@code
 * SegmentClient client = SegmentClient.builder()
 *     .agentRuntimeArn(arn)
 *     .tracer(OpenTelemetryTracing.create(openTelemetry))   // GlobalOpenTelemetry.get(), say
 *     .build();
 * }</pre>
 */
public final class OpenTelemetryTracing implements CallTracer {
  /** The instrumentation scope's name. */
  public static final String SCOPE = "dev.opagent.segment";

  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> ARN =
      AttributeKey.stringKey("aws.bedrock_agentcore.runtime_arn");
  static final AttributeKey<String> QUALIFIER =
      AttributeKey.stringKey("aws.bedrock_agentcore.qualifier");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("opagent.attempt");
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("opagent.attempts");
  static final AttributeKey<String> SOURCE = AttributeKey.stringKey("opagent.segment.source");

  private static final TextMapSetter<Map<String, String>> SETTER = Map::put;

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  private OpenTelemetryTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(SCOPE);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  /** Traces with {@code openTelemetry}'s tracer provider and propagators. */
  public static OpenTelemetryTracing create(OpenTelemetry openTelemetry) {
    return new OpenTelemetryTracing(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  @Override
  public Call begin(String agentRuntimeArn, String qualifier) {
    Span call =
        tracer
            .spanBuilder("segment-agent analyze")
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(ARN, agentRuntimeArn)
            .setAttribute(QUALIFIER, qualifier)
            .startSpan();
    return new TracedCall(Context.current().with(call), call, agentRuntimeArn, qualifier);
  }

  private final class TracedCall implements Call {
    private final Context context;
    private final Span span;
    private final String arn;
    private final String qualifier;

    TracedCall(Context context, Span span, String arn, String qualifier) {
      this.context = context;
      this.span = span;
      this.arn = arn;
      this.qualifier = qualifier;
    }

    @Override
    public Attempt attempt(int number) {
      Span attempt =
          tracer
              .spanBuilder("BedrockAgentCore.InvokeAgentRuntime")
              .setParent(context)
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute(RPC_SYSTEM, "aws-api")
              .setAttribute(RPC_SERVICE, "BedrockAgentCore")
              .setAttribute(RPC_METHOD, "InvokeAgentRuntime")
              .setAttribute(ARN, arn)
              .setAttribute(QUALIFIER, qualifier)
              .setAttribute(ATTEMPT, (long) number)
              .startSpan();
      Map<String, String> carrier = new HashMap<>(4);
      propagator.inject(context.with(attempt), carrier, SETTER);
      TraceContext trace =
          new TraceContext(
              carrier.get("traceparent"), carrier.get("tracestate"), carrier.get("baggage"));
      return new TracedAttempt(attempt, trace);
    }

    @Override
    public void end(@Nullable Source source, @Nullable ErrorCode failure, int attempts) {
      span.setAttribute(ATTEMPTS, (long) attempts);
      if (source != null) {
        span.setAttribute(SOURCE, source.name());
      }
      if (failure != null) {
        span.setAttribute(ERROR_TYPE, failure.name());
        span.setStatus(StatusCode.ERROR, failure.name());
      }
      span.end();
    }
  }

  private static final class TracedAttempt implements Attempt {
    private final Span span;
    private final TraceContext trace;

    TracedAttempt(Span span, TraceContext trace) {
      this.span = span;
      this.trace = trace;
    }

    @Override
    public @Nullable TraceContext context() {
      return trace.isEmpty() ? null : trace;
    }

    @Override
    public void end(@Nullable ErrorCode failure, @Nullable Integer statusCode, Duration latency) {
      if (statusCode != null) {
        span.setAttribute(HTTP_STATUS, (long) statusCode);
      }
      if (failure != null) {
        span.setAttribute(ERROR_TYPE, failure.name());
        span.setStatus(StatusCode.ERROR, failure.name());
      }
      span.end();
    }
  }
}
