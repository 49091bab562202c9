package dev.opagent.converse;

import org.jspecify.annotations.Nullable;

/** Maps the model service's error answers onto {@link ConverseErrorCode}s and messages. */
final class ModelErrors {
  private ModelErrors() {}

  static final String IAM_HINT =
      " (allow bedrock:InvokeModel on the model or inference profile for these credentials, and"
          + " enable access to the model in the Bedrock console of this region)";

  /**
   * The failure an error answer stands for: its code from {@code type} and {@code status}, and a
   * message that says what to check. The service's explanation is added for access, resource and
   * quota errors; for a refused request ({@code ValidationException}) and model errors, which may
   * quote the conversation, only with payload logging on.
   */
  static ConverseException serviceError(
      int status,
      String type,
      @Nullable String serviceMessage,
      @Nullable String requestId,
      int attempts,
      boolean payloadLogging,
      String modelId,
      @Nullable Throwable cause) {
    ConverseErrorCode code = codeFor(type, status);
    StringBuilder message = new StringBuilder("the model service answered ").append(status);
    if (!type.isEmpty()) {
      message.append(' ').append(type);
    }
    message.append(" for model ").append(modelId);
    if (attempts > 1) {
      message.append(" after ").append(attempts).append(" attempts");
    }
    boolean explain =
        payloadLogging
            || code == ConverseErrorCode.ACCESS_DENIED
            || code == ConverseErrorCode.NOT_FOUND
            || code == ConverseErrorCode.QUOTA_EXCEEDED;
    if (explain && serviceMessage != null && !serviceMessage.isBlank()) {
      message
          .append(": ")
          .append(
              serviceMessage.length() > 300
                  ? serviceMessage.substring(0, 300) + "…"
                  : serviceMessage);
    }
    message.append(hint(code, payloadLogging));
    return new ConverseException(
        code, message.toString(), attempts, requestId, status, null, cause);
  }

  static ConverseErrorCode codeFor(String type, int status) {
    switch (type) {
      case "ThrottlingException":
        return ConverseErrorCode.THROTTLED;
      case "ServiceQuotaExceededException":
        return ConverseErrorCode.QUOTA_EXCEEDED;
      case "ValidationException":
        return ConverseErrorCode.INVALID_REQUEST;
      case "AccessDeniedException":
        return ConverseErrorCode.ACCESS_DENIED;
      case "ResourceNotFoundException":
        return ConverseErrorCode.NOT_FOUND;
      case "ModelNotReadyException":
        return ConverseErrorCode.MODEL_NOT_READY;
      case "ModelTimeoutException":
        return ConverseErrorCode.MODEL_TIMEOUT;
      case "ModelErrorException":
        return ConverseErrorCode.MODEL_ERROR;
      case "InternalServerException":
      case "ServiceUnavailableException":
        return ConverseErrorCode.SERVICE_UNAVAILABLE;
      default:
        break;
    }
    if (status == 429) {
      return ConverseErrorCode.THROTTLED;
    }
    if (status == 401 || status == 403) {
      return ConverseErrorCode.ACCESS_DENIED;
    }
    if (status == 404) {
      return ConverseErrorCode.NOT_FOUND;
    }
    if (status == 408) {
      return ConverseErrorCode.MODEL_TIMEOUT;
    }
    if (status == 424) {
      return ConverseErrorCode.MODEL_ERROR;
    }
    if (status >= 500) {
      return ConverseErrorCode.SERVICE_UNAVAILABLE;
    }
    return ConverseErrorCode.INVALID_REQUEST;
  }

  private static String hint(ConverseErrorCode code, boolean payloadLogging) {
    return switch (code) {
      case THROTTLED ->
          " (the account's requests or tokens per minute for this model are exhausted: lower the"
              + " request rate, use a cross-region inference profile or ask for a quota increase)";
      case INVALID_REQUEST ->
          " (check the model id, that the model supports tool use and system prompts, the"
              + " inference configuration and the tools' input schemas"
              + (payloadLogging ? ")" : "; turn payload logging on to see the service's reason)");
      case ACCESS_DENIED -> IAM_HINT;
      case NOT_FOUND -> " (check the model id or inference profile and the region)";
      case QUOTA_EXCEEDED -> " (an account quota is exhausted; ask for a quota increase)";
      case MODEL_ERROR -> " (the model failed on this conversation; try another model or prompt)";
      case SERVICE_UNAVAILABLE, MODEL_NOT_READY, MODEL_TIMEOUT ->
          " (the service or model is unavailable; try again later)";
      default -> "";
    };
  }
}
