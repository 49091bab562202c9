package dev.opagent.agent.loop;

import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.agent.execution.ExecutionReport;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one round of the {@link OperationAgent} did, stage by stage. Immutable and thread-safe.
 *
 * <p>A round that was {@link #replanned() planned} in this call has one {@link #outcomes() outcome}
 * per customer in, in input order. A resumed round whose plan was already journalled only executes
 * what was left, so its planning counts are zero and its outcomes empty; its {@link #execution()}
 * tells what happened.
 *
 * @param runId the round
 * @param resumed whether the round was resumed from the journal
 * @param replanned whether customers were segmented and decided in this call
 * @param customers customers in
 * @param segmented customers with a segment analysis (including fallbacks)
 * @param fallback of {@code segmented}, those analysed by the local fallback segmenter
 * @param stored of {@code segmented}, those answered from the segment store ({@link
 *     dev.opagent.segment.Source#STORED}) instead of the agent: unchanged since a recent enough
 *     analysis, or the agent failed for them (also counted in {@code storedOnFailure}); 0 without a
 *     segment store
 * @param storedOnFailure of {@code stored}, those the agent failed with a retryable error and whose
 *     stored analysis of the same data, within the stale limit, was served instead
 * @param segmentationFailures customers without an analysis, by error code
 * @param eligibleByCampaign customers eligible per campaign
 * @param heldOut customers every matching campaign held out
 * @param chosen actions chosen
 * @param deferred actions deferred (approval pending, quiet hours, …)
 * @param blocked actions blocked by a guardrail
 * @param suppressed actions that lost to better ones or scored too low
 * @param notChosenByReason blocked, deferred and suppressed actions by their deciding reason
 * @param enlisted chosen actions waiting in the journal under this round, not yet attempted
 * @param alreadyJournalled chosen actions whose idempotency key was already delivered, failed,
 *     cancelled or planned by another round (a re-run of the same plan): not sent again
 * @param execution what delivery did
 * @param outcomes one per customer in, in input order
 * @param elapsed how long the round took
 */
public record RoundReport(
    String runId,
    boolean resumed,
    boolean replanned,
    long customers,
    long segmented,
    long fallback,
    long stored,
    long storedOnFailure,
    Map<String, Long> segmentationFailures,
    Map<String, Long> eligibleByCampaign,
    long heldOut,
    long chosen,
    long deferred,
    long blocked,
    long suppressed,
    Map<ReasonCode, Long> notChosenByReason,
    long enlisted,
    long alreadyJournalled,
    ExecutionReport execution,
    List<CustomerOutcome> outcomes,
    Duration elapsed) {

  /** Copies the collections. */
  public RoundReport {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(execution, "execution");
    segmentationFailures = Collections.unmodifiableMap(new TreeMap<>(segmentationFailures));
    eligibleByCampaign = Collections.unmodifiableMap(new TreeMap<>(eligibleByCampaign));
    notChosenByReason =
        notChosenByReason.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new EnumMap<>(notChosenByReason));
    outcomes = List.copyOf(outcomes);
  }

  /** Customers whose segmentation failed. */
  public long segmentationFailed() {
    return segmentationFailures.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Whether anything failed: a customer's segmentation or an action's delivery. */
  public boolean hasFailures() {
    return segmentationFailed() > 0 || execution.failed() > 0;
  }
}
