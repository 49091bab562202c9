package dev.opagent.agent.execution.journal;

import dev.opagent.agent.execution.spi.ExecutionJournal;
import java.util.UUID;

/** The contract on an in-memory H2 database opened by {@link JdbcExecutionJournal#forUrl}. */
class H2MemoryJdbcExecutionJournalTest extends ExecutionJournalContract {

  @Override
  protected ExecutionJournal open() {
    return JdbcExecutionJournal.forUrl("jdbc:h2:mem:journal-" + UUID.randomUUID(), "sa", "");
  }
}
