package dev.opagent.agent.spi;

import org.jspecify.annotations.Nullable;

/**
 * Traces the operation loop: a span per round ({@code opagent.round}), per stage of a round's
 * planning ({@code opagent.round.segment}, {@code opagent.round.decide}), per pass of delivery
 * ({@code opagent.execution}) and per delivery of an action to its channel ({@code
 * opagent.delivery}, with its retries). The {@code opagent-opentelemetry} module implements it on
 * OpenTelemetry; the segment client's calls made during a round's segment stage become children of
 * that stage's span there.
 *
 * <p>Attributes name runs, campaigns, channels, action types, counts and error types, never a
 * customer id, an idempotency key or customer data. Implementations must be thread-safe (deliveries
 * start spans on the channels' threads); one that throws is logged and ignored.
 */
public interface OperationTracer {

  /** Traces nothing. */
  OperationTracer NONE = (name, parent) -> Span.NONE;

  /**
   * Starts span {@code name}: a child of {@code parent}, or, when it is {@code null} or {@link
   * Span#NONE}, of the calling thread's current span (the host's request, or a round's stage while
   * it is {@link Span#makeCurrent() current}).
   */
  Span start(String name, @Nullable Span parent);

  /** A span started by {@link #start}; ended once with {@link #end()}. */
  interface Span {

    /** A span that records nothing. */
    Span NONE =
        new Span() {
          @Override
          public Span attribute(String key, String value) {
            return this;
          }

          @Override
          public Span attribute(String key, long value) {
            return this;
          }

          @Override
          public Span failed(String errorType) {
            return this;
          }

          @Override
          public Scope makeCurrent() {
            return Scope.NONE;
          }

          @Override
          public void end() {}
        };

    /** Sets a text attribute. */
    Span attribute(String key, String value);

    /** Sets a number attribute. */
    Span attribute(String key, long value);

    /**
     * Marks the span failed with {@code errorType}, a short name without customer data (an
     * exception's simple class name, an error code).
     */
    Span failed(String errorType);

    /** Makes this span the calling thread's current one until the scope is closed. */
    Scope makeCurrent();

    /** Ends the span. */
    void end();
  }

  /** A span being current on a thread; closed on that thread. */
  interface Scope extends AutoCloseable {

    /** No scope. */
    Scope NONE = () -> {};

    /** Restores the thread's previous current span. */
    @Override
    void close();
  }
}
