package dev.opagent.agent;

import java.util.Objects;

/**
 * Where an action reaches the customer, or what it changes: an open set with constants for the
 * channels of the operations-agent design (email, SMS, push and in-app messages, service follow-ups
 * by phone, discount codes, on-site recommendations, tickets). Immutable and thread-safe.
 *
 * <p>A <b>contact</b> channel reaches the customer: consent, frequency caps and quiet hours apply
 * to it, and it counts as a contact in the history. A non-contact channel (a discount code, an
 * on-site recommendation, an internal ticket) changes something without messaging the customer;
 * within a campaign it rides along with the campaign's contact action (see {@link
 * dev.opagent.agent.engine.PlannedAction}).
 *
 * @param id stable name, lower case, for example {@code email}
 * @param contact whether the channel messages the customer
 */
public record Channel(String id, boolean contact) {
  /** E-mail (contact). */
  public static final Channel EMAIL = new Channel("email", true);

  /** Text message (contact). */
  public static final Channel SMS = new Channel("sms", true);

  /** Mobile push notification (contact). */
  public static final Channel PUSH = new Channel("push", true);

  /** Message inside the shop or app (contact). */
  public static final Channel IN_APP = new Channel("in_app", true);

  /** A person calls the customer: service follow-up, dedicated agent (contact). */
  public static final Channel PHONE = new Channel("phone", true);

  /** A discount code is created (not a contact by itself). */
  public static final Channel DISCOUNT = new Channel("discount", false);

  /** On-site product recommendations are changed (not a contact). */
  public static final Channel RECOMMENDATION = new Channel("recommendation", false);

  /** An internal task or ticket is created (not a contact). */
  public static final Channel TICKET = new Channel("ticket", false);

  public Channel {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("channel id must not be blank");
    }
  }

  /** A contact channel of the host's own, such as {@code whatsapp}. */
  public static Channel contact(String id) {
    return new Channel(id, true);
  }

  /** A non-contact channel of the host's own, such as {@code crm_task}. */
  public static Channel internal(String id) {
    return new Channel(id, false);
  }

  @Override
  public String toString() {
    return id;
  }
}
