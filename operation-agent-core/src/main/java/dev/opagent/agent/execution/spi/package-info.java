/**
 * What hosts implement to execute actions: {@link dev.opagent.agent.execution.spi.ActionChannel}
 * (where an action goes) and {@link dev.opagent.agent.execution.spi.ExecutionJournal} (where its
 * lifecycle is recorded durably).
 */
@NullMarked
package dev.opagent.agent.execution.spi;

import org.jspecify.annotations.NullMarked;
