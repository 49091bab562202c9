package dev.opagent.agent.policy;

import dev.opagent.agent.AgentException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A decision policy's JSON could not be read: every problem found, one a line, each with the
 * source's name, the line and column and the JSON pointer of the offending member. Immutable and
 * thread-safe.
 */
public final class InvalidPolicyException extends AgentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public InvalidPolicyException(List<String> problems) {
    super(
        "invalid decision policy:"
            + problems.stream()
                .map(p -> System.lineSeparator() + "  " + p)
                .collect(Collectors.joining()));
    this.problems = List.copyOf(problems);
  }

  /**
   * The problems, each {@code <source>:<line>:<column>: <pointer>: <what is wrong>} (the line and
   * column left out where unknown, the pointer where it is the whole document).
   */
  public List<String> problems() {
    return problems;
  }
}
