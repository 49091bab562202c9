package dev.opagent.agent.event;

import dev.opagent.agent.Channel;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.rules.Rule;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.Trigger;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which of a customer's pending actions an event withdraws, for {@link
 * ExecutionService#cancelPending}: an event whose type a campaign's {@link Trigger#cancelOn()}
 * names withdraws that campaign's actions (a purchase before the cart reminder is due), and an
 * {@value CustomerEvent#UNSUBSCRIBE} withdraws the actions on the channel it names or, without one,
 * on every contact channel (every channel but the library's discount, recommendation and ticket
 * channels: withdrawing one contact too many is the safe mistake). Thread-safe.
 *
 * <pre>{@code
 * List<String> withdrawn = executor.cancelPending(
 *     event.customerId(), EventCancellations.of(rules.current(), event), EventCancellations.reason(event));
 * }</pre>
 */
public final class EventCancellations {
  private static final Set<String> NOT_CONTACTS =
      Set.of(Channel.DISCOUNT.id(), Channel.RECOMMENDATION.id(), Channel.TICKET.id());

  private EventCancellations() {}

  /** The pending actions of {@code event}'s customer that {@code event} withdraws. */
  public static Predicate<ActionRequest> of(RuleSet rules, CustomerEvent event) {
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(event, "event");
    if (CustomerEvent.UNSUBSCRIBE.equals(event.type())) {
      String channel = event.unsubscribedChannel();
      return channel != null
          ? r -> r.channel().equals(channel)
          : r -> !NOT_CONTACTS.contains(r.channel());
    }
    List<String> campaigns =
        rules.rules().stream()
            .filter(
                rule -> {
                  Trigger t = rule.trigger();
                  return t != null && t.cancelledBy(event.type());
                })
            .map(Rule::id)
            .toList();
    return campaigns.isEmpty() ? r -> false : r -> campaigns.contains(r.campaign());
  }

  /** The reason recorded on each withdrawn action: the event's type and time, no personal data. */
  public static String reason(CustomerEvent event) {
    return "cancelled by a " + event.type() + " event at " + event.at();
  }
}
