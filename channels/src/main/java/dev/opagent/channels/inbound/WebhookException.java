package dev.opagent.channels.inbound;

import org.jspecify.annotations.Nullable;

/**
 * A webhook refused: a signature that does not verify ({@code 401}) or input that cannot be read
 * ({@code 400}, naming the field). The message names the header or field and what it must be, never
 * the value it held (webhooks carry personal data and secrets). Unchecked; immutable.
 */
public final class WebhookException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String field;

  private WebhookException(int status, String field, String problem) {
    super(field.isEmpty() ? problem : field + " " + problem, null, false, false);
    this.status = status;
    this.field = field;
  }

  /** A request whose signature does not verify, or that has none: {@code 401}. */
  public static WebhookException unauthorized(String header, String problem) {
    return new WebhookException(401, header, problem);
  }

  /** A request that cannot be read: {@code 400}, naming the field or header. */
  public static WebhookException badRequest(String field, String problem) {
    return new WebhookException(400, field, problem);
  }

  /** The HTTP status to answer with: 401 or 400. */
  public int status() {
    return status;
  }

  /**
   * The header or field at fault, such as {@code X-Shopify-Hmac-Sha256} or {@code [2].timestamp}.
   */
  public String field() {
    return field;
  }

  /** The field at fault, or null for the request as a whole. */
  @Nullable String fieldOrNull() {
    return field.isEmpty() ? null : field;
  }
}
