package dev.opagent.agent.execution.spi;

/**
 * Where an action is in its lifecycle: {@code PENDING → EXECUTING → COMPLETED | FAILED |
 * CANCELLED}. An action is journalled {@link #PENDING} before anything is sent (outbox); work left
 * {@link #EXECUTING} by a process that died is resumed with the same idempotency key.
 */
public enum ExecutionState {
  /** Journalled, not yet claimed by an executor. */
  PENDING,
  /** Claimed by an executor; it may have reached the channel. */
  EXECUTING,
  /** The channel confirmed delivery. Terminal. */
  COMPLETED,
  /** Every attempt failed or the failure was permanent. Terminal. */
  FAILED,
  /** Withdrawn before execution. Terminal. */
  CANCELLED;

  /** Whether nothing more will happen to an action in this state. */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
