package dev.opagent.agent.approval;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link ApprovalStore} in memory: the default of {@link ApprovalGate}. Thread-safe; reads do
 * not lock, writes take one lock, so that the conditional writes are atomic among all gates of the
 * process that share this store. State is lost when the process ends, so production hosts that
 * restart or run several instances use a durable store (the {@code operating-store} module's {@code
 * JdbcApprovalStore}).
 *
 * <p><b>Bounded.</b> The store holds at most {@code maxRequests} requests (default {@value
 * #DEFAULT_MAX_REQUESTS}) and {@code maxAuditEvents} audit events (default {@value
 * #DEFAULT_MAX_AUDIT_EVENTS}). When requests reach their maximum, it forgets the oldest superseded
 * ones — requests that are no longer the latest of their key, so no decision reads them any more
 * (they stay in the audit trail; {@link #byId} no longer finds them). The audit trail is never
 * shortened: it is the record of who decided what. A write that would pass a maximum with nothing
 * left to forget throws {@link ApprovalStoreFullException} and records nothing, so a guarantee
 * never lapses silently.
 */
public final class InMemoryApprovalStore implements ApprovalStore {
  /** The default maximum of requests held: {@value}. */
  public static final int DEFAULT_MAX_REQUESTS = 100_000;

  /** The default maximum of audit events held: {@value}. */
  public static final int DEFAULT_MAX_AUDIT_EVENTS = 1_000_000;

  private final int maxRequests;
  private final int maxAuditEvents;
  private final ConcurrentHashMap<String, ApprovalRequest> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ApprovalKey, String> latestByKey = new ConcurrentHashMap<>();
  private final List<AuditEvent> trail = new ArrayList<>();

  /** Ids of requests no longer the latest of their key, oldest superseded first. Guarded. */
  private final ArrayDeque<String> superseded = new ArrayDeque<>();

  /** A store with {@link #DEFAULT_MAX_REQUESTS} and {@link #DEFAULT_MAX_AUDIT_EVENTS}. */
  public InMemoryApprovalStore() {
    this(DEFAULT_MAX_REQUESTS, DEFAULT_MAX_AUDIT_EVENTS);
  }

  /**
   * A store holding at most {@code maxRequests} requests and {@code maxAuditEvents} audit events.
   *
   * @throws IllegalArgumentException when either is not positive
   */
  public InMemoryApprovalStore(int maxRequests, int maxAuditEvents) {
    if (maxRequests <= 0) {
      throw new IllegalArgumentException("maxRequests must be positive but was " + maxRequests);
    }
    if (maxAuditEvents <= 0) {
      throw new IllegalArgumentException(
          "maxAuditEvents must be positive but was " + maxAuditEvents);
    }
    this.maxRequests = maxRequests;
    this.maxAuditEvents = maxAuditEvents;
  }

  /**
   * {@inheritDoc}
   *
   * @throws ApprovalStoreFullException when the request is new, the store holds {@code maxRequests}
   *     and none of them is superseded
   */
  @Override
  public void save(ApprovalRequest request) {
    synchronized (trail) {
      requireRoom(request, 0);
      put(request);
    }
  }

  private void put(ApprovalRequest request) {
    if (byId.put(request.id(), request) == null) {
      String previous = latestByKey.put(request.key(), request.id());
      if (previous != null && !previous.equals(request.id())) {
        superseded.addLast(previous);
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

  /**
   * {@inheritDoc}
   *
   * @throws ApprovalStoreFullException when the trail holds {@code maxAuditEvents}
   */
  @Override
  public void append(AuditEvent event) {
    synchronized (trail) {
      requireRoom(null, 1);
      trail.add(event);
    }
  }

  @Override
  public List<AuditEvent> auditTrail() {
    synchronized (trail) {
      return List.copyOf(trail);
    }
  }

  /** {@inheritDoc} Checks room for the request and its event first; records both or nothing. */
  @Override
  public boolean createIfNoneOpen(ApprovalRequest request, AuditEvent requested) {
    synchronized (trail) {
      Optional<ApprovalRequest> latest = latest(request.key());
      if (latest.isPresent() && ApprovalStore.isOpen(latest.get().status())) {
        return false;
      }
      requireRoom(request, 1);
      put(request);
      trail.add(requested);
      return true;
    }
  }

  /** {@inheritDoc} Checks room for the event first; records both or nothing. */
  @Override
  public boolean replaceIf(ApprovalStatus expected, ApprovalRequest updated, AuditEvent event) {
    synchronized (trail) {
      Optional<ApprovalRequest> current = byId(updated.id());
      if (current.isEmpty() || current.get().status() != expected) {
        return false;
      }
      requireRoom(updated, 1);
      put(updated);
      trail.add(event);
      return true;
    }
  }

  /** How many requests are held. */
  public int requestCount() {
    return byId.size();
  }

  /**
   * Makes room for {@code request} (when new) and {@code events} audit events, forgetting
   * superseded requests if needed, or throws having changed nothing that matters.
   */
  private void requireRoom(@org.jspecify.annotations.Nullable ApprovalRequest request, int events) {
    if (trail.size() + events > maxAuditEvents) {
      throw new ApprovalStoreFullException(
          "the approval audit trail holds "
              + trail.size()
              + " events, its maximum (maxAuditEvents "
              + maxAuditEvents
              + "); nothing was recorded:"
              + " raise the maximum or use a durable approval store",
          maxAuditEvents);
    }
    if (request == null || byId.containsKey(request.id())) {
      return;
    }
    while (byId.size() >= maxRequests && !superseded.isEmpty()) {
      String id = superseded.pollFirst();
      ApprovalRequest old = byId.get(id);
      if (old != null && !id.equals(latestByKey.get(old.key()))) {
        byId.remove(id);
      }
    }
    if (byId.size() >= maxRequests) {
      throw new ApprovalStoreFullException(
          "the approval store holds "
              + byId.size()
              + " requests, its maximum (maxRequests "
              + maxRequests
              + "), each the latest of its"
              + " key; nothing was recorded: raise the maximum or use a durable approval store",
          maxRequests);
    }
  }
}
