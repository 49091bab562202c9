package dev.opagent.rules.problem;

/**
 * One finding about a rule file or condition, located by JSON pointer and by line and column in the
 * source text. Immutable and thread-safe.
 *
 * @param severity whether the finding prevents loading
 * @param pointer RFC 6901 JSON pointer of the offending value ({@code ""} is the whole document)
 * @param line 1-based line of the value in the source, or 0 when unknown (condition built in code,
 *     unreadable source)
 * @param column 1-based column of the value in the source, or 0 when unknown
 * @param message what is wrong, in one sentence
 */
public record Problem(Severity severity, String pointer, int line, int column, String message) {

  /** Whether a {@link Problem} prevents loading. */
  public enum Severity {
    /** The rule set or condition cannot be used. */
    ERROR,
    /** Suspicious but usable (an always-true condition, a rule without actions, …). */
    WARNING
  }

  /**
   * This problem as one line that names where it is, in the form compilers use: {@code
   * rules.json:4:20: /rules/0/priority: priority must be an integer but was the string "x"}. A
   * warning reads {@code rules.json:4:20: warning: …}; without a known position the line and column
   * are left out ({@code rules.json: …}), and so is an empty pointer.
   *
   * @param source the name of the text this problem is in (a file path, say)
   */
  public String describe(String source) {
    StringBuilder sb = new StringBuilder(source);
    if (line > 0) {
      sb.append(':').append(line).append(':').append(column);
    }
    sb.append(": ");
    if (severity == Severity.WARNING) {
      sb.append("warning: ");
    }
    if (!pointer.isEmpty()) {
      sb.append(pointer).append(": ");
    }
    return sb.append(message).toString();
  }

  /** Formats as {@code ERROR /rules/0/conditions (line 4, column 20): message}. */
  @Override
  public String toString() {
    String where = pointer.isEmpty() ? "(document)" : pointer;
    if (line > 0) {
      where += " (line " + line + ", column " + column + ")";
    }
    return severity + " " + where + ": " + message;
  }
}
