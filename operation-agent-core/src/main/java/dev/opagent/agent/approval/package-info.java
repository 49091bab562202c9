/**
 * The approval gate every automated action above a threshold passes: requests, grants, rejections,
 * expiry and an append-only audit trail; the {@link dev.opagent.agent.approval.ApprovalThresholds
 * thresholds} and {@link dev.opagent.agent.approval.ApprovalScope scope} a policy sets, and the
 * {@link dev.opagent.agent.approval.ApprovalStore} hosts implement to persist approvals.
 */
@NullMarked
package dev.opagent.agent.approval;

import org.jspecify.annotations.NullMarked;
