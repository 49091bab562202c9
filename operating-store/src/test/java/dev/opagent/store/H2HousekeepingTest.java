package dev.opagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.store.internal.H2Housekeeping;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the store runs H2's housekeeping itself, and that a failing pass harms nothing. */
class H2HousekeepingTest {

  private static boolean housekeepingRunning(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("opagent-h2-housekeeping-" + prefix) && t.isAlive());
  }

  @Test
  void embeddedFile_runsWhileOpen_stopsOnClose(@TempDir Path dir) throws Exception {
    OperatingStore store =
        OperatingStore.builder()
            .url("jdbc:h2:file:" + dir.resolve("store"), "sa", "")
            .tablePrefix("hk1_")
            .build();
    Thread.sleep(3 * H2Housekeeping.PERIOD.toMillis());
    assertThat(housekeepingRunning("hk1_")).isTrue();
    store.close();
    assertThat(housekeepingRunning("hk1_")).isFalse();
  }

  @Test
  void inMemoryDatabase_noHousekeeping() throws Exception {
    try (OperatingStore store =
        OperatingStore.builder()
            .url("jdbc:h2:mem:hk2;DB_CLOSE_DELAY=-1", "sa", "")
            .tablePrefix("hk2_")
            .build()) {
      Thread.sleep(3 * H2Housekeeping.PERIOD.toMillis());
      assertThat(housekeepingRunning("hk2_")).isFalse();
    }
  }

  @Test
  void postgres_noHousekeeping() throws Exception {
    try (OperatingStore store =
        OperatingStore.builder()
            .url(PostgresServer.url(), "postgres", "")
            .tablePrefix(PostgresServer.freshPrefix())
            .build()) {
      Thread.sleep(3 * H2Housekeeping.PERIOD.toMillis());
      assertThat(housekeepingRunning(store.tablePrefix())).isFalse();
    }
  }

  @Test
  void databaseUnreachable_passReportsNothingDoneAndThrowsNothing() {
    try (H2Housekeeping housekeeping = H2Housekeeping.start(new UnreachableDataSource(), "hk3_")) {
      assertThat(housekeeping.runOnce()).isFalse();
      assertThat(housekeeping.runOnce()).isFalse();
      assertThat(housekeeping.chunksFillRate()).isEqualTo(100);
    }
  }

  /** A data source whose every connection attempt fails. */
  private static final class UnreachableDataSource implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      throw new SQLException("unreachable");
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return new PrintWriter(System.err);
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
