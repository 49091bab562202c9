package dev.opagent.rules;

import dev.opagent.rules.problem.Problem;
import dev.opagent.rules.problem.RulesException;
import java.util.List;

/**
 * A rule set that does not load: unreadable source, malformed JSON, or failed validation. Carries
 * every problem found (not just the first), each with JSON pointer, line and column, so a command
 * line can print them all. Immutable and thread-safe.
 */
public class InvalidRuleSetException extends RulesException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final List<Problem> problems;

  public InvalidRuleSetException(String source, List<Problem> problems) {
    super("invalid rule set " + source, source, problems);
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** Description of where the rule set came from (file path, classpath resource, name). */
  public String source() {
    return source;
  }

  /** Every problem found, errors and warnings, in document order. */
  public List<Problem> problems() {
    return problems;
  }
}
