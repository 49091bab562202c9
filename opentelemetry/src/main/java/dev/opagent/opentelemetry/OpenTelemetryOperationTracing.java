package dev.opagent.opentelemetry;

import dev.opagent.agent.spi.OperationTracer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Traces the operation loop with OpenTelemetry: a span per round ({@code opagent.round}, a child of
 * the caller's current span), per batch of customers segmented ({@code opagent.round.segment}: the
 * segment client's call spans, when it is traced with {@link OpenTelemetryTracing}, are its
 * children) and decided ({@code opagent.round.decide}), per pass of delivery ({@code
 * opagent.execution}) and per action delivered ({@code opagent.delivery}, a child of its pass
 * though it runs on the channel's thread). Attributes are run ids, campaigns, channels, action
 * types, counts, outcomes and error types — never a customer id, an idempotency key or customer
 * data. Thread-safe.
 *
 * <pre>{@code
 * OperationAgent agent = OperationAgent.builder()
 *     .segmentClient(client)      // traced with OpenTelemetryTracing.create(openTelemetry)
 *     .tracer(OpenTelemetryOperationTracing.create(openTelemetry))
 *     ...
 *     .build();
 * }</pre>
 *
 * <p>Needs {@code opagent-operation-agent-core} on the class path (an optional dependency of this
 * module).
 */
public final class OpenTelemetryOperationTracing implements OperationTracer {
  /** The instrumentation scope's name. */
  public static final String SCOPE = "dev.opagent.agent";

  private final Tracer tracer;

  private OpenTelemetryOperationTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(SCOPE);
  }

  /** Traces with {@code openTelemetry}'s tracer provider. */
  public static OpenTelemetryOperationTracing create(OpenTelemetry openTelemetry) {
    return new OpenTelemetryOperationTracing(
        Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  @Override
  public OperationTracer.Span start(String name, OperationTracer.@Nullable Span parent) {
    Context context = parent instanceof Traced t ? t.context : Context.current();
    io.opentelemetry.api.trace.Span span = tracer.spanBuilder(name).setParent(context).startSpan();
    return new Traced(span, context.with(span));
  }

  private static final class Traced implements OperationTracer.Span {
    final io.opentelemetry.api.trace.Span span;
    final Context context;

    Traced(io.opentelemetry.api.trace.Span span, Context context) {
      this.span = span;
      this.context = context;
    }

    @Override
    public OperationTracer.Span attribute(String key, String value) {
      span.setAttribute(key, value);
      return this;
    }

    @Override
    public OperationTracer.Span attribute(String key, long value) {
      span.setAttribute(AttributeKey.longKey(key), value);
      return this;
    }

    @Override
    public OperationTracer.Span failed(String errorType) {
      span.setAttribute(OpenTelemetryTracing.ERROR_TYPE, errorType);
      span.setStatus(StatusCode.ERROR, errorType);
      return this;
    }

    @Override
    public OperationTracer.Scope makeCurrent() {
      io.opentelemetry.context.Scope scope = context.makeCurrent();
      return scope::close;
    }

    @Override
    public void end() {
      span.end();
    }
  }
}
