package dev.opagent.segment.internal;

import dev.failsafe.spi.Scheduler;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A Failsafe {@link Scheduler} that runs an execution's first attempt on the thread that starts it
 * ({@link #firstOnCaller(Supplier)}) instead of handing it to another thread, and schedules
 * everything else (retries after their delay) on a {@link ScheduledExecutorService}.
 *
 * <p>An asynchronous Failsafe execution schedules its first attempt with no delay while it is being
 * started; this scheduler runs exactly that one task inline, on the starting thread, and only
 * inside {@link #firstOnCaller(Supplier)}. The task must not block. Thread-safe.
 */
public final class CallerFirstScheduler implements Scheduler {
  /** Set on a thread while it starts an execution whose first attempt it runs itself. */
  private static final ThreadLocal<boolean[]> STARTING =
      ThreadLocal.withInitial(() -> new boolean[1]);

  private final ScheduledExecutorService executor;

  /** Schedules delayed and later work on {@code executor}. */
  public CallerFirstScheduler(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /**
   * Calls {@code start} (which starts a Failsafe execution with this scheduler) so that the
   * execution's first attempt runs on this thread, before {@code start} returns.
   */
  public <T> T firstOnCaller(Supplier<T> start) {
    boolean[] starting = STARTING.get();
    boolean outer = starting[0];
    starting[0] = true;
    try {
      return start.get();
    } finally {
      starting[0] = outer;
    }
  }

  @Override
  public ScheduledFuture<?> schedule(Callable<?> callable, long delay, TimeUnit unit) {
    boolean[] starting = STARTING.get();
    if (!starting[0] || delay > 0) {
      return executor.schedule(callable, delay, unit);
    }
    // The first attempt of the execution being started: run it here. Only that one: anything
    // scheduled after it (a retry, when it failed at once) goes to the executor.
    starting[0] = false;
    try {
      return new Done(callable.call(), null);
    } catch (Exception e) {
      return new Done(null, e);
    }
  }

  /** The future of a task that already ran. */
  private static final class Done implements ScheduledFuture<Object> {
    private final @Nullable Object value;
    private final @Nullable Exception failure;

    Done(@Nullable Object value, @Nullable Exception failure) {
      this.value = value;
      this.failure = failure;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return false;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean isDone() {
      return true;
    }

    @Override
    public @Nullable Object get() throws ExecutionException {
      if (failure != null) {
        throw new ExecutionException(failure);
      }
      return value;
    }

    @Override
    public @Nullable Object get(long timeout, TimeUnit unit) throws ExecutionException {
      return get();
    }
  }
}
