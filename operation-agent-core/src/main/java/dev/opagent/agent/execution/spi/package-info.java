/**
 * What hosts implement to execute actions, and the values they exchange: {@link
 * dev.opagent.agent.execution.spi.ActionChannel} (where an action goes, receiving an {@link
 * dev.opagent.agent.execution.spi.ActionRequest} and answering a {@link
 * dev.opagent.agent.execution.spi.DeliveryReceipt} or a {@link
 * dev.opagent.agent.execution.spi.ChannelException}), {@link
 * dev.opagent.agent.execution.spi.ExecutionJournal} (where its lifecycle is recorded durably, as
 * {@link dev.opagent.agent.execution.spi.ExecutionRecord}s) and {@link
 * dev.opagent.agent.execution.spi.OperatingState}.
 */
@NullMarked
package dev.opagent.agent.execution.spi;

import org.jspecify.annotations.NullMarked;
