package dev.opagent.agent.execution.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.execution.spi.ExecutionJournal;
import org.junit.jupiter.api.Test;

/**
 * The contract on a real PostgreSQL (the embedded server), with the schema of {@code
 * schema-postgresql.sql} under a fresh table prefix per test; reopening builds a new journal on the
 * existing tables.
 */
class PostgresJdbcExecutionJournalTest extends ExecutionJournalContract {
  private String prefix;

  @Override
  protected ExecutionJournal open() {
    prefix = EmbeddedPostgresServer.freshPrefix();
    return JdbcExecutionJournal.builder()
        .dataSource(EmbeddedPostgresServer.pool())
        .tablePrefix(prefix)
        .createSchema(true)
        .build();
  }

  @Override
  protected ExecutionJournal reopen(ExecutionJournal journal) {
    journal.close();
    return JdbcExecutionJournal.builder()
        .dataSource(EmbeddedPostgresServer.pool())
        .tablePrefix(prefix)
        .build();
  }

  @Test
  void build_onPostgres_detectsPostgres() {
    JdbcExecutionJournal journal = (JdbcExecutionJournal) journal();

    assertThat(journal.database()).startsWith("PostgreSQL 14.");
  }

  @Test
  void databaseTime_judgesLeasesByThePostgresClock() {
    try (JdbcExecutionJournal journal =
        JdbcExecutionJournal.builder()
            .dataSource(EmbeddedPostgresServer.pool())
            .tablePrefix(EmbeddedPostgresServer.freshPrefix())
            .createSchema(true)
            .databaseTime(true)
            .build()) {
      JdbcExecutionJournalTest.leasesFollowTheDatabaseClock(journal);
    }
  }
}
