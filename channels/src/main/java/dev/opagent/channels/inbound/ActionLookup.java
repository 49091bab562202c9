package dev.opagent.channels.inbound;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the action an idempotency key names, so that a webhook that carries only the key is
 * attributed to the action's customer and campaign. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ActionLookup {

  /** The action journalled under {@code key}, or empty when none is. */
  Optional<ActionRequest> find(String key);

  /** The actions of {@code journal} (the operating store's journal, for one). */
  static ActionLookup of(ExecutionJournal journal) {
    Objects.requireNonNull(journal, "journal");
    return key -> journal.find(key).map(ExecutionRecord::request);
  }

  /** Finds nothing: the custom args and query parameters must name customer and campaign. */
  static ActionLookup none() {
    return key -> Optional.empty();
  }
}
