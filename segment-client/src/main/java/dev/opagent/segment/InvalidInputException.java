package dev.opagent.segment;

import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The customer data is invalid and was not sent. {@link #errors()} names every offending field.
 * Immutable once thrown.
 */
public final class InvalidInputException extends SegmentException {
  private static final long serialVersionUID = 1L;

  private final transient List<FieldError> errors;
  private final @Nullable String customerId;

  /** Creates an exception listing every problem found. */
  public InvalidInputException(List<FieldError> errors) {
    this(errors, null);
  }

  private InvalidInputException(List<FieldError> errors, @Nullable String customerId) {
    super(ErrorCode.INVALID_INPUT, describe(errors), 0, null, null, null);
    this.errors = List.copyOf(errors);
    this.customerId = customerId;
  }

  /** Creates an exception for one field. */
  public InvalidInputException(String field, String message) {
    this(List.of(new FieldError(field, message)));
  }

  /** Returns {@code this}: invalid input is never sent, so it has no attempts. */
  @Override
  public InvalidInputException withAttempts(int totalAttempts) {
    return this;
  }

  /**
   * The id of the customer whose data is invalid, when it could be read. It identifies the record
   * in batch outcomes; it is not part of the message.
   */
  public @Nullable String customerId() {
    return customerId;
  }

  /** A copy that records the id of the customer whose data is invalid. */
  public InvalidInputException forCustomer(@Nullable String customerId) {
    InvalidInputException copy = new InvalidInputException(errors, customerId);
    copy.setStackTrace(getStackTrace());
    return copy;
  }

  /** Every problem found, in field order. */
  public List<FieldError> errors() {
    return errors;
  }

  private static String describe(List<FieldError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("errors must not be empty");
    }
    return "invalid customer data: "
        + errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
  }
}
