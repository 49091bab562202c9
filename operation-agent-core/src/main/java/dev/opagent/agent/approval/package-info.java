/**
 * The approval gate every automated action above a threshold passes: requests, grants,
 * rejections, expiry and an append-only audit trail.
 */
@NullMarked
package dev.opagent.agent.approval;

import org.jspecify.annotations.NullMarked;
