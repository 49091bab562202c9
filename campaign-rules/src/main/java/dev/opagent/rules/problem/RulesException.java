package dev.opagent.rules.problem;

import java.util.List;

/**
 * Root of every exception campaign-rules throws for a failure that is not a caller mistake (caller
 * mistakes stay {@link IllegalArgumentException} and {@link IllegalStateException}). Unchecked.
 * Instances are immutable and thread-safe.
 */
public class RulesException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RulesException(String message) {
    super(message);
  }

  public RulesException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A failure listing {@code problems} under {@code what}, one a line, each as {@link
   * Problem#describe(String) source:line:column: pointer: message}.
   *
   * @param what what failed, such as {@code "invalid rule set file:rules.json"}
   * @param source the name of the text the problems are in (a file path, say)
   * @param problems the problems found, errors and warnings
   */
  protected RulesException(String what, String source, List<Problem> problems) {
    super(summary(what, source, problems));
  }

  private static String summary(String what, String source, List<Problem> problems) {
    long errors = problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).count();
    StringBuilder sb = new StringBuilder(what).append(": ").append(errors).append(" error");
    if (errors != 1) {
      sb.append('s');
    }
    for (Problem p : problems) {
      sb.append(System.lineSeparator()).append("  ").append(p.describe(source));
    }
    return sb.toString();
  }
}
