package dev.opagent.agent.approval;

import dev.opagent.agent.spi.ApprovalStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link ApprovalStore} in memory: the default of {@link ApprovalGate}. Thread-safe; reads do
 * not lock, writes take one lock, so that the conditional writes are atomic among all gates of
 * the process that share this store. State is lost when the process ends, so production hosts
 * with several instances plug in a shared store.
 */
public final class InMemoryApprovalStore implements ApprovalStore {
  private final ConcurrentHashMap<String, ApprovalRequest> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ApprovalKey, String> latestByKey = new ConcurrentHashMap<>();
  private final List<AuditEvent> trail = new ArrayList<>();

  @Override
  public void save(ApprovalRequest request) {
    synchronized (trail) {
      if (byId.put(request.id(), request) == null) {
        latestByKey.put(request.key(), request.id());
      }
    }
  }

  @Override
  public Optional<ApprovalRequest> byId(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public Optional<ApprovalRequest> latest(ApprovalKey key) {
    String id = latestByKey.get(key);
    return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
  }

  @Override
  public void append(AuditEvent event) {
    synchronized (trail) {
      trail.add(event);
    }
  }

  @Override
  public List<AuditEvent> auditTrail() {
    synchronized (trail) {
      return List.copyOf(trail);
    }
  }

  @Override
  public boolean createIfNoneOpen(ApprovalRequest request, AuditEvent requested) {
    synchronized (trail) {
      return ApprovalStore.super.createIfNoneOpen(request, requested);
    }
  }

  @Override
  public boolean replaceIf(ApprovalStatus expected, ApprovalRequest updated, AuditEvent event) {
    synchronized (trail) {
      return ApprovalStore.super.replaceIf(expected, updated, event);
    }
  }
}
