package dev.opagent.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What makes a rule event-triggered, as a rule file's {@code "trigger": {"event": "cart_abandoned",
 * "within": "PT1H", "cancel_on": ["purchase"]}}. A rule with a trigger never applies in a round
 * ({@link CampaignEvaluator#evaluate(RuleSet, String, dev.opagent.rules.spi.Attributes)} says
 * {@link Verdict.InactiveCause#AWAITING_EVENT}); it is evaluated when an event of type {@code
 * event} arrives for the customer ({@link CampaignEvaluator#evaluateEvent}) and applies when the
 * event is at most {@code within} old then, so a replayed or late event does not start a campaign
 * long after the moment has passed. Its delayed actions are cancelled when one of the {@code
 * cancelOn} events arrives for the customer before they are due (a purchase before the cart
 * reminder goes out). Immutable and thread-safe.
 *
 * @param event the event type that fires the rule: lowercase letters, digits and {@code _}
 * @param within how old the event may be when the rule is evaluated; positive
 * @param cancelOn event types that cancel the rule's actions still waiting for their delay
 */
public record Trigger(String event, Duration within, List<String> cancelOn) {

  /** Allowed event types: {@code purchase}, {@code cart_abandoned}, {@code email_open}, … */
  public static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  public Trigger {
    if (!EVENT_TYPE.matcher(event).matches()) {
      throw new IllegalArgumentException(
          "trigger event must match " + EVENT_TYPE + " but was '" + event + "'");
    }
    if (within.isNegative() || within.isZero()) {
      throw new IllegalArgumentException("trigger within must be positive but was " + within);
    }
    cancelOn = List.copyOf(cancelOn);
    for (String c : cancelOn) {
      if (!EVENT_TYPE.matcher(c).matches()) {
        throw new IllegalArgumentException(
            "trigger cancel_on event must match " + EVENT_TYPE + " but was '" + c + "'");
      }
    }
  }

  /** A trigger on {@code event} at most {@code within} old, cancelled by nothing. */
  public static Trigger on(String event, Duration within) {
    return new Trigger(event, within, List.of());
  }

  /**
   * Whether an event of {@code type} that happened at {@code at} fires this trigger when evaluated
   * at {@code now}: the type matches and the event is at most {@link #within} old. An event stamped
   * after {@code now} (a producer's clock ahead of this one) counts as fresh.
   */
  public boolean firedBy(String type, Instant at, Instant now) {
    return event.equals(type) && !at.plus(within).isBefore(now);
  }

  /** Whether an event of {@code type} cancels this rule's waiting actions. */
  public boolean cancelledBy(String type) {
    return cancelOn.contains(type);
  }
}
