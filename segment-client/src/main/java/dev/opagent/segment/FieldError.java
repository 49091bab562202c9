package dev.opagent.segment;

/**
 * One validation problem: the field's JSON path and what to fix. The message never repeats the
 * offending value (it may be personal data). Immutable and thread-safe.
 *
 * @param field the path of the field, for example {@code customerData.customer.age}
 * @param message what is wrong and how to fix it, for example {@code must be between 0 and 130}
 */
public record FieldError(String field, String message) {
  @Override
  public String toString() {
    return field + " " + message;
  }
}
