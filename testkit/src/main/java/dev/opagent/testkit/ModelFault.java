package dev.opagent.testkit;

/**
 * An error answer of the {@link ConverseSimulator}, as Amazon Bedrock Runtime sends it: the HTTP
 * status, {@code x-amzn-ErrorType} and a JSON body {@code {"message": "..."}}. Thread-safe (an
 * enum).
 */
public enum ModelFault {
  /** 429 {@code ThrottlingException}: the account's request or token rate was exceeded. */
  THROTTLING(429, "ThrottlingException", "Too many requests, please wait before trying again."),
  /** 500 {@code InternalServerException}. */
  INTERNAL_ERROR(500, "InternalServerException", "The server encountered an internal error."),
  /** 503 {@code ServiceUnavailableException}. */
  SERVICE_UNAVAILABLE(503, "ServiceUnavailableException", "The service is unavailable."),
  /** 408 {@code ModelTimeoutException}: the model took too long to answer. */
  MODEL_TIMEOUT(408, "ModelTimeoutException", "Model has timed out in processing the request."),
  /** 400 {@code ValidationException}: the request does not satisfy the API's constraints. */
  VALIDATION(400, "ValidationException", "The provided request is not valid."),
  /** 403 {@code AccessDeniedException}: the credentials may not invoke the model. */
  ACCESS_DENIED(
      403,
      "AccessDeniedException",
      "You don't have access to the model with the specified model ID."),
  /** 404 {@code ResourceNotFoundException}: no such model (or inference profile). */
  NOT_FOUND(404, "ResourceNotFoundException", "The requested resource could not be found.");

  private final int status;
  private final String errorType;
  private final String message;

  ModelFault(int status, String errorType, String message) {
    this.status = status;
    this.errorType = errorType;
    this.message = message;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The {@code x-amzn-ErrorType} header's value. */
  public String errorType() {
    return errorType;
  }

  /** The body's {@code message}. */
  public String message() {
    return message;
  }
}
