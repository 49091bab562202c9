/**
 * Executing chosen actions exactly once in effect: {@link
 * dev.opagent.agent.execution.ExecutionService} sends each {@link
 * dev.opagent.agent.execution.spi.ActionRequest} through the {@link
 * dev.opagent.agent.execution.ChannelRegistry}, records it in the durable {@link
 * dev.opagent.agent.execution.spi.ExecutionJournal}, and {@link
 * dev.opagent.agent.execution.spi.IdempotencyKeys} derives the key that makes a re-run of the same
 * plan a no-op.
 */
@NullMarked
package dev.opagent.agent.execution;

import org.jspecify.annotations.NullMarked;
