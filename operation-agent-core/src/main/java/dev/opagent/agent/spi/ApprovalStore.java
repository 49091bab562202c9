package dev.opagent.agent.spi;

import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.AuditEvent;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of approval requests and their audit trail. Implementations must be thread-safe;
 * reads ({@link #byId}, {@link #latest}) are on the decision hot path and should be served from
 * memory. The gate serialises writes, so an implementation needs no transactions across calls.
 * {@code InMemoryApprovalStore} is the default.
 */
public interface ApprovalStore {

  /**
   * Inserts a new request, which becomes the latest of its key, or replaces the stored request
   * with the same id.
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
}
