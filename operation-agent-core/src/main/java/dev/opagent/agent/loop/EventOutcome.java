package dev.opagent.agent.loop;

import dev.opagent.agent.feedback.Attribution;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link EventProcessor} did with one customer event: the actions it withdrew, the
 * interaction it attributed, and whether a triggered campaign decided something. Every event
 * accepted gets exactly one. Immutable.
 *
 * @param eventType the event's type
 * @param customerId the event's customer
 * @param eventAt when the event happened
 * @param stage how far the event went
 * @param detail the reason code of the best candidate when {@link Stage#NO_ACTION_CHOSEN}, the
 *     segment client's error code when {@link Stage#SEGMENTATION_FAILED}; null otherwise
 * @param actionKeys the idempotency keys of the actions chosen for the event and journalled, in the
 *     order chosen
 * @param deliveredNow of them, how many were delivered at once (they were due)
 * @param scheduled of them, how many wait for their due time ({@code delay_minutes})
 * @param cancelled the idempotency keys of the customer's pending actions the event withdrew
 * @param attribution how the interaction the event stands for was attributed; null when it stands
 *     for none or no feedback is recorded
 * @param decisionLatency from accepting the event to its actions being journalled (or to knowing
 *     there are none), on the wall clock
 */
public record EventOutcome(
    String eventType,
    String customerId,
    Instant eventAt,
    Stage stage,
    @Nullable String detail,
    List<String> actionKeys,
    int deliveredNow,
    int scheduled,
    List<String> cancelled,
    @Nullable Attribution attribution,
    Duration decisionLatency) {

  /** Copies the lists. */
  public EventOutcome {
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(eventAt, "eventAt");
    Objects.requireNonNull(stage, "stage");
    actionKeys = List.copyOf(actionKeys);
    cancelled = List.copyOf(cancelled);
    Objects.requireNonNull(decisionLatency, "decisionLatency");
  }

  /** How far an event went. */
  public enum Stage {
    /** No campaign triggers on the event's type; only its withdrawals and attribution happened. */
    NO_TRIGGER,
    /** A campaign triggers on it, but the customer directory does not know the customer. */
    UNKNOWN_CUSTOMER,
    /** The segment agent (and the segment store) had no analysis of the customer. */
    SEGMENTATION_FAILED,
    /** No triggered campaign's conditions held (or the event was older than its window). */
    NOT_ELIGIBLE,
    /** The customer is in a control group of every campaign it was eligible for. */
    HELD_OUT,
    /** Campaigns were eligible, but the guardrails chose no action (see {@code detail}). */
    NO_ACTION_CHOSEN,
    /** Actions were chosen and journalled: delivered now, or scheduled. */
    ACTIONS_PLANNED
  }
}
