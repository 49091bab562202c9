package dev.opagent.agent.execution.journal;

import static dev.opagent.agent.execution.journal.ExecutionJournalContract.LEASE;
import static dev.opagent.agent.execution.journal.ExecutionJournalContract.T0;
import static dev.opagent.agent.execution.journal.ExecutionJournalContract.key;
import static dev.opagent.agent.execution.journal.ExecutionJournalContract.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to the JDBC journal: building it, its schema, its failures, its storage. */
class JdbcExecutionJournalTest {
  @TempDir Path dir;

  /**
   * With database time, the callers' clocks do not decide leases: an executor whose clock runs a
   * century ahead cannot take over a live claim, nor recover it; a claim made with a clock a
   * century behind still lasts its length from the database's now.
   */
  static void leasesFollowTheDatabaseClock(JdbcExecutionJournal journal) {
    Instant past = Instant.parse("1990-01-01T00:00:00Z");
    Instant future = Instant.parse("2100-01-01T00:00:00Z");
    String k = journal.enlist(List.of(request("run-db", "C-1")), T0).get(0).key();
    Instant before = Instant.now();

    ExecutionRecord claimed = journal.claim(k, "exec-a", past, past.plusSeconds(60)).orElseThrow();

    assertThat(claimed.leaseUntil())
        .isBetween(before.plusSeconds(55), Instant.now().plusSeconds(65));
    assertThat(journal.claim(k, "exec-b", future, future.plusSeconds(60))).isEmpty();
    assertThat(journal.claimAll(List.of(k), "exec-b", future, future.plusSeconds(60))).isEmpty();
    assertThat(journal.recover("run-db", future)).isZero();
    assertThat(journal.renew(k, "exec-a", past, past.plusSeconds(120))).isTrue();
    assertThat(journal.find(k).orElseThrow().leaseUntil()).isAfter(before.plusSeconds(115));
    // A lease of no length has ended by the database's clock at once.
    assertThat(journal.renew(k, "exec-a", future, future)).isTrue();
    assertThat(journal.claim(k, "exec-b", past, past.plusSeconds(60))).isPresent();
  }

  @Test
  void databaseTime_judgesLeasesByTheH2Clock() {
    try (JdbcExecutionJournal journal =
        JdbcExecutionJournal.builder()
            .dataSource(h2(memoryUrl()))
            .createSchema(true)
            .databaseTime(true)
            .build()) {
      leasesFollowTheDatabaseClock(journal);
    }
  }

  private static String memoryUrl() {
    return "jdbc:h2:mem:journal-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  private static JdbcDataSource h2(String url) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(url);
    ds.setUser("sa");
    ds.setPassword("");
    return ds;
  }

  /** A data source whose database says it is {@code product}. */
  private static DataSource pretending(String product, String version) {
    InvocationHandler meta =
        (proxy, method, args) ->
            switch (method.getName()) {
              case "getDatabaseProductName" -> product;
              case "getDatabaseProductVersion" -> version;
              default -> throw new UnsupportedOperationException(method.getName());
            };
    InvocationHandler connection =
        (proxy, method, args) ->
            switch (method.getName()) {
              case "getMetaData" ->
                  Proxy.newProxyInstance(
                      JdbcExecutionJournalTest.class.getClassLoader(),
                      new Class<?>[] {DatabaseMetaData.class},
                      meta);
              case "close" -> null;
              default -> throw new UnsupportedOperationException(method.getName());
            };
    InvocationHandler dataSource =
        (proxy, method, args) ->
            switch (method.getName()) {
              case "getConnection" ->
                  Proxy.newProxyInstance(
                      JdbcExecutionJournalTest.class.getClassLoader(),
                      new Class<?>[] {Connection.class},
                      connection);
              default -> throw new UnsupportedOperationException(method.getName());
            };
    return (DataSource)
        Proxy.newProxyInstance(
            JdbcExecutionJournalTest.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            dataSource);
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  // --- building -----------------------------------------------------------------------------

  @Test
  void build_unsupportedDatabase_namesItAndTheSupportedOnes() {
    assertThatThrownBy(
            () -> JdbcExecutionJournal.builder().dataSource(pretending("MySQL", "8.0.36")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the JDBC execution journal supports H2 and PostgreSQL, but the data source"
                + " is MySQL 8.0.36");
  }

  @Test
  void build_withoutDataSource_throwsIllegalState() {
    assertThatThrownBy(() -> JdbcExecutionJournal.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("dataSource is required");
  }

  @Test
  void build_unreachableDatabase_throwsJournalExceptionWithTheDriversCause() {
    JdbcDataSource missing =
        h2("jdbc:h2:file:" + dir.resolve("absent").toAbsolutePath() + ";IFEXISTS=TRUE");

    assertThatThrownBy(() -> JdbcExecutionJournal.builder().dataSource(missing).build())
        .isInstanceOfSatisfying(
            JournalException.class,
            e -> {
              assertThat(e.operation()).isEqualTo("detect the database");
              assertThat(e.sqlState()).isNotNull();
              assertThat(e.getMessage()).contains(e.sqlState()).contains("while connecting");
              assertThat(e.getCause()).isInstanceOf(SQLException.class);
            });
  }

  @Test
  void tablePrefix_notAnIdentifier_throwsIllegalArgument() {
    assertThatThrownBy(() -> JdbcExecutionJournal.builder().tablePrefix("x; DROP TABLE y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tablePrefix must be letters, digits and underscores, starting with a letter"
                + " or underscore, at most 40 characters, but was 'x; DROP TABLE y'");
    assertThatThrownBy(() -> JdbcExecutionJournal.builder().tablePrefix("p".repeat(41)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JdbcExecutionJournal.builder().tablePrefix("1x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tablePrefix_default_namesTheTablesOpagent() throws SQLException {
    String url = memoryUrl();
    try (JdbcExecutionJournal journal =
            JdbcExecutionJournal.builder().dataSource(h2(url)).createSchema(true).build();
        Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet tables = c.getMetaData().getTables(null, null, "OPAGENT_%", null)) {
      assertThat(journal.tablePrefix()).isEqualTo("opagent_");
      assertThat(journal.database()).startsWith("H2 2.");
      List<String> names = new java.util.ArrayList<>();
      while (tables.next()) {
        names.add(tables.getString("TABLE_NAME"));
      }
      assertThat(names).containsExactlyInAnyOrder("OPAGENT_EXECUTIONS", "OPAGENT_RUNS");
    }
  }

  @Test
  void tablePrefix_twoPrefixesInOneDatabase_keepTheirJournalsApart() {
    JdbcDataSource ds = h2(memoryUrl());
    try (JdbcExecutionJournal a =
            JdbcExecutionJournal.builder()
                .dataSource(ds)
                .tablePrefix("a_")
                .createSchema(true)
                .build();
        JdbcExecutionJournal b =
            JdbcExecutionJournal.builder()
                .dataSource(ds)
                .tablePrefix("b_")
                .createSchema(true)
                .build()) {
      a.enlist(List.of(request("run-1", "C-1")), T0);

      assertThat(a.find(key("C-1"))).isPresent();
      assertThat(b.find(key("C-1"))).isEmpty();
    }
  }

  // --- schema -------------------------------------------------------------------------------

  @Test
  void initializeSchema_again_keepsWhatIsJournalled() {
    try (JdbcExecutionJournal journal = JdbcExecutionJournal.forUrl(memoryUrl(), "sa", "")) {
      journal.enlist(List.of(request("run-1", "C-1")), T0);

      journal.initializeSchema();

      assertThat(journal.find(key("C-1"))).isPresent();
    }
  }

  @Test
  void initializeSchema_tableFromBeforeTheCustomerKey_unfinishedRowsGetTheirKey()
      throws SQLException {
    String url = "jdbc:h2:file:" + dir.resolve("old").toAbsolutePath();
    ActionRequest pending = request("run-1", "C-1");
    ActionRequest done = request("run-1", "C-2");
    try (JdbcExecutionJournal journal = JdbcExecutionJournal.forUrl(url, "sa", "")) {
      journal.enlist(List.of(pending, done), T0);
      journal.claim(done.idempotencyKey(), "w", T0, T0.plusSeconds(60));
      journal.complete(
          done.idempotencyKey(), "w", DeliveryReceipt.delivered(done, "jsonl", "x", T0), T0);
    }
    // The table as an earlier version of the journal left it: no customer_key column.
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement()) {
      s.execute("DROP INDEX opagent_executions_customer");
      s.execute("ALTER TABLE opagent_executions DROP COLUMN customer_key");
    }

    try (JdbcExecutionJournal journal = JdbcExecutionJournal.forUrl(url, "sa", "")) {
      assertThat(journal.pendingFor("C-1", null, 10))
          .extracting(ExecutionRecord::key)
          .containsExactly(pending.idempotencyKey());
    }
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT COUNT(*) FROM opagent_executions WHERE customer_key IS NULL")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the finished row is left without a key").isEqualTo(1);
    }
  }

  @Test
  void schemaStatements_bothScripts_areCompleteWithThePrefixReplaced() {
    JdbcDataSource ds = h2(memoryUrl());
    for (Dialect dialect : Dialect.values()) {
      JdbcExecutionJournal journal =
          JdbcExecutionJournal.builder()
              .dataSource(ds)
              .tablePrefix("mkt_")
              .dialect(dialect)
              .build();

      List<String> statements = journal.schemaStatements();

      assertThat(statements)
          .as(dialect.script())
          .noneMatch(s -> s.contains("${prefix}"))
          .noneMatch(s -> s.contains("--"))
          .anyMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS mkt_executions"))
          .anyMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS mkt_runs"))
          .anyMatch(s -> s.startsWith("CREATE INDEX IF NOT EXISTS mkt_executions_run"))
          .anyMatch(s -> s.startsWith("CREATE INDEX IF NOT EXISTS mkt_executions_customer"))
          .anyMatch(s -> s.startsWith("CREATE SEQUENCE IF NOT EXISTS mkt_execution_seq"));
    }
  }

  /**
   * H2 2.4.240 fails a CHECK (state IN (…)) with "Check constraint invalid" once the session that
   * created it has closed (h2database issues 4291, 4308); the H2 script checks states with CASE.
   */
  @Test
  void enlist_schemaCreatedBySessionsSinceClosed_passesTheStateChecks_h2Issue4308()
      throws SQLException {
    String url = memoryUrl();
    JdbcExecutionJournal.builder().dataSource(h2(url)).createSchema(true).build().close();

    try (JdbcExecutionJournal journal =
        JdbcExecutionJournal.builder().dataSource(h2(url)).build()) {
      journal.enlist(List.of(request("run-1", "C-1")), T0);
      journal.runState("run-1", dev.opagent.agent.execution.spi.RunState.PLANNED, T0);

      assertThat(journal.find(key("C-1"))).isPresent();
    }
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("UPDATE opagent_executions SET state = 'LOST'"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23513"));
      assertThatThrownBy(() -> s.executeUpdate("UPDATE opagent_runs SET state = 'LOST'"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23513"));
    }
  }

  @Test
  void build_withoutSchema_failsOperationsNamingTheOperationAndSqlState() {
    try (JdbcExecutionJournal journal =
        JdbcExecutionJournal.builder().dataSource(h2(memoryUrl())).build()) {
      assertThatThrownBy(() -> journal.find(key("C-1")))
          .isInstanceOfSatisfying(
              JournalException.class,
              e -> {
                assertThat(e.operation()).isEqualTo("find");
                assertThat(e.sqlState()).startsWith("42S");
                assertThat(e.getMessage())
                    .startsWith("execution journal find failed with SQL state " + e.sqlState());
                assertThat(e.retryable()).isFalse();
              });
    }
  }

  // --- failures never quote what is stored --------------------------------------------------

  @Test
  void enlist_statementFails_neitherMessageNorCauseQuotesTheRequest() throws SQLException {
    String url = memoryUrl();
    try (JdbcExecutionJournal journal = JdbcExecutionJournal.forUrl(url, "sa", "");
        Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE opagent_executions ALTER COLUMN request_json VARCHAR(40)");
      ActionRequest secret = request("run-1", "CUSTOMER-SECRET-4711");

      assertThatThrownBy(() -> journal.enlist(List.of(secret), T0))
          .isInstanceOfSatisfying(
              JournalException.class,
              e -> {
                assertThat(e.operation()).isEqualTo("enlist");
                assertThat(e.sqlState()).isEqualTo("22001");
                assertThat(e.getMessage()).contains("enlist").contains("22001");
                assertThat(stackTrace(e))
                    .doesNotContain("CUSTOMER-SECRET-4711")
                    .doesNotContain("winback-1")
                    .doesNotContain("idempotencyKey");
                assertThat(e.getCause())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("message withheld");
              });
      assertThat(journal.records("run-1")).isEmpty();
    }
  }

  @Test
  void find_unreadableStoredRequest_throwsJournalExceptionWithoutTheStoredValue()
      throws SQLException {
    String url = memoryUrl();
    try (JdbcExecutionJournal journal = JdbcExecutionJournal.forUrl(url, "sa", "");
        Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement()) {
      journal.enlist(List.of(request("run-1", "C-1")), T0);
      s.executeUpdate(
          "UPDATE opagent_executions SET request_json = '{\"customerId\":"
              + "\"CUSTOMER-SECRET-4711\"}'");

      assertThatThrownBy(() -> journal.find(key("C-1")))
          .isInstanceOfSatisfying(
              JournalException.class,
              e -> {
                assertThat(e.operation()).isEqualTo("find");
                assertThat(e.sqlState()).isNull();
                assertThat(e.getMessage())
                    .isEqualTo(
                        "execution journal find failed: the record"
                            + " under key "
                            + key("C-1")
                            + " is unreadable: request_json is not an"
                            + " ActionRequest");
                assertThat(stackTrace(e)).doesNotContain("CUSTOMER-SECRET-4711");
              });
    }
  }

  // --- storage ------------------------------------------------------------------------------

  @Test
  void instants_finerThanMicroseconds_areStoredToTheMicrosecond() {
    Instant fine = Instant.parse("2026-03-15T09:00:00.123456789Z");
    Instant micros = Instant.parse("2026-03-15T09:00:00.123456Z");
    try (JdbcExecutionJournal journal = JdbcExecutionJournal.forUrl(memoryUrl(), "sa", "")) {
      journal.enlist(List.of(request("run-1", "C-1")), fine);
      journal.claim(key("C-1"), "exec-a", fine, fine.plus(LEASE));
      journal.complete(
          key("C-1"),
          "exec-a",
          new DeliveryReceipt(key("C-1"), "email", "m-1", fine, null, false, "delivered"),
          fine);

      ExecutionRecord r = journal.find(key("C-1")).orElseThrow();
      assertThat(r.createdAt()).isEqualTo(micros);
      assertThat(r.updatedAt()).isEqualTo(micros);
      assertThat(r.receipt().deliveredAt()).isEqualTo(micros);
      assertThat(r.request().plannedAt()).isEqualTo(T0);
    }
  }

  @Test
  void dataSourceWithoutAutoCommit_everyChangeIsCommitted() {
    String url = memoryUrl();
    JdbcDataSource h2 = h2(url);
    DataSource manual =
        (DataSource)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                  Object result = method.invoke(h2, args);
                  if (result instanceof Connection c) {
                    c.setAutoCommit(false);
                  }
                  return result;
                });
    try (JdbcExecutionJournal journal =
            JdbcExecutionJournal.builder().dataSource(manual).createSchema(true).build();
        JdbcExecutionJournal observer = JdbcExecutionJournal.builder().dataSource(h2).build()) {
      journal.enlist(List.of(request("run-1", "C-1"), request("run-1", "C-2")), T0);
      journal.claim(key("C-1"), "exec-a", T0, T0.plus(LEASE)).orElseThrow();
      journal.complete(
          key("C-1"),
          "exec-a",
          new DeliveryReceipt(key("C-1"), "email", "m-1", T0, BigDecimal.ONE, false, "delivered"),
          T0);
      journal.cancel(key("C-2"), "withdrawn", T0);

      assertThat(observer.counts("run-1"))
          .containsOnly(
              Map.entry(ExecutionState.COMPLETED, 1L), Map.entry(ExecutionState.CANCELLED, 1L));
    }
  }

  @Test
  void forUrl_inMemoryH2_livesUntilClosedThenRefusesOperations() {
    String url = "jdbc:h2:mem:journal-" + UUID.randomUUID();
    JdbcExecutionJournal journal = JdbcExecutionJournal.forUrl(url, "sa", "");
    journal.enlist(List.of(request("run-1", "C-1")), T0);
    assertThat(journal.find(key("C-1"))).isPresent();

    journal.close();
    journal.close();

    assertThatThrownBy(() -> journal.find(key("C-1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the execution journal is closed");
    try (JdbcExecutionJournal fresh = JdbcExecutionJournal.forUrl(url, "sa", "")) {
      assertThat(fresh.find(key("C-1"))).as("the database ended with the journal").isEmpty();
    }
  }

  @Test
  void forUrl_notAJdbcUrl_throwsIllegalArgument() {
    assertThatThrownBy(() -> JdbcExecutionJournal.forUrl("h2:mem:x", "sa", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jdbcUrl must start");
  }

  @Test
  void close_builtWithADataSource_leavesTheDatabaseToTheHost() {
    JdbcDataSource ds = h2(memoryUrl());
    JdbcExecutionJournal first =
        JdbcExecutionJournal.builder().dataSource(ds).createSchema(true).build();
    first.enlist(List.of(request("run-1", "C-1")), T0);

    first.close();

    try (JdbcExecutionJournal second = JdbcExecutionJournal.builder().dataSource(ds).build()) {
      assertThat(second.find(key("C-1"))).isPresent();
    }
  }
}
