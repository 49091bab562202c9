package dev.opagent.agent.engine;

/**
 * Hears about every decision the engine makes, live or dry, for metrics or an audit trail.
 * Implementations must be thread-safe and fast: they run on the deciding thread, after the decision
 * is complete and before it is returned, so a run decided from many threads calls them from many
 * threads. A listener sees the decision as returned and cannot change it; an exception it throws is
 * logged and does not change the decision or stop the other listeners.
 *
 * <pre>{@code
 * DecisionEngine engine = DecisionEngine.builder()
 *     .listener(decision -> audit.write(decision.runId(), decision.candidates().size()))
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface DecisionListener {

  /**
   * The engine decided {@code decision} ({@link Decision#mode()} tells a live run from a dry one):
   * every candidate action with its status and reason, or the campaigns the customer was held out
   * of.
   */
  void decided(Decision decision);
}
