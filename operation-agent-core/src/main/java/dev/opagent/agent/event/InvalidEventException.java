package dev.opagent.agent.event;

/**
 * A customer event that cannot be read: it names the field and what the field must be, never the
 * value it held (events carry personal data). Unchecked; immutable.
 */
public final class InvalidEventException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param field the offending field, such as {@code at} or {@code data.amount}; empty for the
   *     event as a whole
   * @param problem what the field must be
   */
  public InvalidEventException(String field, String problem) {
    super(field.isEmpty() ? problem : field + " " + problem);
    this.field = field;
  }

  /** The offending field, such as {@code at} or {@code data.amount}; empty for the whole event. */
  public String field() {
    return field;
  }
}
