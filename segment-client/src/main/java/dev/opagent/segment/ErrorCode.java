package dev.opagent.segment;

/**
 * Why a segment call failed. Each code says whether the SDK retries it by default.
 *
 * <p>Thread-safe (an enum).
 */
public enum ErrorCode {
  /** The customer data failed validation, or the agent answered 400; never sent again. */
  INVALID_INPUT(false),
  /** The agent's request-rate quota was exceeded (429); retried with backoff. */
  THROTTLED(true),
  /** An account quota, such as active sessions, was exceeded (402); not retried. */
  QUOTA_EXCEEDED(false),
  /** The credentials may not invoke the agent (403); fix the IAM policy. */
  ACCESS_DENIED(false),
  /** The agent runtime or qualifier does not exist (404); check the ARN and qualifier. */
  NOT_FOUND(false),
  /** The agent's own code failed (424 {@code RuntimeClientError}); retried once by default. */
  AGENT_ERROR(true),
  /** The service failed (5xx) or the connection broke; retried with backoff. */
  AGENT_UNAVAILABLE(true),
  /** The answer held no segment analysis the SDK could read; retried once by default. */
  MALFORMED_RESPONSE(true),
  /** An attempt exceeded its deadline; retried with backoff. */
  TIMEOUT(true),
  /** The circuit breaker is open because the agent has been failing; calls fail fast. */
  CIRCUIT_OPEN(true),
  /** The call or batch was cancelled by the caller or by {@code close()}. */
  CANCELLED(false);

  private final boolean retryable;

  ErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  /** Whether a failure with this code may succeed if tried again later. */
  public boolean retryable() {
    return retryable;
  }
}
