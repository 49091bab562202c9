package dev.opagent.rules.condition;

import dev.opagent.rules.problem.Problem;
import dev.opagent.rules.problem.RulesException;
import java.util.List;

/**
 * A condition that does not compile: every problem found, each located by JSON pointer (relative to
 * the condition, or to the document it came from) and line/column when the source text is known.
 * Immutable and thread-safe.
 */
public class InvalidConditionException extends RulesException {
  private static final long serialVersionUID = 1L;
  private final List<Problem> problems;

  public InvalidConditionException(List<Problem> problems) {
    super("invalid condition", "condition", problems);
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in document order; at least one is an {@link Problem.Severity#ERROR}. */
  public List<Problem> problems() {
    return problems;
  }
}
