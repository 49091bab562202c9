package dev.opagent.agent.tools;

import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.tools.spi.ActionExecutor;
import dev.opagent.agent.tools.spi.ExecutionReceipt;
import java.util.Objects;

/**
 * The {@link ActionExecutor} of {@link SdkTools} that delivers through an {@link ExecutionService}:
 * each chosen action is journalled under one run and delivered at once on the caller's thread, so a
 * repeated call finds the journal entry instead of sending twice. The tools keep their own
 * bookkeeping (budget commit, contact history), so this executor does none. Thread-safe as the
 * service is.
 *
 * <pre>{@code
 * SdkTools tools = SdkTools.builder().decisionEngine(engine)
 *     .executor(ExecutionServiceActionExecutor.of(executions, "assistant-2026-05-01"))
 *     .build();
 * }</pre>
 */
public final class ExecutionServiceActionExecutor implements ActionExecutor {
  private final ExecutionService service;
  private final String runId;

  private ExecutionServiceActionExecutor(ExecutionService service, String runId) {
    this.service = service;
    this.runId = runId;
  }

  /**
   * An executor that delivers through {@code service} under run {@code runId}.
   *
   * @param service the execution service; the caller keeps owning and closing it
   * @param runId the run every request is journalled under
   */
  public static ExecutionServiceActionExecutor of(ExecutionService service, String runId) {
    return new ExecutionServiceActionExecutor(
        Objects.requireNonNull(service, "service"), Objects.requireNonNull(runId, "runId"));
  }

  /** Journals and delivers {@code action}; a journal entry that does not complete is a failure. */
  @Override
  public ExecutionReceipt execute(PlannedAction action) {
    ActionRequest request = service.request(runId, action, null, null);
    ExecutionRecord rec = service.executeNow(request);
    if (rec.state() == ExecutionState.COMPLETED) {
      DeliveryReceipt receipt = Objects.requireNonNull(rec.receipt());
      return new ExecutionReceipt(
          receipt.externalId(),
          ExecutionReceipt.Status.EXECUTED,
          receipt.cost(),
          receipt.duplicate() ? "already delivered" : "delivered via " + receipt.channel());
    }
    String error = rec.lastError();
    return ExecutionReceipt.failed(
        rec.key(), error != null ? error : "not delivered: " + rec.state());
  }
}
