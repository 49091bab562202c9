package dev.opagent.agent.execution.journal;

import java.nio.file.Path;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Executors and enlisters racing on one journal in an H2 file and on PostgreSQL. */
class JdbcExecutionJournalConcurrencyTest {
  @TempDir Path dir;

  @Test
  void claimAndComplete_fourExecutorsOnAPooledH2File_completeEveryKeyExactlyOnce()
      throws Exception {
    JdbcConnectionPool pool =
        JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("race").toAbsolutePath(), "sa", "");
    try (JdbcExecutionJournal journal =
        JdbcExecutionJournal.builder().dataSource(pool).createSchema(true).build()) {
      ConcurrencyScenarios.executorsRaceToClaimAndComplete(journal, 2_000);
    } finally {
      pool.dispose();
    }
  }

  @Test
  void enlist_fourEnlistersOfOverlappingKeysOnAnH2FileWithoutPool_journalEachKeyOnce()
      throws Exception {
    try (JdbcExecutionJournal journal =
        JdbcExecutionJournal.forUrl(
            "jdbc:h2:file:" + dir.resolve("enlist").toAbsolutePath(), "sa", "")) {
      ConcurrencyScenarios.enlistersOfOverlappingKeysRace(journal, 400);
    }
  }

  @Test
  void claim_leaseInThePastOnAnH2File_isTakenOverAndTheFormerOwnerRefused() {
    try (JdbcExecutionJournal journal =
        JdbcExecutionJournal.forUrl(
            "jdbc:h2:file:" + dir.resolve("lease").toAbsolutePath(), "sa", "")) {
      ConcurrencyScenarios.expiredLeaseIsTakenOver(journal);
    }
  }

  @Test
  void runState_fourWritersOfTheSameNewRunsOnAnH2File_neverFail() throws Exception {
    try (JdbcExecutionJournal journal =
        JdbcExecutionJournal.forUrl(
            "jdbc:h2:file:" + dir.resolve("runs").toAbsolutePath(), "sa", "")) {
      ConcurrencyScenarios.runStatesRecordedAtOnce(journal, 100);
    }
  }

  @Test
  void runState_fourWritersOfTheSameNewRunsOnPostgres_neverFail() throws Exception {
    try (JdbcExecutionJournal journal = postgres()) {
      ConcurrencyScenarios.runStatesRecordedAtOnce(journal, 100);
    }
  }

  @Test
  void claimAndComplete_fourExecutorsOnPostgres_completeEveryKeyExactlyOnce() throws Exception {
    try (JdbcExecutionJournal journal = postgres()) {
      ConcurrencyScenarios.executorsRaceToClaimAndComplete(journal, 400);
    }
  }

  @Test
  void enlist_fourEnlistersOfOverlappingKeysOnPostgres_journalEachKeyOnce() throws Exception {
    try (JdbcExecutionJournal journal = postgres()) {
      ConcurrencyScenarios.enlistersOfOverlappingKeysRace(journal, 400);
    }
  }

  @Test
  void claim_leaseInThePastOnPostgres_isTakenOverAndTheFormerOwnerRefused() {
    try (JdbcExecutionJournal journal = postgres()) {
      ConcurrencyScenarios.expiredLeaseIsTakenOver(journal);
    }
  }

  @Test
  void claimAndComplete_fourExecutorsInMemory_completeEveryKeyExactlyOnce() throws Exception {
    ConcurrencyScenarios.executorsRaceToClaimAndComplete(new InMemoryExecutionJournal(), 2_000);
  }

  @Test
  void enlist_fourEnlistersOfOverlappingKeysInMemory_journalEachKeyOnce() throws Exception {
    ConcurrencyScenarios.enlistersOfOverlappingKeysRace(new InMemoryExecutionJournal(), 1_000);
  }

  private static JdbcExecutionJournal postgres() {
    return JdbcExecutionJournal.builder()
        .dataSource(EmbeddedPostgresServer.pool())
        .tablePrefix(EmbeddedPostgresServer.freshPrefix())
        .createSchema(true)
        .build();
  }
}
