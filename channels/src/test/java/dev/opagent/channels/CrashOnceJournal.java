package dev.opagent.channels;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.RunState;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A journal whose first completion fails as if the process died right after the channel returned:
 * the action was sent, but its completion never reached the journal. Everything else goes to the
 * shared journal underneath.
 */
public final class CrashOnceJournal implements ExecutionJournal {
  private final ExecutionJournal journal;
  private final AtomicBoolean crashed = new AtomicBoolean();

  public CrashOnceJournal(ExecutionJournal journal) {
    this.journal = journal;
  }

  /** Whether the crash happened. */
  public boolean crashed() {
    return crashed.get();
  }

  private void crashOnce() {
    if (crashed.compareAndSet(false, true)) {
      throw new IllegalStateException("simulated crash between send and completion");
    }
  }

  @Override
  public boolean complete(String key, String owner, DeliveryReceipt receipt, Instant now) {
    crashOnce();
    return journal.complete(key, owner, receipt, now);
  }

  @Override
  public boolean[] completeAll(List<Completion> completions, String owner, Instant now) {
    crashOnce();
    return journal.completeAll(completions, owner, now);
  }

  @Override
  public List<ExecutionRecord> enlist(List<ActionRequest> requests, Instant now) {
    return journal.enlist(requests, now);
  }

  @Override
  public Optional<ExecutionRecord> claim(
      String key, String owner, Instant now, Instant leaseUntil) {
    return journal.claim(key, owner, now, leaseUntil);
  }

  @Override
  public Set<String> claimAll(List<String> keys, String owner, Instant now, Instant leaseUntil) {
    return journal.claimAll(keys, owner, now, leaseUntil);
  }

  @Override
  public boolean renew(String key, String owner, Instant now, Instant leaseUntil) {
    return journal.renew(key, owner, now, leaseUntil);
  }

  @Override
  public Set<String> renewAll(
      Collection<String> keys, String owner, Instant now, Instant leaseUntil) {
    return journal.renewAll(keys, owner, now, leaseUntil);
  }

  @Override
  public boolean attemptFailed(String key, String owner, String error, Instant now) {
    return journal.attemptFailed(key, owner, error, now);
  }

  @Override
  public boolean fail(String key, String owner, String error, Instant now) {
    return journal.fail(key, owner, error, now);
  }

  @Override
  public boolean cancel(String key, String reason, Instant now) {
    return journal.cancel(key, reason, now);
  }

  @Override
  public int recover(String runId, Instant now) {
    return journal.recover(runId, now);
  }

  @Override
  public Optional<ExecutionRecord> find(String key) {
    return journal.find(key);
  }

  @Override
  public List<String> openRuns() {
    return journal.openRuns();
  }

  @Override
  public List<ExecutionRecord> records(String runId) {
    return journal.records(runId);
  }

  @Override
  public List<ExecutionRecord> unfinished(String runId) {
    return journal.unfinished(runId);
  }

  @Override
  public List<ExecutionRecord> unfinishedAfter(String runId, @Nullable String afterKey, int limit) {
    return journal.unfinishedAfter(runId, afterKey, limit);
  }

  @Override
  public Map<ExecutionState, Long> counts(String runId) {
    return journal.counts(runId);
  }

  @Override
  public void runState(String runId, RunState state, Instant now) {
    journal.runState(runId, state, now);
  }

  @Override
  public Optional<RunState> runState(String runId) {
    return journal.runState(runId);
  }
}
