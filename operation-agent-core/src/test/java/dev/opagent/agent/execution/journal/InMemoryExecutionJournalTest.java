package dev.opagent.agent.execution.journal;

import dev.opagent.agent.execution.spi.ExecutionJournal;

class InMemoryExecutionJournalTest extends ExecutionJournalContract {

  @Override
  protected ExecutionJournal open() {
    return new InMemoryExecutionJournal();
  }
}
