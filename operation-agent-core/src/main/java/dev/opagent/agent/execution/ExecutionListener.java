package dev.opagent.agent.execution;

import dev.opagent.agent.execution.spi.ExecutionRecord;

/**
 * Hears about actions reaching a terminal state, for example to record deliveries in the feedback
 * loop. Implementations must be thread-safe and fast: they are called on the channel's worker
 * threads. An exception thrown by a listener is logged and does not change the action's state.
 */
public interface ExecutionListener {

  /** {@code record} completed; {@code record.receipt()} is set. */
  default void completed(ExecutionRecord record) {}

  /** {@code record} failed after its last attempt, or was cancelled before execution. */
  default void failed(ExecutionRecord record) {}
}
