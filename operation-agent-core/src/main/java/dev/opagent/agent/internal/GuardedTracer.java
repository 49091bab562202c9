package dev.opagent.agent.internal;

import dev.opagent.agent.spi.OperationTracer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link OperationTracer} that never throws: a failure of the one it wraps is logged (its class
 * name only) and the span goes on as {@link OperationTracer.Span#NONE}. Thread-safe.
 */
public final class GuardedTracer implements OperationTracer {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedTracer.class);

  private final OperationTracer tracer;

  private GuardedTracer(OperationTracer tracer) {
    this.tracer = tracer;
  }

  /** {@code tracer} guarded; {@link OperationTracer#NONE} as it is. */
  public static OperationTracer of(OperationTracer tracer) {
    return tracer == NONE || tracer instanceof GuardedTracer ? tracer : new GuardedTracer(tracer);
  }

  @Override
  public Span start(String name, @Nullable Span parent) {
    try {
      Span inner = parent instanceof Guarded g ? g.span : parent;
      Span span = tracer.start(name, inner);
      return span == null || span == Span.NONE ? Span.NONE : new Guarded(span);
    } catch (RuntimeException e) {
      log(e);
      return Span.NONE;
    }
  }

  private static void log(RuntimeException e) {
    LOG.debug("the operation tracer failed ({})", e.getClass().getName());
  }

  private static final class Guarded implements Span {
    final Span span;

    Guarded(Span span) {
      this.span = span;
    }

    @Override
    public Span attribute(String key, String value) {
      try {
        span.attribute(key, value);
      } catch (RuntimeException e) {
        log(e);
      }
      return this;
    }

    @Override
    public Span attribute(String key, long value) {
      try {
        span.attribute(key, value);
      } catch (RuntimeException e) {
        log(e);
      }
      return this;
    }

    @Override
    public Span failed(String errorType) {
      try {
        span.failed(errorType);
      } catch (RuntimeException e) {
        log(e);
      }
      return this;
    }

    @Override
    public Scope makeCurrent() {
      Scope scope;
      try {
        scope = span.makeCurrent();
      } catch (RuntimeException e) {
        log(e);
        return Scope.NONE;
      }
      return () -> {
        try {
          scope.close();
        } catch (RuntimeException e) {
          log(e);
        }
      };
    }

    @Override
    public void end() {
      try {
        span.end();
      } catch (RuntimeException e) {
        log(e);
      }
    }
  }
}
