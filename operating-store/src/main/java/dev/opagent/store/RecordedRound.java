package dev.opagent.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one round planned, as the store recorded it from the round's report: customers in, how
 * segmentation went, the customers each campaign found eligible, and what the guardrails made of
 * the candidate actions. Delivery is not in it: the journal has it, action by action. Immutable and
 * thread-safe.
 *
 * @param runId the round
 * @param recordedAt when the round finished, by the clock of the agent that ran it
 * @param resumed whether it was a round planned again after its process died
 * @param customers customers in
 * @param segmented customers with a segment analysis (fallbacks included)
 * @param fallback of {@code segmented}, those analysed by the local fallback segmenter
 * @param segmentationFailed customers without an analysis
 * @param heldOut customers every matching campaign held out
 * @param chosen actions chosen
 * @param deferred actions deferred (approval pending, quiet hours, …)
 * @param blocked actions blocked by a guardrail
 * @param suppressed actions that lost to better ones or scored too low
 * @param eligibleByCampaign customers eligible per campaign (rule id), sorted
 * @param notChosenByReason blocked, deferred and suppressed actions by their deciding reason code,
 *     sorted
 * @param elapsed how long the round took
 */
public record RecordedRound(
    String runId,
    Instant recordedAt,
    boolean resumed,
    long customers,
    long segmented,
    long fallback,
    long segmentationFailed,
    long heldOut,
    long chosen,
    long deferred,
    long blocked,
    long suppressed,
    Map<String, Long> eligibleByCampaign,
    Map<String, Long> notChosenByReason,
    Duration elapsed) {

  /** Copies the maps, sorted. */
  public RecordedRound {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(recordedAt, "recordedAt");
    Objects.requireNonNull(elapsed, "elapsed");
    eligibleByCampaign = Collections.unmodifiableMap(new TreeMap<>(eligibleByCampaign));
    notChosenByReason = Collections.unmodifiableMap(new TreeMap<>(notChosenByReason));
  }
}
