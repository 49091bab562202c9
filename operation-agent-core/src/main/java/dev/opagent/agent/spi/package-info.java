/**
 * What hosts implement for the decision engine: the customer's contact history, observed conversion
 * rates from the feedback loop, the guardrail facts a shared store holds, and the store of each
 * customer's last segment analysis. Each interface has an in-memory implementation in the library.
 * (The store of approvals is {@link dev.opagent.agent.approval.ApprovalStore}.)
 */
@NullMarked
package dev.opagent.agent.spi;

import org.jspecify.annotations.NullMarked;
