package dev.opagent.spring.boot.actuate;

import dev.opagent.spring.boot.SegmentCircuitState;
import dev.opagent.store.OperatingStore;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Health of opagent ({@code opagent}): DOWN while the segment client's circuit is open (the agent
 * failed too many requests; calls fail fast) or while the operating store does not answer a
 * connection check within the timeout. Details: {@code circuit} (open, closed or unknown when the
 * application built its own client), {@code circuitOpenedAt}, {@code store} (reachable, unreachable
 * or none) and {@code storeDatabase}. Never a URL, a credential or customer data.
 */
public final class OpagentHealthIndicator implements HealthIndicator, DisposableBean {
  private final @Nullable SegmentCircuitState circuit;
  private final @Nullable OperatingStore store;
  private final Duration timeout;
  private final ExecutorService checks =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "opagent-health");
            t.setDaemon(true);
            return t;
          });

  /**
   * Reports {@code circuit} and {@code store}, either of which may be absent; the store must answer
   * within {@code timeout}.
   */
  public OpagentHealthIndicator(
      @Nullable SegmentCircuitState circuit, @Nullable OperatingStore store, Duration timeout) {
    this.circuit = circuit;
    this.store = store;
    this.timeout = timeout;
  }

  @Override
  public Health health() {
    Health.Builder h = Health.up();
    boolean down = false;
    SegmentCircuitState c = circuit;
    if (c == null || !c.isWatching()) {
      h.withDetail("circuit", "unknown");
    } else {
      Instant opened = c.openedAt();
      if (opened != null) {
        down = true;
        h.withDetail("circuit", "open").withDetail("circuitOpenedAt", opened.toString());
      } else {
        h.withDetail("circuit", "closed");
      }
    }
    OperatingStore s = store;
    if (s == null) {
      h.withDetail("store", "none");
    } else {
      h.withDetail("storeDatabase", s.isPostgres() ? "PostgreSQL" : "H2");
      String problem = reach(s);
      if (problem == null) {
        h.withDetail("store", "reachable");
      } else {
        down = true;
        h.withDetail("store", "unreachable").withDetail("storeProblem", problem);
      }
    }
    return down ? h.down().build() : h.build();
  }

  /** Null when the store answers in time, else what went wrong (no message: it may hold a URL). */
  private @Nullable String reach(OperatingStore s) {
    int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    Future<Boolean> check;
    try {
      check =
          checks.submit(
              () -> {
                try (Connection connection = s.dataSource().getConnection()) {
                  return connection.isValid(seconds);
                }
              });
    } catch (RuntimeException e) {
      return "not checked (" + e.getClass().getSimpleName() + ")";
    }
    try {
      return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          ? null
          : "the connection check failed";
    } catch (TimeoutException e) {
      check.cancel(true);
      return "no answer within " + timeout;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return "no connection (" + cause.getClass().getSimpleName() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  @Override
  public void destroy() {
    checks.shutdownNow();
  }
}
