package dev.opagent.rules;

import dev.opagent.rules.problem.Problem;
import java.util.List;

/**
 * Outcome of {@link RuleSetLoader#validate(RuleSource)}: a rule set, or every problem that prevents
 * one. Immutable and thread-safe.
 *
 * <pre>{@code
 * LoadResult result = loader.validate(source);
 * if (result instanceof LoadResult.Invalid invalid) {
 *   invalid.problems().forEach(System.err::println);   // pointer, line, column, message
 *   System.exit(2);
 * }
 * RuleSet rules = ((LoadResult.Loaded) result).ruleSet();
 * }</pre>
 */
public sealed interface LoadResult {

  /** The rules loaded; {@code ruleSet().warnings()} lists any warnings. */
  record Loaded(RuleSet ruleSet) implements LoadResult {}

  /**
   * The rules did not load.
   *
   * @param source where they came from
   * @param problems every problem found, errors and warnings, in document order
   */
  record Invalid(String source, List<Problem> problems) implements LoadResult {
    public Invalid {
      problems = List.copyOf(problems);
    }

    /** Only the errors. */
    public List<Problem> errors() {
      return problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList();
    }
  }
}
