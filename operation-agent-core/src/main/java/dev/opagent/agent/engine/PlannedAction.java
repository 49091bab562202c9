package dev.opagent.agent.engine;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalScope;
import dev.opagent.agent.budget.Reservation;
import dev.opagent.rules.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One candidate action of a decision, ranked, scored and judged, with its explanation. Immutable
 * and thread-safe.
 *
 * <p>A candidate is one of the campaign rule's actions on a contact channel; the campaign's
 * non-contact actions (a discount code, an on-site recommendation) travel with it as {@link
 * #attachments()}, so "email with a 20% code" is one candidate whose cost and approval include the
 * code. A campaign without contact actions yields one candidate per action.
 *
 * @param customerId the customer
 * @param rank 1 for the highest score
 * @param campaign the campaign (rule id)
 * @param campaignName the rule's name
 * @param priority the rule's priority (0–100)
 * @param actionType the action type, such as {@code send_email}
 * @param channel the channel, or null when the action type maps to none (then blocked)
 * @param parameters the action's parameters from the rule
 * @param attachments non-contact actions of the campaign that go with this one
 * @param discountRate the discount offered by the action or its attachments (0.20 = 20%); 0 when
 *     none
 * @param delay the rule's delay
 * @param plannedAt when it would be sent: decision time + delay
 * @param score the score and its parts
 * @param status what became of it
 * @param verdicts the guardrail verdicts, in order; the last one decides unless all allow
 * @param reservation the budget reservation of a chosen action in a live run; null otherwise
 * @param approvalRequestId the approval request made or found for it, if any
 * @param approvalReason why it needs approval, if it does (without personal data)
 */
public record PlannedAction(
    String customerId,
    int rank,
    String campaign,
    String campaignName,
    int priority,
    String actionType,
    @Nullable Channel channel,
    Map<String, @Nullable Object> parameters,
    List<Action> attachments,
    double discountRate,
    Duration delay,
    Instant plannedAt,
    Score score,
    ActionStatus status,
    List<GuardrailVerdict> verdicts,
    @Nullable Reservation reservation,
    @Nullable String approvalRequestId,
    @Nullable String approvalReason) {

  public PlannedAction {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(campaign, "campaign");
    Objects.requireNonNull(status, "status");
    attachments = List.copyOf(attachments);
    verdicts = List.copyOf(verdicts);
  }

  /** Whether the action was chosen. */
  public boolean isChosen() {
    return status == ActionStatus.CHOSEN;
  }

  /** The verdict that decided a non-chosen action; for a chosen one, the last (allowing) one. */
  public @Nullable GuardrailVerdict deciding() {
    return verdicts.isEmpty() ? null : verdicts.get(verdicts.size() - 1);
  }

  /** For a deferred action, when it may pass; null otherwise. */
  public @Nullable Instant until() {
    GuardrailVerdict v = deciding();
    return status == ActionStatus.DEFERRED && v != null ? v.until() : null;
  }

  /** The reason of the deciding verdict, or {@link ReasonCode#PASSED} when chosen. */
  public ReasonCode reason() {
    GuardrailVerdict v = deciding();
    return status == ActionStatus.CHOSEN || v == null ? ReasonCode.PASSED : v.reason();
  }

  /** The approval key of this action in {@code scope}. */
  public ApprovalKey approvalKey(ApprovalScope scope) {
    return scope == ApprovalScope.CAMPAIGN
        ? ApprovalKey.campaign(campaign)
        : ApprovalKey.action(campaign, customerId, actionType);
  }
}
