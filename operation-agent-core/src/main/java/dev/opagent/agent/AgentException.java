package dev.opagent.agent;

import org.jspecify.annotations.Nullable;

/**
 * The root of the exceptions this module throws for failures that are not a caller's mistake (those
 * stay {@link IllegalArgumentException} and {@link IllegalStateException}) and not an expected
 * outcome (those are values, such as a {@link dev.opagent.agent.engine.GuardrailVerdict}).
 * Unchecked; immutable once thrown, so safe to share between threads; messages never contain
 * personal data.
 */
public class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
