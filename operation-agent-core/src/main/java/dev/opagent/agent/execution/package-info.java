/**
 * Executing chosen actions exactly once in effect: {@link dev.opagent.agent.execution.spi.ActionRequest}
 * is what a channel receives, {@link dev.opagent.agent.execution.spi.ExecutionRecord} is its entry in
 * the durable {@link dev.opagent.agent.execution.spi.ExecutionJournal}, and
 * {@link dev.opagent.agent.execution.spi.IdempotencyKeys} derives the key that makes a re-run of the
 * same plan a no-op.
 */
@NullMarked
package dev.opagent.agent.execution;

import org.jspecify.annotations.NullMarked;
