package dev.opagent.agent.approval;

import java.util.List;
import java.util.Optional;

/**
 * Persistence of approval requests and their audit trail. Implementations must be thread-safe.
 * {@code InMemoryApprovalStore} is the default; {@code JdbcApprovalStore} of the operating store
 * keeps them in a database that several processes share.
 *
 * <p><b>Reads.</b> {@link #byId} and {@link #latest} are on the decision path (only for actions
 * that need an approval). A store of one process may serve them from memory; a store that several
 * processes share must return what any of them committed, so it either reads its database or keeps
 * a cache that the others' writes invalidate.
 *
 * <p><b>Writes.</b> The gate records every transition through {@link #createIfNoneOpen} and {@link
 * #replaceIf}, which are conditional: of two gates that record a transition of the same request at
 * once, exactly one succeeds and the other learns that it lost. Their default implementations check
 * and write in separate calls, which is atomic only while one gate writes to the store (a gate
 * serialises its own writes); a store that several gates or processes share must override both so
 * that the check, the write and the audit event are one atomic step (a lock, a transaction, a
 * conditional update, a unique constraint).
 */
public interface ApprovalStore {

  /**
   * Inserts a new request, which becomes the latest of its key, or replaces the stored request with
   * the same id, unconditionally. The gate itself uses {@link #createIfNoneOpen} and {@link
   * #replaceIf}.
   */
  void save(ApprovalRequest request);

  /** The request with {@code id}. */
  Optional<ApprovalRequest> byId(String id);

  /** The most recently created request for {@code key}. */
  Optional<ApprovalRequest> latest(ApprovalKey key);

  /** Appends an event to the audit trail. */
  void append(AuditEvent event);

  /** The whole audit trail, oldest first. */
  List<AuditEvent> auditTrail();

  /**
   * Records {@code request} as the new latest request of its key, and {@code requested} in the
   * audit trail, unless the key already has an open request: one whose stored status is {@link
   * ApprovalStatus#PENDING} or {@link ApprovalStatus#APPROVED}. Then nothing is recorded. The gate
   * marks an open request {@code EXPIRED} before it asks for a new one, so a key has at most one
   * open request, and it is the latest.
   *
   * <p>The default checks {@link #latest} and then calls {@link #save} and {@link #append}; it is
   * atomic only while one gate writes to the store. Stores shared by several gates or processes
   * override it.
   *
   * @param request a new {@code PENDING} request
   * @param requested its {@link AuditEvent.Type#REQUESTED} event
   * @return whether the request was recorded; false when the key already has an open request
   */
  default boolean createIfNoneOpen(ApprovalRequest request, AuditEvent requested) {
    Optional<ApprovalRequest> latest = latest(request.key());
    if (latest.isPresent() && isOpen(latest.get().status())) {
      return false;
    }
    save(request);
    append(requested);
    return true;
  }

  /**
   * Replaces the stored request with the same id as {@code updated}, and appends {@code event} to
   * the audit trail, only if the stored request's status is still {@code expected}: how a grant, a
   * rejection or an expiry is recorded exactly once when several gates decide the same request.
   *
   * <p>The default checks {@link #byId} and then calls {@link #save} and {@link #append}; it is
   * atomic only while one gate writes to the store. Stores shared by several gates or processes
   * override it.
   *
   * @param expected the stored status the transition starts from
   * @param updated the request after the transition
   * @param event the transition's audit event
   * @return whether the request was replaced; false when no request has the id or its stored status
   *     is no longer {@code expected}
   */
  default boolean replaceIf(ApprovalStatus expected, ApprovalRequest updated, AuditEvent event) {
    Optional<ApprovalRequest> current = byId(updated.id());
    if (current.isEmpty() || current.get().status() != expected) {
      return false;
    }
    save(updated);
    append(event);
    return true;
  }

  /**
   * Whether a request with stored status {@code status} is open: pending, or granted (until the
   * gate records its expiry).
   */
  static boolean isOpen(ApprovalStatus status) {
    return status == ApprovalStatus.PENDING || status == ApprovalStatus.APPROVED;
  }
}
