package dev.opagent.agent.approval;

/**
 * An in-memory approval store is full: recording one more request or audit event would pass the
 * maximum it was built with, and nothing it could drop is safe to drop. Nothing was recorded. Raise
 * the maximum, or use a durable store (the {@code operating-store} module's). Immutable once
 * thrown; the message holds counts only.
 */
public final class ApprovalStoreFullException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final int capacity;

  ApprovalStoreFullException(String message, int capacity) {
    super(message);
    this.capacity = capacity;
  }

  /** The maximum that was reached. */
  public int capacity() {
    return capacity;
  }
}
