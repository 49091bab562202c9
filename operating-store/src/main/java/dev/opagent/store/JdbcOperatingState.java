package dev.opagent.store;

import dev.opagent.agent.Channel;
import dev.opagent.agent.budget.BudgetLedger;
import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.execution.journal.CustomerKeys;
import dev.opagent.agent.execution.journal.JdbcExecutionJournal;
import dev.opagent.agent.execution.journal.JournalException;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.OperatingState;
import dev.opagent.agent.loop.RoundRecorder;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.spi.Contact;
import dev.opagent.rules.Action;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * {@link OperatingState} on the operating store's tables. Each batch is one {@code READ COMMITTED}
 * transaction that first locks, with {@code SELECT … FOR UPDATE} in name order, one row per
 * customer of the batch, plus one row for the budgets when the policy limits money and one per
 * action type with a daily limit. Locking is what keeps the guardrails whole across processes: a
 * cap or budget is a sum over rows, and no database constraint can check a sum, so a batch that
 * read the sum must keep everyone else who would change it waiting until it has journalled its
 * choice. An embedded H2 database (a file or memory, without {@code AUTO_SERVER}) belongs to one
 * process, so there one lock in memory per database serialises the batches instead, with no lock
 * rows to write. Row locks were chosen over PostgreSQL's advisory locks because H2 has none, and
 * over {@code SERIALIZABLE} because serialisation failures would re-decide whole batches under
 * contention; taking every lock in one global name order means two batches never deadlock (a
 * deadlock or lock timeout the database reports anyway is retried).
 *
 * <p>The facts are read inside the lock: contacts reserved or delivered per customer in one query
 * per batch, money in use per limited budget, and actions per limited type and day. Budget batches
 * serialise on the budget row: with a money limit, batches of all processes take turns.
 */
final class JdbcOperatingState implements OperatingState, RoundRecorder {
  private static final int CHUNK = 500;
  private static final int MAX_TRIES = 8;
  private static final String LIVE = "('PENDING', 'EXECUTING', 'COMPLETED')";

  /** One lock per embedded database and table prefix, for every store of this JVM on it. */
  private static final ConcurrentHashMap<String, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  private final DataSource dataSource;
  private final JdbcRounds rounds;
  private final @Nullable ReentrantLock local;
  private final JdbcExecutionJournal journal;
  private final boolean postgres;
  private final String locks;
  private final String insertLedger;
  private final String contacts;
  private final String budgetAll;
  private final String budgetCampaign;
  private final String executions;

  JdbcOperatingState(
      DataSource dataSource,
      JdbcExecutionJournal journal,
      String prefix,
      boolean postgres,
      @Nullable String embeddedDatabase,
      JdbcRounds rounds) {
    this.dataSource = dataSource;
    this.rounds = rounds;
    this.local =
        embeddedDatabase == null
            ? null
            : LOCAL.computeIfAbsent(embeddedDatabase + "|" + prefix, k -> new ReentrantLock(true));
    this.journal = journal;
    this.postgres = postgres;
    this.locks = prefix + "locks";
    String ledger = prefix + "ledger";
    String join =
        ledger + " l JOIN " + prefix + "executions e ON e.idempotency_key =" + " l.idempotency_key";
    this.insertLedger =
        "INSERT INTO "
            + ledger
            + " (idempotency_key, customer_id, campaign,"
            + " action_type, contact_channel, counted_types, planned_at, decided_at, reserved_units)"
            + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "
            + ledger
            + " WHERE idempotency_key = ?)";
    this.contacts =
        "SELECT l.customer_id, l.contact_channel, l.planned_at, l.campaign,"
            + " l.action_type, l.reserved_units FROM "
            + join
            + " WHERE l.contact_channel IS NOT NULL"
            + " AND l.planned_at >= ? AND e.state IN "
            + LIVE
            + " AND l.customer_id IN ";
    String spent =
        "SELECT COALESCE(SUM(CASE WHEN e.state = 'COMPLETED' AND e.receipt_cost IS NOT"
            + " NULL THEN CAST(CEILING(CAST(e.receipt_cost AS DECIMAL(38, 10)) * 10000) AS BIGINT)"
            + " WHEN e.state IN "
            + LIVE
            + " THEN l.reserved_units ELSE 0 END), 0) FROM "
            + join;
    this.budgetAll = spent;
    this.budgetCampaign = spent + " WHERE l.campaign = ?";
    this.executions =
        "SELECT COUNT(*) FROM "
            + join
            + " WHERE l.decided_at >= ? AND"
            + " l.decided_at < ? AND l.counted_types LIKE ? AND e.state IN "
            + LIVE;
  }

  /** Keeps the round's report in the {@code rounds} table, in a transaction of its own. */
  @Override
  public void recordRound(RoundReport report, Instant finishedAt) {
    rounds.record(report, finishedAt);
  }

  /** The money in use against budgets, as a batch reads it, but outside one: no lock is taken. */
  BigDecimal budgetInUse(@Nullable String campaign) {
    try (Connection c = dataSource.getConnection()) {
      return budgetInUse(c, campaign);
    } catch (SQLException e) {
      throw StoreException.of("read the money in use", e);
    }
  }

  private BigDecimal budgetInUse(Connection c, @Nullable String campaign) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(campaign == null ? budgetAll : budgetCampaign)) {
      if (campaign != null) {
        ps.setString(1, campaign);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return BigDecimal.valueOf(rs.getLong(1), BudgetLedger.SCALE);
      }
    }
  }

  @Override
  public <T> T inBatch(
      Collection<String> customerIds, DecisionPolicy policy, Instant now, Function<Batch, T> work) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(work, "work");
    if (local != null) {
      // An embedded database belongs to this process alone: one lock in memory serialises the
      // batches of every store of this JVM on it, with no lock rows to write.
      local.lock();
      try {
        return decide(List.of(), customerIds, now, work);
      } finally {
        local.unlock();
      }
    }
    TreeSet<String> names = new TreeSet<>();
    for (String id : customerIds) {
      names.add(lockName(id));
    }
    BudgetLimits budgets = policy.budgets();
    if (budgets.global() != null || !budgets.perCampaign().isEmpty()) {
      names.add("budget");
    }
    for (String type : policy.executionLimits().keySet()) {
      names.add("x:" + type);
    }
    List<String> sorted = new ArrayList<>(names);
    ensureLockRows(sorted);
    return decide(sorted, customerIds, now, work);
  }

  /** One batch's transaction, taking the lock rows of {@code sorted}; retried on deadlocks. */
  private <T> T decide(
      List<String> sorted, Collection<String> customerIds, Instant now, Function<Batch, T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        try {
          lock(c, sorted);
          T result = work.apply(new JdbcBatch(c, customerIds, now));
          c.commit();
          // Not forced to the disk here: the executor's first claim of these actions is, and a
          // sync forces every earlier commit with it, so nothing is sent from a batch that a power
          // loss could undo; a batch lost before that is decided again when the round resumes.
          return result;
        } catch (SQLException | RuntimeException e) {
          try {
            c.rollback();
          } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
          }
          throw e;
        }
      } catch (SQLException e) {
        if (!StoreException.retryable(e) || attempt == MAX_TRIES) {
          throw StoreException.of("decide a batch", e);
        }
        backoff(attempt);
      } catch (JournalException e) {
        if (!e.retryable() || attempt == MAX_TRIES) {
          throw e;
        }
        backoff(attempt);
      }
    }
  }

  /** A customer's lock row. */
  static String lockName(String customerId) {
    return "c:" + CustomerKeys.of(customerId);
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(5L << Math.min(attempt, 8)));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new StoreException(
          "decide a batch",
          null,
          0,
          false,
          "operating store: interrupted while retrying a batch",
          ie);
    }
  }

  /** Creates the lock rows that are missing, committed at once so locking only ever waits. */
  private void ensureLockRows(List<String> names) {
    String sql =
        postgres
            ? "INSERT INTO " + locks + " (name) VALUES (?) ON CONFLICT DO NOTHING"
            : "MERGE INTO " + locks + " (name) KEY (name) VALUES (?)";
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      for (int from = 0; from < names.size(); from += CHUNK) {
        List<String> chunk = names.subList(from, Math.min(names.size(), from + CHUNK));
        List<String> missing = new ArrayList<>(chunk);
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT name FROM " + locks + " WHERE name IN " + marks(chunk.size()))) {
          bind(ps, 1, chunk);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              missing.remove(rs.getString(1));
            }
          }
        }
        if (missing.isEmpty()) {
          continue;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          for (String n : missing) {
            ps.setString(1, n);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
      }
    } catch (SQLException e) {
      throw StoreException.of("create lock rows", e);
    }
  }

  private void lock(Connection c, List<String> sorted) throws SQLException {
    for (int from = 0; from < sorted.size(); from += CHUNK) {
      List<String> chunk = sorted.subList(from, Math.min(sorted.size(), from + CHUNK));
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT name FROM "
                  + locks
                  + " WHERE name IN "
                  + marks(chunk.size())
                  + " ORDER BY name FOR UPDATE")) {
        bind(ps, 1, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            // Locked.
          }
        }
      }
    }
  }

  private static String marks(int n) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "?" : ", ?");
    }
    return sb.append(')').toString();
  }

  private static void bind(PreparedStatement ps, int first, List<String> values)
      throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      ps.setString(first + i, values.get(i));
    }
  }

  /** An instant for a {@code TIMESTAMP WITH TIME ZONE} column, whatever the JVM's zone. */
  private static OffsetDateTime ts(Instant at) {
    return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
  }

  static long units(BigDecimal amount) {
    return amount.setScale(BudgetLedger.SCALE, RoundingMode.UP).unscaledValue().longValueExact();
  }

  /** One batch's transaction; customers by their {@link CustomerKeys key}, sorted. */
  private final class JdbcBatch implements Batch {
    private final Connection c;
    private final List<String> customerIds;
    private final Instant now;
    private @Nullable Map<String, List<Contact>> loaded;
    private @Nullable Instant loadedSince;

    JdbcBatch(Connection c, Collection<String> customerIds, Instant now) {
      this.c = c;
      TreeSet<String> keys = new TreeSet<>();
      for (String id : customerIds) {
        keys.add(CustomerKeys.of(id));
      }
      this.customerIds = new ArrayList<>(keys);
      this.now = now;
    }

    @Override
    public List<Contact> contactsSince(String customerId, Instant since) {
      String key = CustomerKeys.of(customerId);
      if (loaded == null || loadedSince == null || since.isBefore(loadedSince)) {
        loaded = load(since);
        loadedSince = since;
      }
      if (Collections.binarySearch(customerIds, key) < 0) {
        return load(since, List.of(key)).getOrDefault(key, List.of());
      }
      return loaded.getOrDefault(key, List.of());
    }

    private Map<String, List<Contact>> load(Instant since) {
      return load(since, customerIds);
    }

    private Map<String, List<Contact>> load(Instant since, List<String> ids) {
      Map<String, List<Contact>> out = new HashMap<>();
      try {
        for (int from = 0; from < ids.size(); from += CHUNK) {
          List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
          try (PreparedStatement ps = c.prepareStatement(contacts + marks(chunk.size()))) {
            ps.setObject(1, ts(since));
            bind(ps, 2, chunk);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                    .add(
                        new Contact(
                            Channel.contact(rs.getString(2)),
                            rs.getObject(3, OffsetDateTime.class).toInstant(),
                            rs.getString(4),
                            rs.getString(5),
                            BigDecimal.valueOf(rs.getLong(6), BudgetLedger.SCALE)));
              }
            }
          }
        }
      } catch (SQLException e) {
        throw StoreException.of("read contacts", e);
      }
      return out;
    }

    @Override
    public BigDecimal budgetInUse(@Nullable String campaign) {
      try {
        return JdbcOperatingState.this.budgetInUse(c, campaign);
      } catch (SQLException e) {
        throw StoreException.of("read the money in use", e);
      }
    }

    @Override
    public long executions(String actionType, Instant from, Instant until) {
      try (PreparedStatement ps = c.prepareStatement(executions)) {
        ps.setObject(1, ts(from));
        ps.setObject(2, ts(until));
        ps.setString(3, "%," + escapeLike(actionType) + ",%");
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      } catch (SQLException e) {
        throw StoreException.of("count executions", e);
      }
    }

    @Override
    public List<ExecutionRecord> enlist(List<ActionRequest> requests, List<PlannedAction> chosen) {
      if (requests.size() != chosen.size()) {
        throw new IllegalArgumentException(
            "requests and chosen actions must be in pairs, but"
                + " there are "
                + requests.size()
                + " requests and "
                + chosen.size()
                + " actions");
      }
      List<ExecutionRecord> records = journal.enlist(c, requests, now);
      try (PreparedStatement ps = c.prepareStatement(insertLedger)) {
        for (int i = 0; i < requests.size(); i++) {
          ActionRequest r = requests.get(i);
          PlannedAction a = chosen.get(i);
          Channel ch = a.channel();
          StringBuilder types = new StringBuilder(",").append(r.actionType()).append(',');
          for (Action att : r.attachments()) {
            types.append(att.type()).append(',');
          }
          ps.setString(1, r.idempotencyKey());
          ps.setString(2, CustomerKeys.of(r.customerId()));
          ps.setString(3, r.campaign());
          ps.setString(4, r.actionType());
          ps.setString(5, ch != null && ch.contact() ? ch.id() : null);
          ps.setString(6, types.toString());
          ps.setObject(7, ts(r.plannedAt()));
          ps.setObject(8, ts(a.plannedAt().minus(a.delay())));
          ps.setLong(9, units(r.cost()));
          ps.setString(10, r.idempotencyKey());
          ps.addBatch();
        }
        ps.executeBatch();
      } catch (SQLException e) {
        throw StoreException.of("journal the ledger", e);
      }
      return records;
    }
  }

  private static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
