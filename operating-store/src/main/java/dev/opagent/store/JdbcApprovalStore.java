package dev.opagent.store;

import dev.opagent.agent.approval.ApprovalKey;
import dev.opagent.agent.approval.ApprovalRequest;
import dev.opagent.agent.approval.ApprovalStatus;
import dev.opagent.agent.approval.ApprovalStore;
import dev.opagent.agent.approval.AuditEvent;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ApprovalStore} of the operating store: approval requests and their audit trail in the
 * tables {@code <prefix>approval_requests} and {@code <prefix>approval_audit}, shared by every
 * process that opens the store. Thread-safe; obtain it from {@link OperatingStore#approvalStore()}
 * and put it behind any number of gates, in any number of processes ({@link
 * OperatingStore#approvalGate}).
 *
 * <p><b>Reads</b> go to the database every time, with no cache, so a gate sees at once what a gate
 * of another process recorded (a grant from the command line, say). They are on the decision path
 * only for actions that need an approval: two indexed single-row queries per such action.
 *
 * <p><b>Deciding once.</b> A grant, a rejection or an expiry is one transaction: {@code UPDATE …
 * WHERE id = ? AND status = ?} with the status the gate read, then, only when that updated the row,
 * the audit event. The database serialises two such updates of one row and the second matches
 * nothing, so of two processes deciding the same request at once exactly one decision and one audit
 * event are recorded; the other gate returns the recorded decision.
 *
 * <p><b>Asking once.</b> A key has at most one open request (stored status {@code PENDING} or
 * {@code APPROVED}), enforced by a unique index: a partial one on PostgreSQL, one over a generated
 * column that holds the key only while the request is open on H2. A new request is one transaction
 * of the insert and its audit event; when the index refuses the insert, the gate reads the key's
 * latest request and returns it. A unique constraint was chosen over a conditional insert ({@code
 * INSERT … WHERE NOT EXISTS}) because under {@code READ COMMITTED} two transactions do not see each
 * other's uncommitted rows, so both conditions would hold and both inserts succeed; only an index
 * (or a lock) makes the second wait for the first and then fail.
 *
 * <p>Instants are stored to the microsecond. Failures of the database are {@link StoreException}s
 * whose messages quote no key, summary or reason (keys of single actions hold customer ids).
 */
public final class JdbcApprovalStore implements ApprovalStore {
  /** Longest approval key the schema holds. */
  public static final int MAX_KEY_LENGTH = 1000;

  /** Longest request id the schema holds. */
  public static final int MAX_ID_LENGTH = 200;

  private static final String UNIQUE_VIOLATION = "23505";
  private static final int MAX_TRIES = 8;
  private static final String COLUMNS =
      "id, approval_key, summary, requested_by, requested_at,"
          + " deadline, status, decided_by, decided_at, reason, valid_until, cost";

  private final DataSource dataSource;
  private final String selectById;
  private final String selectLatest;
  private final String selectPending;
  private final String insert;
  private final String update;
  private final String updateIf;
  private final String insertAudit;
  private final String selectAudit;

  JdbcApprovalStore(DataSource dataSource, String prefix) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    String requests = prefix + "approval_requests";
    String audit = prefix + "approval_audit";
    String select = "SELECT " + COLUMNS + " FROM " + requests;
    this.selectById = select + " WHERE id = ?";
    this.selectLatest =
        select + " WHERE approval_key = ? ORDER BY seq DESC" + " FETCH FIRST 1 ROWS ONLY";
    this.selectPending = select + " WHERE status = 'PENDING' ORDER BY seq";
    this.insert =
        "INSERT INTO "
            + requests
            + " ("
            + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?)";
    String set =
        "UPDATE "
            + requests
            + " SET approval_key = ?, summary = ?, requested_by = ?,"
            + " requested_at = ?, deadline = ?, status = ?, decided_by = ?, decided_at = ?, reason = ?,"
            + " valid_until = ?, cost = ? WHERE id = ?";
    this.update = set;
    this.updateIf = set + " AND status = ?";
    this.insertAudit =
        "INSERT INTO "
            + audit
            + " (occurred_at, event_type, request_id,"
            + " approval_key, actor, reason) VALUES (?, ?, ?, ?, ?, ?)";
    this.selectAudit =
        "SELECT occurred_at, event_type, request_id, approval_key, actor, reason"
            + " FROM "
            + audit
            + " ORDER BY seq";
  }

  /**
   * Inserts {@code request} or replaces the stored request with its id, unconditionally (the gate
   * records transitions with {@link #createIfNoneOpen} and {@link #replaceIf}).
   *
   * @throws IllegalArgumentException if the id or key is too long or the status is {@code
   *     NOT_REQUESTED}
   * @throws StoreException if the database fails, or refuses a second open request of the key
   */
  @Override
  public void save(ApprovalRequest request) {
    check(request);
    inTransaction(
        "save an approval request",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(update)) {
            int next = bindUpdate(ps, request);
            ps.setString(next, request.id());
            if (ps.executeUpdate() == 1) {
              return true;
            }
          }
          insertRequest(c, request);
          return true;
        });
  }

  /**
   * The request with {@code id}, as committed by any process.
   *
   * @throws StoreException if the database fails
   */
  @Override
  public Optional<ApprovalRequest> byId(String id) {
    Objects.requireNonNull(id, "id");
    return one("read an approval request", selectById, id);
  }

  /**
   * The most recently created request for {@code key}, as committed by any process.
   *
   * @throws StoreException if the database fails
   */
  @Override
  public Optional<ApprovalRequest> latest(ApprovalKey key) {
    Objects.requireNonNull(key, "key");
    return one("read the latest approval request", selectLatest, key.value());
  }

  /**
   * The requests whose stored status is {@code PENDING}, oldest first. Some may be past their
   * deadline and not yet marked expired: {@link ApprovalRequest#statusAt} tells.
   *
   * @throws StoreException if the database fails
   */
  public List<ApprovalRequest> pending() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(selectPending);
        ResultSet rs = ps.executeQuery()) {
      List<ApprovalRequest> out = new ArrayList<>();
      while (rs.next()) {
        out.add(request(rs));
      }
      return out;
    } catch (SQLException e) {
      throw StoreException.of("list pending approval requests", e);
    }
  }

  /**
   * Appends {@code event} to the audit trail on its own (the gate appends inside {@link
   * #createIfNoneOpen} and {@link #replaceIf}).
   *
   * @throws IllegalArgumentException if the request id or key is too long
   * @throws StoreException if the database fails
   */
  @Override
  public void append(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    checkLengths(event.requestId(), event.key());
    inTransaction(
        "append an approval audit event",
        c -> {
          insertAudit(c, event);
          return true;
        });
  }

  /**
   * The whole audit trail of every process, oldest first.
   *
   * @throws StoreException if the database fails
   */
  @Override
  public List<AuditEvent> auditTrail() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(selectAudit);
        ResultSet rs = ps.executeQuery()) {
      List<AuditEvent> out = new ArrayList<>();
      while (rs.next()) {
        out.add(
            new AuditEvent(
                instant(rs, 1),
                AuditEvent.Type.valueOf(rs.getString(2)),
                rs.getString(3),
                new ApprovalKey(rs.getString(4)),
                rs.getString(5),
                rs.getString(6)));
      }
      return out;
    } catch (SQLException e) {
      throw StoreException.of("read the approval audit trail", e);
    } catch (IllegalArgumentException e) {
      throw unreadable("read the approval audit trail", e);
    }
  }

  /**
   * Inserts {@code request} and appends {@code requested} in one transaction, unless the key
   * already has an open request, which the unique index over open keys reports.
   *
   * @throws IllegalArgumentException if the id or key is too long or the status is {@code
   *     NOT_REQUESTED}
   * @throws IllegalStateException if a request with the same id is already stored
   * @throws StoreException if the database fails
   */
  @Override
  public boolean createIfNoneOpen(ApprovalRequest request, AuditEvent requested) {
    check(request);
    Objects.requireNonNull(requested, "requested");
    checkLengths(requested.requestId(), requested.key());
    boolean created =
        inTransaction(
            "record an approval request",
            c -> {
              try {
                insertRequest(c, request);
              } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                  return false;
                }
                throw e;
              }
              insertAudit(c, requested);
              return true;
            });
    if (!created && byId(request.id()).isPresent()) {
      throw new IllegalStateException(
          "approval request id "
              + request.id()
              + " is already"
              + " stored; the gate's ids must be unique (the default makes random UUIDs)");
    }
    return created;
  }

  /**
   * Replaces the request and appends {@code event} in one transaction, only if the stored status is
   * still {@code expected} ({@code UPDATE … WHERE id = ? AND status = ?}).
   *
   * @throws IllegalArgumentException if the id or key is too long or the status is {@code
   *     NOT_REQUESTED}
   * @throws StoreException if the database fails
   */
  @Override
  public boolean replaceIf(ApprovalStatus expected, ApprovalRequest updated, AuditEvent event) {
    Objects.requireNonNull(expected, "expected");
    check(updated);
    Objects.requireNonNull(event, "event");
    checkLengths(event.requestId(), event.key());
    return inTransaction(
        "record an approval decision",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(updateIf)) {
            int next = bindUpdate(ps, updated);
            ps.setString(next, updated.id());
            ps.setString(next + 1, expected.name());
            if (ps.executeUpdate() != 1) {
              return false;
            }
          }
          insertAudit(c, event);
          return true;
        });
  }

  @Override
  public String toString() {
    return "JdbcApprovalStore";
  }

  /** Work inside one transaction; its result is committed, an exception rolls it back. */
  private interface Work {
    boolean run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in a {@code READ COMMITTED} transaction: committed when it returns true,
   * rolled back when it returns false or throws; retried on a deadlock or lock timeout.
   */
  private boolean inTransaction(String operation, Work work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        try {
          boolean done = work.run(c);
          if (done) {
            c.commit();
          } else {
            c.rollback();
          }
          return done;
        } catch (SQLException | RuntimeException e) {
          try {
            c.rollback();
          } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
          }
          throw e;
        } finally {
          restoreAutoCommit(c);
        }
      } catch (SQLException e) {
        if (!StoreException.retryable(e) || attempt == MAX_TRIES) {
          throw StoreException.of(operation, e);
        }
        backoff(operation, attempt);
      }
    }
  }

  /** Hands the connection back as it came (a host's pool may not reset it). */
  private static void restoreAutoCommit(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      // The connection is broken; closing it follows, and the failure that matters was thrown.
    }
  }

  private static void backoff(String operation, int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << Math.min(attempt, 8)));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new StoreException(
          operation,
          null,
          0,
          false,
          "operating store: interrupted while" + " retrying to " + operation,
          ie);
    }
  }

  private Optional<ApprovalRequest> one(String operation, String sql, String value) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(request(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw StoreException.of(operation, e);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw unreadable(operation, e);
    }
  }

  private void insertRequest(Connection c, ApprovalRequest r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      ps.setString(1, r.id());
      ps.setString(2, r.key().value());
      ps.setString(3, r.summary());
      ps.setString(4, r.requestedBy());
      setInstant(ps, 5, r.requestedAt());
      setInstant(ps, 6, r.deadline());
      ps.setString(7, r.status().name());
      ps.setString(8, r.decidedBy());
      setInstant(ps, 9, r.decidedAt());
      ps.setString(10, r.reason());
      setInstant(ps, 11, r.validUntil());
      ps.setString(12, cost(r));
      ps.executeUpdate();
    }
  }

  /** Binds every column but the id; returns the next parameter index. */
  private static int bindUpdate(PreparedStatement ps, ApprovalRequest r) throws SQLException {
    ps.setString(1, r.key().value());
    ps.setString(2, r.summary());
    ps.setString(3, r.requestedBy());
    setInstant(ps, 4, r.requestedAt());
    setInstant(ps, 5, r.deadline());
    ps.setString(6, r.status().name());
    ps.setString(7, r.decidedBy());
    setInstant(ps, 8, r.decidedAt());
    ps.setString(9, r.reason());
    setInstant(ps, 10, r.validUntil());
    ps.setString(11, cost(r));
    return 12;
  }

  /** The cost as text, so that it reads back with its scale on every database. */
  private static @Nullable String cost(ApprovalRequest r) {
    BigDecimal cost = r.cost();
    return cost == null ? null : cost.toPlainString();
  }

  private void insertAudit(Connection c, AuditEvent e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(insertAudit)) {
      setInstant(ps, 1, e.at());
      ps.setString(2, e.type().name());
      ps.setString(3, e.requestId());
      ps.setString(4, e.key().value());
      ps.setString(5, e.actor());
      ps.setString(6, e.reason());
      ps.executeUpdate();
    }
  }

  private static ApprovalRequest request(ResultSet rs) throws SQLException {
    return new ApprovalRequest(
        rs.getString(1),
        new ApprovalKey(rs.getString(2)),
        rs.getString(3),
        rs.getString(4),
        instant(rs, 5),
        instant(rs, 6),
        ApprovalStatus.valueOf(rs.getString(7)),
        rs.getString(8),
        optionalInstant(rs, 9),
        rs.getString(10),
        optionalInstant(rs, 11),
        rs.getString(12) == null ? null : new BigDecimal(rs.getString(12)));
  }

  private static void check(ApprovalRequest request) {
    Objects.requireNonNull(request, "request");
    if (request.status() == ApprovalStatus.NOT_REQUESTED) {
      throw new IllegalArgumentException(
          "status NOT_REQUESTED is not stored; a stored request is"
              + " PENDING, APPROVED, REJECTED or EXPIRED");
    }
    checkLengths(request.id(), request.key());
  }

  private static void checkLengths(String id, ApprovalKey key) {
    if (id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          "approval request id must be at most "
              + MAX_ID_LENGTH
              + " characters but was "
              + id.length());
    }
    if (key.value().length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "approval key must be at most "
              + MAX_KEY_LENGTH
              + " characters but was "
              + key.value().length()
              + "; shorten the campaign id, customer"
              + " id or action type it is made of");
    }
  }

  private static StoreException unreadable(String operation, RuntimeException e) {
    return new StoreException(
        operation,
        null,
        0,
        false,
        "operating store: "
            + operation
            + " failed: a stored row has an empty or unknown value ("
            + e.getClass().getSimpleName()
            + ")",
        null);
  }

  private static void setInstant(PreparedStatement ps, int index, @Nullable Instant at)
      throws SQLException {
    if (at == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(
          index, OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Instant at = optionalInstant(rs, column);
    if (at == null) {
      throw new IllegalArgumentException("column " + column + " is null");
    }
    return at;
  }

  private static @Nullable Instant optionalInstant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
