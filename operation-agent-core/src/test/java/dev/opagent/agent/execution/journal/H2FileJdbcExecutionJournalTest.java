package dev.opagent.agent.execution.journal;

import dev.opagent.agent.execution.spi.ExecutionJournal;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract on an H2 file: {@link #reopen} closes the journal (and so the database) and opens
 * the file again, so what the contract reads after reopening was stored durably.
 */
class H2FileJdbcExecutionJournalTest extends ExecutionJournalContract {
  @TempDir Path dir;

  @Override
  protected ExecutionJournal open() {
    return JdbcExecutionJournal.forUrl(url(), "sa", "");
  }

  @Override
  protected ExecutionJournal reopen(ExecutionJournal journal) {
    journal.close();
    return JdbcExecutionJournal.forUrl(url(), "sa", "");
  }

  private String url() {
    return "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath();
  }
}
