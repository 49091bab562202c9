package dev.opagent.agent.execution;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one {@link ExecutionService#execute} pass did for a run. Immutable and thread-safe.
 *
 * <p>Every unfinished action of the run ends up in exactly one of {@code completed}, {@code
 * failed}, {@code cancelled}, {@code notDue} (planned for later; still pending) or {@code
 * heldElsewhere} (another executor holds its claim), so their sum is {@code considered}.
 *
 * @param runId the run
 * @param considered unfinished actions found in the journal when the pass started
 * @param completed delivered in this pass (including duplicates the channel recognised)
 * @param duplicates of {@code completed}, those the channel had already delivered before
 * @param failed failed after their last attempt, or permanently
 * @param cancelled withdrawn before delivery (an approval that no longer holds)
 * @param notDue planned for later than now; left pending for a later pass
 * @param heldElsewhere claimed by another executor; left to it
 * @param attempts delivery attempts made in this pass
 * @param retries of {@code attempts}, those that repeated a failed one
 * @param failures failed actions by cause (the last error, without personal data)
 * @param completedByChannel completed actions by channel name
 * @param elapsed how long the pass took
 */
public record ExecutionReport(
    String runId,
    long considered,
    long completed,
    long duplicates,
    long failed,
    long cancelled,
    long notDue,
    long heldElsewhere,
    long attempts,
    long retries,
    Map<String, Long> failures,
    Map<String, Long> completedByChannel,
    Duration elapsed) {

  /** Copies the maps, sorted by key. */
  public ExecutionReport {
    Objects.requireNonNull(runId, "runId");
    failures = java.util.Collections.unmodifiableMap(new TreeMap<>(failures));
    completedByChannel = java.util.Collections.unmodifiableMap(new TreeMap<>(completedByChannel));
  }

  /** Whether every action considered reached a terminal state without failing. */
  public boolean isClean() {
    return failed == 0 && cancelled == 0 && notDue == 0 && heldElsewhere == 0;
  }
}
