package dev.opagent.agent.approval;

/** Where an approval stands. Immutable and thread-safe. */
public enum ApprovalStatus {
  /** Nobody asked for this key yet (or every request was superseded). */
  NOT_REQUESTED,
  /** Asked and waiting for a decision until the request's deadline. */
  PENDING,
  /** Granted and still valid: the action may run. */
  APPROVED,
  /** Rejected: the action must not run until a new request is granted. */
  REJECTED,
  /** The request was not decided before its deadline, or the grant's validity ran out. */
  EXPIRED
}
