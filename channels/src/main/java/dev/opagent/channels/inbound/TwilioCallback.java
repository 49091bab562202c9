package dev.opagent.channels.inbound;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A Twilio message webhook: a status callback of a message sent ({@code MessageStatus}) or an
 * incoming message ({@code Body}), with the query parameters of the callback URL that the outbound
 * channel set. Immutable. Its {@link #toString()} leaves out the phone numbers and the body.
 *
 * @param messageSid {@code MessageSid} (or {@code SmsSid})
 * @param status {@code MessageStatus} (or {@code SmsStatus}) in lower case, such as {@code
 *     delivered}; {@code received} for an incoming message
 * @param errorCode {@code ErrorCode}, such as {@code 21610}; null when none
 * @param to {@code To}; null when absent
 * @param from {@code From}; null when absent
 * @param body {@code Body} of an incoming message; null for a status callback
 * @param optOutType {@code OptOutType} of an incoming message (Twilio's Advanced Opt-Out: {@code
 *     STOP}, {@code START}, {@code HELP}); null when absent
 * @param key the {@link WebhookParameters#KEY} of the callback URL's query; null when absent
 * @param customerId the {@link WebhookParameters#CUSTOMER} of the query; null when absent
 * @param campaign the {@link WebhookParameters#CAMPAIGN} of the query; null when absent
 */
public record TwilioCallback(
    String messageSid,
    String status,
    @Nullable String errorCode,
    @Nullable String to,
    @Nullable String from,
    @Nullable String body,
    @Nullable String optOutType,
    @Nullable String key,
    @Nullable String customerId,
    @Nullable String campaign) {

  /** The error code of a message to a recipient who replied STOP (an unsubscribed recipient). */
  public static final String UNSUBSCRIBED_RECIPIENT = "21610";

  /** The statuses of a message sent that Twilio reports. */
  public static final Set<String> STATUSES =
      Set.of(
          "accepted",
          "scheduled",
          "canceled",
          "queued",
          "sending",
          "sent",
          "failed",
          "delivered",
          "undelivered",
          "receiving",
          "received",
          "read",
          "partially_delivered");

  /** The replies Twilio's default opt-out handling treats as STOP. */
  public static final Set<String> STOP_WORDS =
      Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE");

  /** Checks the values. */
  public TwilioCallback {
    Objects.requireNonNull(messageSid, "messageSid");
    Objects.requireNonNull(status, "status");
  }

  /** Whether this is an incoming message (not a status callback of a message sent). */
  public boolean isIncoming() {
    return "received".equals(status) || "receiving".equals(status);
  }

  /**
   * Whether the recipient withdrew consent: a message refused with {@value
   * #UNSUBSCRIBED_RECIPIENT}, or an incoming STOP (by {@code OptOutType} or by its words).
   */
  public boolean isStop() {
    if (isIncoming()) {
      if (optOutType != null) {
        return "STOP".equalsIgnoreCase(optOutType);
      }
      return body != null && STOP_WORDS.contains(body.trim().toUpperCase(Locale.ROOT));
    }
    return UNSUBSCRIBED_RECIPIENT.equals(errorCode)
        && ("undelivered".equals(status) || "failed".equals(status));
  }

  /**
   * Reads a webhook's POST parameters and its URL's query parameters.
   *
   * @throws WebhookException 400 naming the parameter that is missing or not valid
   */
  static TwilioCallback parse(List<Http.Param> post, List<Http.Param> query) {
    String sid = or(Http.first(post, "MessageSid"), Http.first(post, "SmsSid"));
    if (sid == null || sid.isBlank()) {
      throw WebhookException.badRequest("MessageSid", "is required");
    }
    String status = or(Http.first(post, "MessageStatus"), Http.first(post, "SmsStatus"));
    String body = Http.first(post, "Body");
    if (status == null || status.isBlank()) {
      if (body == null) {
        throw WebhookException.badRequest("MessageStatus", "is required for a status callback");
      }
      status = "received";
    }
    status = status.trim().toLowerCase(Locale.ROOT);
    if (!STATUSES.contains(status)) {
      throw WebhookException.badRequest(
          "MessageStatus", "must be one of queued, sent, delivered, undelivered, failed, …");
    }
    String error = Http.first(post, "ErrorCode");
    if (error != null && (error.isBlank() || !error.trim().chars().allMatch(Character::isDigit))) {
      throw WebhookException.badRequest("ErrorCode", "must be a number");
    }
    return new TwilioCallback(
        sid,
        status,
        error == null ? null : error.trim(),
        blankToNull(Http.first(post, "To")),
        blankToNull(Http.first(post, "From")),
        body,
        blankToNull(Http.first(post, "OptOutType")),
        blankToNull(Http.first(query, WebhookParameters.KEY)),
        blankToNull(Http.first(query, WebhookParameters.CUSTOMER)),
        blankToNull(Http.first(query, WebhookParameters.CAMPAIGN)));
  }

  private static @Nullable String or(@Nullable String a, @Nullable String b) {
    return a != null ? a : b;
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  @Override
  public String toString() {
    return "TwilioCallback[messageSid="
        + messageSid
        + ", status="
        + status
        + ", errorCode="
        + errorCode
        + ", incoming="
        + isIncoming()
        + ", key="
        + key
        + "]";
  }
}
