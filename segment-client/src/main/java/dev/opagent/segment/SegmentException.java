package dev.opagent.segment;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The root of every exception the segment client throws. Unchecked; it carries the {@link
 * ErrorCode}, whether a later retry may succeed, how many attempts were made and the AWS request id
 * when the service answered.
 *
 * <p>Messages never contain customer data or payloads. Instances are immutable once thrown and safe
 * to share between threads.
 */
public class SegmentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final int attempts;
  private final @Nullable String requestId;
  private final @Nullable Integer statusCode;

  /**
   * Creates an exception.
   *
   * @param code why the call failed
   * @param message what happened and what to do about it; no customer data
   * @param attempts requests sent for the call (0 when nothing was sent)
   * @param requestId the AWS request id of the last answer, if any
   * @param statusCode the HTTP status of the last answer, if any
   * @param cause the underlying failure, if any
   */
  public SegmentException(
      ErrorCode code,
      String message,
      int attempts,
      @Nullable String requestId,
      @Nullable Integer statusCode,
      @Nullable Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
    this.attempts = attempts;
    this.requestId = requestId;
    this.statusCode = statusCode;
  }

  /** Creates an exception with no answer from the service. */
  public SegmentException(ErrorCode code, String message) {
    this(code, message, 0, null, null, null);
  }

  /** Why the call failed. */
  public ErrorCode code() {
    return code;
  }

  /** Whether trying again later may succeed. */
  public boolean retryable() {
    return code.retryable();
  }

  /** Requests sent for the call: 0 when nothing was sent. */
  public int attempts() {
    return attempts;
  }

  /** The AWS request id of the last answer, when the service answered. */
  public @Nullable String requestId() {
    return requestId;
  }

  /** The HTTP status of the last answer, when the service answered. */
  public @Nullable Integer statusCode() {
    return statusCode;
  }

  /**
   * An exception of the same type and content that reports {@code totalAttempts} requests for the
   * whole call; the SDK uses it once retries are over. Returns {@code this} when unchanged.
   */
  public SegmentException withAttempts(int totalAttempts) {
    if (totalAttempts == attempts) {
      return this;
    }
    SegmentException copy =
        new SegmentException(code, getMessage(), totalAttempts, requestId, statusCode, getCause());
    copy.setStackTrace(getStackTrace());
    return copy;
  }

  @Override
  public String getMessage() {
    return Objects.requireNonNullElse(super.getMessage(), code.name());
  }
}
