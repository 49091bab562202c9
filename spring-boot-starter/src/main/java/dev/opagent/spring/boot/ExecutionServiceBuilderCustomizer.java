package dev.opagent.spring.boot;

import dev.opagent.agent.execution.ExecutionService;

/**
 * Adjusts the {@link ExecutionService.Builder} of the auto-configured {@code ExecutionService}
 * after its journal, channels, keys and limits are set and before it is built: a listener, leases,
 * per-channel limits. Do not set another clock or decision engine: the loop refuses them.
 */
@FunctionalInterface
public interface ExecutionServiceBuilderCustomizer {

  /** Adjusts {@code builder}. */
  void customize(ExecutionService.Builder builder);
}
