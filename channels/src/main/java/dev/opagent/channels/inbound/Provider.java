package dev.opagent.channels.inbound;

/** The providers whose webhooks are received, with their route and the secret each needs. */
public enum Provider {
  /** Shopify webhooks, signed with the app's client secret (HMAC-SHA256). */
  SHOPIFY("shopify", "/webhooks/shopify", "SHOPIFY_WEBHOOK_SECRET"),
  /** The SendGrid Event Webhook, signed with SendGrid's ECDSA key (its public key verifies). */
  SENDGRID("sendgrid", "/webhooks/sendgrid", "SENDGRID_WEBHOOK_PUBLIC_KEY"),
  /** Twilio status callbacks and incoming messages, signed with the auth token (HMAC-SHA1). */
  TWILIO("twilio", "/webhooks/twilio", "TWILIO_AUTH_TOKEN");

  private final String id;
  private final String path;
  private final String environmentVariable;

  Provider(String id, String path, String environmentVariable) {
    this.id = id;
    this.path = path;
    this.environmentVariable = environmentVariable;
  }

  /** The provider's id, such as {@code sendgrid}. */
  public String id() {
    return id;
  }

  /** The route of {@link WebhookServer}, such as {@code /webhooks/sendgrid}. */
  public String path() {
    return path;
  }

  /** The environment variable {@link WebhookSecrets#fromEnvironment()} reads the secret from. */
  public String environmentVariable() {
    return environmentVariable;
  }
}
