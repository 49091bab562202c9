package dev.opagent.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded H2 file from growing without bound while every commit is written at once.
 *
 * <p>With {@code WRITE_DELAY=0} H2 writes a new chunk of its MVStore at every commit and runs no
 * background writer, and that writer is what rewrites chunks whose pages are mostly dead. Without
 * it a chunk that keeps one live page is never freed, so the file grows with every commit (17.8 GB
 * after 840,000 customers of one round, with H2's chunk metadata filling the heap). This task does
 * what the writer would: every {@link #PERIOD}, when the live share of the chunks is under {@link
 * #TARGET_FILL_RATE} percent, it rewrites the live pages of the emptiest chunks (at most {@link
 * #WRITE_LIMIT_BYTES} per run), under H2's own store lock, as H2's writer does; the emptied chunks
 * are freed at a later commit once H2's retention time has passed, and their space is reused.
 * Commits and their durability are unchanged.
 *
 * <p>It does nothing when the database has a write delay of its own (H2's writer then runs). A
 * failure is logged once at WARN, with the exception's type only, and never reaches the store's
 * callers. Loaded only for H2 URLs, so H2 stays an optional dependency.
 */
public final class H2Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);

  /** How often the chunks' fill rate is checked. */
  public static final Duration PERIOD = Duration.ofMillis(100);

  /** Below this percentage of live data in the chunks, chunks are rewritten (H2's own: 81). */
  public static final int TARGET_FILL_RATE = 80;

  /** The most bytes rewritten per run, so that writers wait for the lock only briefly. */
  public static final int WRITE_LIMIT_BYTES = 4 * 1024 * 1024;

  private final DataSource dataSource;
  private final ScheduledExecutorService timer;
  private final AtomicBoolean warned = new AtomicBoolean();
  private volatile @Nullable MVStore store;

  private H2Housekeeping(DataSource dataSource, String name) {
    this.dataSource = dataSource;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "opagent-h2-housekeeping-" + name);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts housekeeping of the embedded H2 database behind {@code dataSource}.
   *
   * @param name a short name for the thread, such as the pool's
   */
  public static H2Housekeeping start(DataSource dataSource, String name) {
    H2Housekeeping h = new H2Housekeeping(dataSource, name);
    long period = PERIOD.toMillis();
    h.timer.scheduleWithFixedDelay(h::runOnce, period, period, TimeUnit.MILLISECONDS);
    return h;
  }

  /**
   * One pass: rewrites the emptiest chunks when the live share is under the target.
   *
   * @return whether any chunk was rewritten
   */
  public boolean runOnce() {
    try {
      MVStore mv = store();
      if (mv == null || mv.isClosed() || mv.getAutoCommitDelay() > 0) {
        return false;
      }
      FileStore<?> files = mv.getFileStore();
      if (files == null || files.getChunksFillRate() >= TARGET_FILL_RATE) {
        return false;
      }
      return mv.compact(TARGET_FILL_RATE, WRITE_LIMIT_BYTES);
    } catch (RuntimeException | SQLException | LinkageError e) {
      if (warned.compareAndSet(false, true)) {
        LOG.warn(
            "H2 housekeeping failed ({}); the store keeps working, but its file may grow",
            e.getClass().getSimpleName());
      }
      return false;
    }
  }

  /** The live share of the chunks, in percent; 100 when unknown. For tests and diagnostics. */
  public int chunksFillRate() {
    try {
      MVStore mv = store();
      return mv == null || mv.isClosed() ? 100 : mv.getFileStore().getChunksFillRate();
    } catch (SQLException | RuntimeException e) {
      return 100;
    }
  }

  private @Nullable MVStore store() throws SQLException {
    MVStore mv = store;
    if (mv != null && !mv.isClosed()) {
      return mv;
    }
    try (Connection c = dataSource.getConnection()) {
      JdbcConnection h2 = c.unwrap(JdbcConnection.class);
      if (!(h2.getSession() instanceof SessionLocal session)) {
        return null; // a server session: the file is another process's
      }
      mv = session.getDatabase().getStore().getMvStore();
    }
    store = mv;
    return mv;
  }

  /** Stops the task, waiting for a pass in progress. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store = null;
  }
}
