package dev.opagent.agent.feedback;

/** What a customer did with (or what happened to) a delivered action. */
public enum InteractionType {
  /**
   * A channel's asynchronous delivery confirmation (an email provider's "delivered" webhook).
   * Delivered counts come from {@link FeedbackLoop#recordDelivery}; a confirmation is attributed
   * and counted in the attribution counts only.
   */
  DELIVERED,
  /** The message was opened. Counted once per action. */
  OPENED,
  /** A link in the message was clicked. Counted once per action. */
  CLICKED,
  /** The action's coupon or discount code was redeemed. Counted once per action. */
  COUPON_USED,
  /** The customer bought: the outcome conversion rates, revenue and ROI are about. */
  CONVERTED
}
