package dev.opagent.agent.tools.spi;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link ActionExecutor} did. Immutable and thread-safe.
 *
 * @param executionId the executor's id of the execution (a message id, a discount code id)
 * @param status whether it happened
 * @param cost what it actually cost in the budget currency; null to commit the reserved amount
 * @param detail a short explanation without personal data
 */
public record ExecutionReceipt(
    String executionId, Status status, @Nullable BigDecimal cost, String detail) {

  /** Checks the values. */
  public ExecutionReceipt {
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    if (cost != null && cost.signum() < 0) {
      throw new IllegalArgumentException("cost must not be negative but was " + cost);
    }
  }

  /** An executed action at the reserved cost. */
  public static ExecutionReceipt executed(String executionId) {
    return new ExecutionReceipt(executionId, Status.EXECUTED, null, "executed");
  }

  /** An action that could not be executed. */
  public static ExecutionReceipt failed(String executionId, String detail) {
    return new ExecutionReceipt(executionId, Status.FAILED, null, detail);
  }

  /** Whether an action happened. */
  public enum Status {
    /** The action reached its channel. */
    EXECUTED,
    /** It did not; the reservation is released. */
    FAILED
  }
}
