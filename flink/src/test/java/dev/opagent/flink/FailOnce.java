package dev.opagent.flink;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes elements through, a little slowly so that checkpoints complete while the job runs, and
 * throws once — in the whole JVM, across the job's restarts — at the {@code after}-th element after
 * a checkpoint completed, so that the job restarts from that checkpoint with elements to replay.
 */
final class FailOnce<T> implements MapFunction<T, T>, CheckpointListener {
  private static final long serialVersionUID = 1L;

  /** Whether each named failure happened. */
  static final java.util.Map<String, AtomicBoolean> FAILED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final java.util.Map<String, AtomicBoolean> CHECKPOINTED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final String name;
  private final int after;
  private final long pauseMillis;
  private final AtomicInteger seen = new AtomicInteger();

  FailOnce(String name, int after, long pauseMillis) {
    this.name = name;
    this.after = after;
    this.pauseMillis = pauseMillis;
    FAILED.put(name, new AtomicBoolean());
    CHECKPOINTED.put(name, new AtomicBoolean());
  }

  @Override
  public T map(T value) throws Exception {
    if (pauseMillis > 0) {
      Thread.sleep(pauseMillis);
    }
    if (CHECKPOINTED.get(name).get()
        && seen.incrementAndGet() >= after
        && FAILED.get(name).compareAndSet(false, true)) {
      throw new IllegalStateException("failure injected by the test: " + name);
    }
    return value;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    CHECKPOINTED.get(name).set(true);
  }
}
