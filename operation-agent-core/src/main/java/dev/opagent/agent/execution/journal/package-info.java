/**
 * The two {@link dev.opagent.agent.execution.spi.ExecutionJournal} implementations: {@link
 * dev.opagent.agent.execution.journal.InMemoryExecutionJournal} for tests and single-process hosts,
 * and {@link dev.opagent.agent.execution.journal.JdbcExecutionJournal}, which keeps the journal in
 * PostgreSQL or H2 through plain JDBC. Failures of the database surface as {@link
 * dev.opagent.agent.execution.journal.JournalException}.
 */
@NullMarked
package dev.opagent.agent.execution.journal;

import org.jspecify.annotations.NullMarked;
