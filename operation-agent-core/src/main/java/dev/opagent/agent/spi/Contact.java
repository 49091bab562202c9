package dev.opagent.agent.spi;

import dev.opagent.agent.Channel;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One contact with a customer: what was sent when, on which channel, for which campaign, and what
 * it cost. Immutable and thread-safe.
 *
 * @param channel the channel; only contact channels count against frequency caps
 * @param at when it was sent (or is planned to be sent)
 * @param campaign the campaign (rule id)
 * @param actionType the action type, such as {@code send_email}
 * @param cost what it cost in the budget currency; zero when unknown
 */
public record Contact(
    Channel channel, Instant at, String campaign, String actionType, BigDecimal cost) {
  public Contact {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(campaign, "campaign");
    Objects.requireNonNull(actionType, "actionType");
    Objects.requireNonNull(cost, "cost");
  }

  /** A contact without a known cost. */
  public static Contact of(Channel channel, Instant at, String campaign, String actionType) {
    return new Contact(channel, at, campaign, actionType, BigDecimal.ZERO);
  }
}
