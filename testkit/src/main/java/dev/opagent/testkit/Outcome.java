package dev.opagent.testkit;

/**
 * How the simulator answered one {@code InvokeAgentRuntime} request, as counted in {@link
 * SimulatorStats}. Thread-safe (an enum).
 */
public enum Outcome {
  /** 200 with the analysis. */
  OK(200),
  /** 200 with an unreadable body ({@link Fault#MALFORMED_BODY}). */
  MALFORMED_BODY(200),
  /** Connection closed without a complete response ({@link Fault#DROPPED_CONNECTION}). */
  DROPPED_CONNECTION(0),
  /** 500 {@code InternalServerException} ({@link Fault#INTERNAL_ERROR}). */
  INTERNAL_ERROR(500),
  /** 424 {@code RuntimeClientError} ({@link Fault#AGENT_ERROR}). */
  AGENT_ERROR(424),
  /** 429 {@code ThrottlingException}: the request-rate quota was exhausted. */
  THROTTLED(429),
  /** 402 {@code ServiceQuotaExceededException}: too many active sessions. */
  SESSION_QUOTA_EXCEEDED(402),
  /**
   * 400 {@code ValidationException}: bad session id, payload too large or invalid customer data.
   */
  VALIDATION_ERROR(400),
  /** 403 {@code AccessDeniedException}: the request was signed with a denied access key. */
  ACCESS_DENIED(403),
  /** 404 {@code ResourceNotFoundException}: unknown agent runtime ARN, qualifier or operation. */
  NOT_FOUND(404);

  private final int statusCode;

  Outcome(int statusCode) {
    this.statusCode = statusCode;
  }

  /** The HTTP status sent, or 0 when no response was sent. */
  public int statusCode() {
    return statusCode;
  }

  /** The outcome that injecting {@code fault} produces. */
  public static Outcome of(Fault fault) {
    return switch (fault) {
      case INTERNAL_ERROR -> INTERNAL_ERROR;
      case AGENT_ERROR -> AGENT_ERROR;
      case MALFORMED_BODY -> MALFORMED_BODY;
      case DROPPED_CONNECTION -> DROPPED_CONNECTION;
    };
  }
}
