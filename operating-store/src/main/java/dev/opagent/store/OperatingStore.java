package dev.opagent.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.execution.journal.JdbcExecutionJournal;
import dev.opagent.agent.execution.spi.OperatingState;
import dev.opagent.agent.feedback.FeedbackLoop;
import dev.opagent.agent.spi.SegmentStore;
import dev.opagent.store.internal.H2Housekeeping;
import dev.opagent.store.internal.V3__Ledger_from_journal;
import dev.opagent.store.internal.V9__Executions_by_customer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating store: one JDBC database that holds everything a guardrail or the learning reads,
 * so that it outlives the process and holds across replicas. The execution journal is the ledger: a
 * journalled action reserves its cost, its contact slot and its execution slot; delivering it
 * spends them and makes it a contact; failing or cancelling it gives them back. A deciding process
 * reads those facts and journals what it chose in one transaction ({@link #operatingState()}). The
 * last segment analysis of each customer is kept beside them ({@link #segmentStore()}), so that a
 * round asks the agent only about what changed. Approval requests and their audit trail live here
 * too ({@link #approvalStore()}, {@link #approvalGate(Clock)}), so a request filed by one process
 * can be granted from another, and is decided once. Thread-safe; open one per process and share it.
 *
 * <p><b>Databases.</b> An embedded H2 file is the default for one process at a time (the command
 * line uses {@code jdbc:h2:file:./.opagent/store}); PostgreSQL (9.6 or later; tested with 14) is
 * the shared store for several processes or replicas. {@link #open} pools connections with
 * HikariCP; hosts with a pool of their own pass it to {@link Builder#dataSource}.
 *
 * <p><b>Schema.</b> Flyway migrates the schema on open (tables prefixed {@code opagent_}, history
 * in {@code opagent_schema_history}), under a database lock, so several processes may open the same
 * store at once. A database written by {@link JdbcExecutionJournal} alone (its schema version 1) is
 * baselined and upgraded in place: its rows are kept, and rounds that crashed in it resume. Hosts
 * whose migrations run elsewhere turn it off with {@link Builder#migrate(boolean)} and apply the
 * scripts under {@code dev/opagent/store/migration/} themselves, with the two Java migrations of
 * {@code dev.opagent.store.internal} (versions 3 and 9), which fill new columns and tables from the
 * journalled requests.
 *
 * <p><b>What survives what.</b> On PostgreSQL with its defaults ({@code fsync} and {@code
 * synchronous_commit} on), a committed transaction survives a crash of the process, of the
 * operating system and a power loss; a disk loss needs PostgreSQL's replication or backups. On an
 * H2 file opened by {@link #open}, every commit is written to the file before the call returns
 * ({@code WRITE_DELAY=0}), so it survives a crash of the process (tested with SIGKILL), and, with
 * the default {@link Durability#SYNCED}, the journal's commits are then forced to the disk (an
 * fsync per group of actions, which also forces the decided batches before any of their actions is
 * sent), so they also survive an operating-system crash and a power loss. With {@link
 * Durability#WRITTEN} the last commits may be lost to those (the journal then sends such actions
 * again after a restart). Approvals and stored segment analyses are written without an fsync of
 * their own: the next synced commit carries them. No mode survives the loss of the H2 file's disk:
 * that takes PostgreSQL with replicas or backups.
 *
 * <pre>{@code
 * try (OperatingStore store = OperatingStore.open("jdbc:postgresql://db/opagent", "opagent", password);
 *     OperationAgent agent = OperationAgent.builder().clock(clock)
 *         .decisionEngine(engine -> engine.policy(policy).approvalGate(store.approvalGate(clock)))
 *         .executionService(executor -> executor.journal(store.journal()).journalIsLedger(true)
 *             .channels(channels))
 *         .operatingState(store.operatingState()).segmentStore(store.segmentStore())
 *         ...build()) {
 *   agent.runRound(runId, customers);
 * }
 * }</pre>
 */
public final class OperatingStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatingStore.class);
  private static final int MIGRATION_ATTEMPTS = 3;
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,39}");
  private static final Pattern USER_INFO = Pattern.compile("(//)[^/@?;]*@");
  private static final Pattern SECRET_PARAM =
      Pattern.compile(
          "(?i)((?:password|passwd|pwd|secret|token|sslpassword|cipher_key)\\s*=)[^;&]*");

  private final DataSource dataSource;
  private final @Nullable HikariDataSource pool;
  private final String tablePrefix;
  private final boolean postgres;
  private final String description;
  private final JdbcExecutionJournal journal;
  private final JdbcOperatingState state;
  private final JdbcRounds rounds;
  private final JdbcSegmentStore segments;
  private final JdbcApprovalStore approvals;
  private final FeedbackStore feedback;
  private final @Nullable H2Housekeeping housekeeping;

  private OperatingStore(
      Builder b,
      DataSource dataSource,
      @Nullable HikariDataSource pool,
      String description,
      @Nullable String embeddedDatabase) {
    this.dataSource = dataSource;
    this.pool = pool;
    this.tablePrefix = b.tablePrefix;
    this.description = description;
    try (Connection c = dataSource.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      if (!product.contains("postgres") && !product.contains("h2")) {
        throw new IllegalArgumentException(
            "the operating store runs on H2 or PostgreSQL, not on "
                + c.getMetaData().getDatabaseProductName());
      }
      this.postgres = product.contains("postgres");
    } catch (SQLException e) {
      closePool();
      throw StoreException.of("connect to " + description, e);
    } catch (RuntimeException e) {
      closePool();
      throw e;
    }
    try {
      if (b.migrate) {
        migrate();
      }
      this.journal =
          JdbcExecutionJournal.builder()
              .dataSource(dataSource)
              .tablePrefix(tablePrefix)
              .syncCommits(b.durability == Durability.SYNCED)
              .databaseTime(b.databaseTime)
              .build();
      this.rounds = new JdbcRounds(dataSource, tablePrefix, postgres);
      this.state =
          new JdbcOperatingState(
              dataSource, journal, tablePrefix, postgres, embeddedDatabase, rounds);
      this.segments = new JdbcSegmentStore(dataSource, tablePrefix, postgres);
      this.approvals = new JdbcApprovalStore(dataSource, tablePrefix);
      this.feedback =
          new FeedbackStore(
              dataSource,
              tablePrefix,
              postgres,
              FeedbackLoop.DEFAULT_CONVERSION_WINDOW,
              Clock.systemUTC());
    } catch (RuntimeException e) {
      closePool();
      throw e;
    }
    // An embedded file this store opened commits with WRITE_DELAY=0, which leaves H2 without the
    // background writer that frees half-empty chunks: do its housekeeping here.
    this.housekeeping =
        pool != null && embeddedDatabase != null && embeddedDatabase.startsWith("file:")
            ? H2Housekeeping.start(pool, tablePrefix)
            : null;
  }

  /**
   * Opens the store at {@code jdbcUrl} with a HikariCP pool, migrating its schema. An embedded H2
   * file URL gets {@code ;WRITE_DELAY=0} (every commit in the file before the call returns) unless
   * it sets a write delay itself, and its directory is created.
   *
   * @param jdbcUrl {@code jdbc:h2:…} or {@code jdbc:postgresql:…}; the driver must be on the class
   *     path
   * @param user the database user
   * @param password the user's password (never logged, never in a message)
   * @throws IllegalArgumentException if the URL is not a JDBC URL of H2 or PostgreSQL
   * @throws StoreException if the database cannot be reached or migrated
   */
  public static OperatingStore open(String jdbcUrl, String user, String password) {
    return builder().url(jdbcUrl, user, password).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code jdbcUrl} with its credentials masked ({@code user:secret@} and {@code password=} style
   * parameters), for messages and logs.
   */
  public static String mask(String jdbcUrl) {
    String s = USER_INFO.matcher(jdbcUrl).replaceAll("$1***@");
    return SECRET_PARAM.matcher(s).replaceAll("$1***");
  }

  /** The execution journal, in this store's tables. */
  public JdbcExecutionJournal journal() {
    return journal;
  }

  /**
   * The state decisions are taken against, for {@code OperationAgent.Builder#operatingState}: caps,
   * budgets and daily limits from the journal, atomically per batch across processes.
   */
  public OperatingState operatingState() {
    return state;
  }

  /**
   * The {@code limit} rounds recorded last, newest first: what each planned, as its report said. An
   * {@code OperationAgent} wired with this store's {@link #operatingState()} records every round it
   * plans (a round that only delivered what an earlier process had planned is not recorded again).
   *
   * @throws IllegalArgumentException if {@code limit} is below 1
   * @throws StoreException if the database fails or a row cannot be read
   */
  public List<RecordedRound> rounds(int limit) {
    return rounds.recent(limit);
  }

  /**
   * The recorded round {@code runId}, if it was recorded.
   *
   * @throws StoreException if the database fails or the row cannot be read
   */
  public Optional<RecordedRound> round(String runId) {
    return rounds.find(Objects.requireNonNull(runId, "runId"));
  }

  /**
   * The money in use against a budget, as the budget guardrail counts it: the actual cost of every
   * delivered action that reported one, and the reserved cost of every other action pending,
   * executing or delivered, over the whole journal; of one campaign, or of all with {@code null}.
   * Read without the batch lock, so a batch deciding at the same moment may change it. In the
   * budget currency of the policy the actions were decided under.
   *
   * @throws StoreException if the database fails
   */
  public BigDecimal budgetInUse(@Nullable String campaign) {
    return state.budgetInUse(campaign);
  }

  /**
   * The last segment analysis of each customer by each agent, for {@code
   * OperationAgent.Builder#segmentStore}: rounds of every process sharing the database then ask the
   * agent only about customers whose data changed or whose analysis grew old. Reads and saves batch
   * 500 customers per statement.
   */
  public SegmentStore segmentStore() {
    return segments;
  }

  /**
   * Approval requests and their audit trail, for {@code ApprovalGate.Builder#store}: shared by
   * every process that opens this store, each request decided once and each key asked once across
   * them (see {@link JdbcApprovalStore}). Thread-safe; the same instance on every call.
   */
  public JdbcApprovalStore approvalStore() {
    return approvals;
  }

  /**
   * A new approval gate on {@link #approvalStore()} with {@code clock} and the gate's defaults
   * (requests expire unanswered after 48 hours, grants after 7 days). Gates on one store agree with
   * each other in this process and in others, so one per process is enough; hosts give it to {@code
   * DecisionEngine.Builder#approvalGate}. For other lifetimes build one with {@code
   * ApprovalGate.builder().store(store.approvalStore())}; note that a request's deadline is set by
   * the gate that files it and a grant's validity by the gate that grants it. Thread-safe.
   *
   * <pre>{@code
   * ApprovalGate gate = store.approvalGate(Clock.systemUTC());
   * DecisionEngine engine = DecisionEngine.builder().approvalGate(gate)...build();
   * }</pre>
   */
  public ApprovalGate approvalGate(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    return ApprovalGate.builder().clock(clock).store(approvals).build();
  }

  /**
   * Feedback, experiments and metrics in this store, with a 7-day conversion window and the system
   * clock: interactions ingested and attributed, strategy effects, sticky assignments and bandit
   * allocations; a {@code FeedbackLoop} rebuilt from every process's deliveries and interactions.
   * Other windows and clocks: {@link FeedbackStore#builder(OperatingStore)}.
   */
  public FeedbackStore feedback() {
    return feedback;
  }

  /** The data source (the pool when the store opened the URL). */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The table prefix, such as {@code opagent_}. */
  public String tablePrefix() {
    return tablePrefix;
  }

  /** Whether the database is PostgreSQL (else H2). */
  public boolean isPostgres() {
    return postgres;
  }

  /** The database, with credentials masked. */
  @Override
  public String toString() {
    return "OperatingStore[" + description + "]";
  }

  /** Closes the pool when the store opened it; a host's data source is left open. */
  @Override
  public void close() {
    if (housekeeping != null) {
      housekeeping.close();
    }
    journal.close();
    closePool();
  }

  /**
   * The database behind an H2 URL that only this process can open (an embedded file or an in-memory
   * database, without {@code AUTO_SERVER}), normalised; null for any other URL.
   */
  static @Nullable String embeddedDatabase(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("jdbc:h2:") || lower.contains("auto_server=true")) {
      return null;
    }
    String rest = url.substring("jdbc:h2:".length()).split(";", 2)[0];
    String kind = rest.toLowerCase(Locale.ROOT);
    if (kind.startsWith("tcp:") || kind.startsWith("ssl:")) {
      return null;
    }
    if (kind.startsWith("mem:")) {
      return rest;
    }
    if (kind.startsWith("file:")) {
      rest = rest.substring("file:".length());
    }
    return "file:" + Path.of(rest).toAbsolutePath().normalize();
  }

  private void closePool() {
    if (pool != null) {
      pool.close();
    }
  }

  /**
   * Migrates the schema. Flyway locks the history table while it migrates, but creating that table
   * on a fresh database is not under the lock: processes opening it at the same moment can collide
   * there (PostgreSQL: a duplicate key in {@code pg_type}). The loser tries again, and then finds
   * the table and waits for the lock like any other process.
   */
  private void migrate() {
    for (int attempt = 1; ; attempt++) {
      try {
        migrateOnce();
        return;
      } catch (StoreException e) {
        if (attempt == MIGRATION_ATTEMPTS) {
          throw e;
        }
        LOG.debug(
            "migrating the schema failed, trying again ({} of {})", attempt, MIGRATION_ATTEMPTS);
        try {
          Thread.sleep(ThreadLocalRandom.current().nextLong(100, 400));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private void migrateOnce() {
    try {
      Flyway.configure(OperatingStore.class.getClassLoader())
          .dataSource(dataSource)
          .locations("classpath:dev/opagent/store/migration/" + (postgres ? "postgresql" : "h2"))
          .table(tablePrefix + "schema_history")
          .placeholders(Map.of("prefix", tablePrefix))
          .javaMigrations(
              new V3__Ledger_from_journal(tablePrefix), new V9__Executions_by_customer(tablePrefix))
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .loggers("slf4j")
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreException(
          "migrate",
          null,
          0,
          false,
          "operating store: migrating the schema"
              + " of "
              + description
              + " failed ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
  }

  /**
   * What a committed change survives on an embedded H2 store. PostgreSQL's commits survive an
   * operating-system crash and a power loss with its default settings whichever is chosen.
   */
  public enum Durability {
    /**
     * Every commit is in the file when the call returns ({@code WRITE_DELAY=0}), but possibly only
     * in the operating system's cache: it survives a crash of the process, not one of the operating
     * system or a power loss.
     */
    WRITTEN,
    /**
     * As {@link #WRITTEN}, and the journal's commits are then forced to the disk ({@code CHECKPOINT
     * SYNC}, an fsync), once per group: per claimed chunk of 256 actions, per group of completions,
     * per single-action transition. A sync also forces every earlier commit, so the decided batches
     * are on the disk once the first of their actions is claimed, before anything is sent. Survives
     * a crash of the operating system and a power loss of a disk that honours fsync.
     */
    SYNCED
  }

  /** Configures an {@link OperatingStore}: a URL or a data source is required. */
  public static final class Builder {
    private @Nullable DataSource dataSource;
    private @Nullable String url;
    private String user = "";
    private String password = "";
    private String tablePrefix = "opagent_";
    private boolean migrate = true;
    private int maxPoolSize = 10;
    private Durability durability = Durability.SYNCED;
    private boolean databaseTime = true;

    private Builder() {}

    /**
     * Whether claims' leases are judged by the database's clock, so that executors on hosts whose
     * clocks disagree still agree on when a lease has ended (see {@code
     * JdbcExecutionJournal.Builder#databaseTime}). Default {@code true}; tests that drive time with
     * their own clock turn it off.
     */
    public Builder databaseTime(boolean databaseTime) {
      this.databaseTime = databaseTime;
      return this;
    }

    /** What a commit survives on H2. Default {@link Durability#SYNCED}. */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /** The database to open with a HikariCP pool of {@link #maxPoolSize} connections. */
    public Builder url(String jdbcUrl, String user, String password) {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "the store URL must start with jdbc:h2: or"
                + " jdbc:postgresql:, such as jdbc:h2:file:./.opagent/store, but was "
                + mask(jdbcUrl));
      }
      this.url = jdbcUrl;
      this.user = Objects.requireNonNull(user, "user");
      this.password = Objects.requireNonNull(password, "password");
      this.dataSource = null;
      return this;
    }

    /** The host's own data source (its pool); the store never closes it. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.url = null;
      return this;
    }

    /** Prefix of every table. Default {@code opagent_}. */
    public Builder tablePrefix(String prefix) {
      if (!PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException(
            "tablePrefix must be a letter or underscore followed"
                + " by up to 39 letters, digits or underscores, but was '"
                + prefix
                + "'");
      }
      this.tablePrefix = prefix;
      return this;
    }

    /** Whether to migrate the schema on open. Default true. */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /** Connections in the pool the store opens for a URL. Default 10. */
    public Builder maxPoolSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("maxPoolSize must be positive but was " + size);
      }
      this.maxPoolSize = size;
      return this;
    }

    /**
     * Opens the store.
     *
     * @throws IllegalStateException if neither a URL nor a data source was given
     * @throws StoreException if the database cannot be reached or migrated
     */
    public OperatingStore build() {
      if (dataSource != null) {
        return new OperatingStore(this, dataSource, null, "a host data source", null);
      }
      if (url == null) {
        throw new IllegalStateException("set url(jdbcUrl, user, password) or dataSource(...)");
      }
      String jdbcUrl = JdbcExecutionJournal.durableH2(url);
      if (jdbcUrl.startsWith("jdbc:h2:")
          && !jdbcUrl.toUpperCase(Locale.ROOT).contains("LOCK_TIMEOUT")) {
        jdbcUrl += ";LOCK_TIMEOUT=30000";
      }
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(jdbcUrl);
      config.setUsername(user);
      config.setPassword(password);
      config.setMaximumPoolSize(maxPoolSize);
      config.setPoolName("opagent-store");
      config.setInitializationFailTimeout(-1);
      HikariDataSource pool;
      try {
        pool = new HikariDataSource(config);
      } catch (RuntimeException e) {
        throw new StoreException(
            "open",
            null,
            0,
            false,
            "operating store: cannot open " + mask(url) + " (" + e.getClass().getSimpleName() + ")",
            null);
      }
      return new OperatingStore(this, pool, pool, mask(url), embeddedDatabase(url));
    }
  }
}
