package dev.opagent.rules;

/**
 * One finding about a rule file or condition, located by JSON pointer and by line and column in
 * the source text. Immutable and thread-safe.
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
