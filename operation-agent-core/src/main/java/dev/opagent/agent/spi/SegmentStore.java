package dev.opagent.agent.spi;

import java.util.Collection;
import java.util.Map;

/**
 * The last segment analysis of each customer, kept beyond the process, so that a round of the
 * operation loop asks the agent again only about customers whose data changed or whose analysis
 * grew old. Implementations must be thread-safe: rounds may run at once, and a store may be shared
 * by several processes.
 *
 * <p>An analysis belongs to a customer and to the agent that made it (runtime ARN and qualifier):
 * saving replaces the stored analysis of the same customer by the same agent, and analyses by other
 * agents are left alone. What to do with a stored analysis (reuse it, serve it when the agent
 * fails, ask again) is the caller's policy, not the store's: a store keeps and returns what it was
 * given.
 *
 * <p>{@code InMemorySegmentStore} keeps them in memory (for tests and single-process hosts); the
 * operating store keeps them in its database.
 */
public interface SegmentStore {

  /**
   * The stored analyses of {@code customerIds} by agent {@code agentRuntimeArn} at {@code
   * qualifier}, by customer id; a customer without one is absent. One call for many customers: an
   * implementation on a database reads them in a few queries.
   */
  Map<String, StoredAnalysis> find(
      Collection<String> customerIds, String agentRuntimeArn, String qualifier);

  /**
   * Saves {@code analyses}, each replacing the stored analysis of its customer by its agent. When
   * the same customer and agent appear more than once, the one made last is kept.
   */
  void saveAll(Collection<StoredAnalysis> analyses);
}
