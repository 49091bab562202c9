package dev.opagent.segment;

import org.jspecify.annotations.Nullable;

/**
 * The agent answered, but the answer held no segment analysis the SDK could read. The message
 * carries a short excerpt of the answer with digits and quoted values masked, so that it never
 * reveals customer data. Immutable once thrown.
 */
public final class MalformedResponseException extends SegmentException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message is {@code reason} followed by a redacted excerpt. */
  public MalformedResponseException(
      String reason, String redactedExcerpt, @Nullable String requestId) {
    super(
        ErrorCode.MALFORMED_RESPONSE,
        reason + (redactedExcerpt.isEmpty() ? "" : "; answer began: " + redactedExcerpt),
        0,
        requestId,
        200,
        null);
  }

  private MalformedResponseException(String message, int attempts, @Nullable String requestId) {
    super(ErrorCode.MALFORMED_RESPONSE, message, attempts, requestId, 200, null);
  }

  @Override
  public MalformedResponseException withAttempts(int totalAttempts) {
    if (totalAttempts == attempts()) {
      return this;
    }
    MalformedResponseException copy =
        new MalformedResponseException(getMessage(), totalAttempts, requestId());
    copy.setStackTrace(getStackTrace());
    return copy;
  }
}
