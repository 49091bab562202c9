package dev.opagent.agent.policy;

import dev.opagent.agent.AgentException;
import java.util.List;

/**
 * A decision policy's JSON could not be read: every problem found, each with the JSON pointer of
 * the offending member. Immutable and thread-safe.
 */
public final class InvalidPolicyException extends AgentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public InvalidPolicyException(List<String> problems) {
    super("invalid decision policy: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems, each {@code <pointer>: <what is wrong>}. */
  public List<String> problems() {
    return problems;
  }
}
