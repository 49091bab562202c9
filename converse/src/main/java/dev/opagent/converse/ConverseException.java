package dev.opagent.converse;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call of the model service failed (after the retries its code allows). Unchecked. The message
 * says what failed and what to check; it never holds the prompt, the conversation or customer data
 * (the service's own explanation of a refused request is added only with payload logging on, as it
 * may quote the request). Immutable once thrown.
 *
 * <p>{@link #transcript()} holds what the run did before the failure — tool calls that ran, among
 * them actions that were executed — so a host can report or resume it.
 */
public class ConverseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ConverseErrorCode code;
  private final int attempts;
  private final @Nullable String requestId;
  private final @Nullable Integer statusCode;
  private final transient @Nullable Transcript transcript;

  /**
   * Creates an exception.
   *
   * @param code why the call failed
   * @param message what happened and what to check; no prompt or customer data
   * @param attempts requests sent for the model call (0 when none was)
   * @param requestId the AWS request id of the last answer, if any
   * @param statusCode the HTTP status of the last answer, if any
   * @param transcript the run until the failure, if known
   * @param cause the underlying failure, if any
   */
  public ConverseException(
      ConverseErrorCode code,
      String message,
      int attempts,
      @Nullable String requestId,
      @Nullable Integer statusCode,
      @Nullable Transcript transcript,
      @Nullable Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
    this.attempts = attempts;
    this.requestId = requestId;
    this.statusCode = statusCode;
    this.transcript = transcript;
  }

  /** Why the call failed. */
  public ConverseErrorCode code() {
    return code;
  }

  /** Whether trying again later may succeed. */
  public boolean retryable() {
    return code.retryable();
  }

  /** Requests sent for the failed model call, retries included. */
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
   * The run until the failure (its ending is that of a run cut short: the last message may be a
   * user message), or null when the exception was not thrown by a run.
   */
  public @Nullable Transcript transcript() {
    return transcript;
  }

  /** This exception for a run: with the attempts made and the transcript so far. */
  ConverseException forRun(int totalAttempts, Transcript soFar) {
    ConverseException copy =
        new ConverseException(
            code,
            Objects.requireNonNullElse(getMessage(), code.name()),
            totalAttempts,
            requestId,
            statusCode,
            soFar,
            getCause());
    copy.setStackTrace(getStackTrace());
    return copy;
  }
}
