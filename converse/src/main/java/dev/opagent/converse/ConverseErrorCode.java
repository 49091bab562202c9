package dev.opagent.converse;

/**
 * Why a call of the model service failed. Each code says whether the agent retries it. Thread-safe
 * (an enum).
 */
public enum ConverseErrorCode {
  /** 429 {@code ThrottlingException}: the account's request or token rate; retried with backoff. */
  THROTTLED(true),
  /** 5xx ({@code InternalServerException}, {@code ServiceUnavailableException}); retried. */
  SERVICE_UNAVAILABLE(true),
  /** 429/503 {@code ModelNotReadyException}: the model is being loaded; retried. */
  MODEL_NOT_READY(true),
  /** 408 {@code ModelTimeoutException}: the model took too long; retried. */
  MODEL_TIMEOUT(true),
  /** The call exceeded the client's own timeout; retried. */
  TIMEOUT(true),
  /** The connection failed or broke before an answer; retried. */
  CONNECTION_FAILED(true),
  /**
   * 400 {@code ValidationException}: the request does not fit the model (model id, tool use or
   * system prompt support, inference configuration, tool schemas); not retried.
   */
  INVALID_REQUEST(false),
  /** 403 {@code AccessDeniedException}: the credentials may not invoke the model; not retried. */
  ACCESS_DENIED(false),
  /**
   * 404 {@code ResourceNotFoundException}: no such model or inference profile here; not retried.
   */
  NOT_FOUND(false),
  /** 400/402 {@code ServiceQuotaExceededException}: an account quota; not retried. */
  QUOTA_EXCEEDED(false),
  /** 424 {@code ModelErrorException}: the model failed on the request; not retried. */
  MODEL_ERROR(false),
  /** The answer held no assistant message; not retried. */
  MALFORMED_RESPONSE(false),
  /** The caller's thread was interrupted while it waited for the model. */
  CANCELLED(false);

  private final boolean retryable;

  ConverseErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  /** Whether the agent retries a failure with this code (and trying later may succeed). */
  public boolean retryable() {
    return retryable;
  }
}
