package dev.opagent.channels.inbound;

/**
 * The names the outbound channels put on what they send so that the provider's webhooks can be
 * matched to the action: SendGrid {@code custom_args} (which come back as fields of every event)
 * and the query of a Twilio {@code StatusCallback} URL. The idempotency key is enough: the campaign
 * and the customer are read from the journal when the receiver has one ({@link ActionLookup}); the
 * others are read when it has none.
 */
public final class WebhookParameters {
  /** The action's idempotency key: SendGrid custom arg and Twilio callback query parameter. */
  public static final String KEY = "opagent_key";

  /** The run that planned the action (SendGrid custom arg; optional). */
  public static final String RUN = "opagent_run";

  /** The action's campaign (rule id) (SendGrid custom arg or Twilio query parameter; optional). */
  public static final String CAMPAIGN = "opagent_campaign";

  /**
   * The host's customer id (SendGrid custom arg or Twilio query parameter; optional, read only when
   * the key is not found in the journal). An opaque id, never an address: custom args are not
   * treated as personal data by the provider.
   */
  public static final String CUSTOMER = "opagent_customer";

  /** The data field of a purchase event read from a Shopify order that lists its discount codes. */
  public static final String DISCOUNT_CODES = "discountCodes";

  /** The data field of an event read from a webhook that names the provider it came from. */
  public static final String SOURCE = "source";

  /** The data field of an unsubscribe read from a webhook that names the provider's event. */
  public static final String REASON = "reason";

  /** The data field of an event that names the action it belongs to (see the event processor). */
  public static final String ACTION_KEY = "actionKey";

  private WebhookParameters() {}
}
