package dev.opagent.rules;

import java.util.List;

/** Formats problem lists for exception messages. Stateless and thread-safe. */
final class ProblemText {
  private ProblemText() {}

  static String summary(String what, List<Problem> problems) {
    long errors = problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).count();
    StringBuilder sb = new StringBuilder(what).append(": ").append(errors).append(" error");
    if (errors != 1) {
      sb.append('s');
    }
    for (Problem p : problems) {
      sb.append(System.lineSeparator()).append("  ").append(p);
    }
    return sb.toString();
  }
}
