package dev.opagent.agent.tools;

/**
 * Receives the exceptions tools throw, with the incident id the model was given, so hosts can route
 * them to a store that may hold personal data. Implementations must be thread-safe and should not
 * block; an exception thrown here is logged and ignored.
 */
@FunctionalInterface
public interface ToolFailureListener {

  /** A tool threw. */
  void onFailure(String tool, String incidentId, Exception failure);
}
