package dev.opagent.spring.boot;

import dev.opagent.agent.engine.DecisionEngine;

/**
 * Adjusts the {@link DecisionEngine.Builder} of the auto-configured {@code DecisionEngine} after
 * its policy, approval gate and clock are set and before it is built: a listener, conversion rates.
 * Do not set another clock: the loop refuses an engine on a clock other than its own.
 */
@FunctionalInterface
public interface DecisionEngineBuilderCustomizer {

  /** Adjusts {@code builder}. */
  void customize(DecisionEngine.Builder builder);
}
