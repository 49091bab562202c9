package dev.opagent.rules.condition;

import dev.opagent.rules.problem.Problem;
import java.util.List;

/**
 * Outcome of {@link ConditionCompiler#tryCompile}: a condition, or the problems that prevent one.
 * Immutable and thread-safe.
 */
public sealed interface CompileResult {

  /** The compiled condition, with any warnings. */
  record Compiled(Condition condition, List<Problem> warnings) implements CompileResult {
    public Compiled {
      warnings = List.copyOf(warnings);
    }
  }

  /** Every problem found; at least one is an error. */
  record Rejected(List<Problem> problems) implements CompileResult {
    public Rejected {
      problems = List.copyOf(problems);
    }
  }
}
