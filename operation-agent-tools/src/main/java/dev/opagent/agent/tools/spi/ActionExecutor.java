package dev.opagent.agent.tools.spi;

import dev.opagent.agent.engine.PlannedAction;

/**
 * Carries out one chosen action on its channel (sends the email, creates the discount code, …).
 * Implementations must be thread-safe. The caller has already checked every guardrail, including
 * approval through the shared {@code ApprovalGate}, and holds the action's budget reservation: it
 * commits the reservation with {@link ExecutionReceipt#cost()} when the receipt says {@link
 * ExecutionReceipt.Status#EXECUTED}, releases it otherwise, and records contacts in the engine's
 * contact history. A thrown exception counts as not executed.
 */
@FunctionalInterface
public interface ActionExecutor {

  /** Executes {@code action}; an expected failure (channel down, address bounced) is a receipt. */
  ExecutionReceipt execute(PlannedAction action);
}
