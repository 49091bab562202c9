package dev.opagent.store;

import dev.opagent.agent.spi.SegmentStore;
import dev.opagent.agent.spi.StoredAnalysis;
import dev.opagent.segment.Source;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SegmentStore} on the operating store's {@code segments} table: one row per customer and
 * agent (runtime ARN and qualifier), replaced by each save. Thread-safe; any number of processes
 * may share the table.
 *
 * <p>Reads take {@value #CHUNK} customers per query ({@code IN} lists). Saves are upserts ({@code
 * INSERT … ON CONFLICT DO UPDATE} on PostgreSQL, {@code MERGE INTO … KEY} on H2), batched {@value
 * #CHUNK} rows to a transaction, in key order so that two processes saving the same customers never
 * deadlock; a deadlock or lock timeout the database reports anyway is retried. When two processes
 * save the same customer at once, the last commit wins: either answer describes the same customer,
 * and one whose data hash no longer matches is asked about again.
 *
 * <p>A customer id longer than {@value #MAX_CUSTOMER_ID} characters, an ARN longer than {@value
 * #MAX_ARN} or a qualifier longer than {@value #MAX_QUALIFIER} does not fit the table: such
 * analyses are not saved (a warning counts them) and are never found, so those customers are asked
 * about every round. A row that cannot be read back (a source this version does not know) is
 * skipped the same way and replaced by the next save.
 */
final class JdbcSegmentStore implements SegmentStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSegmentStore.class);
  static final int CHUNK = 500;
  static final int MAX_CUSTOMER_ID = 200;
  static final int MAX_ARN = 512;
  static final int MAX_QUALIFIER = 100;
  private static final int MAX_TRIES = 8;
  private static final Comparator<StoredAnalysis> KEY_ORDER =
      Comparator.comparing(StoredAnalysis::customerId)
          .thenComparing(StoredAnalysis::agentRuntimeArn)
          .thenComparing(StoredAnalysis::qualifier);

  private final DataSource dataSource;
  private final String select;
  private final String upsert;

  JdbcSegmentStore(DataSource dataSource, String prefix, boolean postgres) {
    this.dataSource = dataSource;
    String table = prefix + "segments";
    String columns =
        "customer_id, agent_arn, qualifier, data_hash, analysed_at, source," + " analysis_json";
    this.select =
        "SELECT customer_id, data_hash, analysed_at, source, analysis_json FROM "
            + table
            + " WHERE agent_arn = ? AND qualifier = ? AND customer_id IN ";
    this.upsert =
        postgres
            ? "INSERT INTO "
                + table
                + " ("
                + columns
                + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (customer_id, agent_arn, qualifier) DO UPDATE SET"
                + " data_hash = EXCLUDED.data_hash, analysed_at = EXCLUDED.analysed_at,"
                + " source = EXCLUDED.source, analysis_json = EXCLUDED.analysis_json"
            : "MERGE INTO "
                + table
                + " ("
                + columns
                + ") KEY (customer_id, agent_arn, qualifier)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)";
  }

  @Override
  public Map<String, StoredAnalysis> find(
      Collection<String> customerIds, String agentRuntimeArn, String qualifier) {
    Objects.requireNonNull(customerIds, "customerIds");
    Objects.requireNonNull(agentRuntimeArn, "agentRuntimeArn");
    Objects.requireNonNull(qualifier, "qualifier");
    List<String> ids = new ArrayList<>();
    for (String id : new LinkedHashSet<>(customerIds)) {
      if (id.length() <= MAX_CUSTOMER_ID) {
        ids.add(id);
      }
    }
    Map<String, StoredAnalysis> out = new HashMap<>();
    if (ids.isEmpty() || agentRuntimeArn.length() > MAX_ARN || qualifier.length() > MAX_QUALIFIER) {
      return out;
    }
    int unreadable = 0;
    try (Connection c = dataSource.getConnection()) {
      for (int from = 0; from < ids.size(); from += CHUNK) {
        List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
        try (PreparedStatement ps = c.prepareStatement(select + marks(chunk.size()))) {
          ps.setString(1, agentRuntimeArn);
          ps.setString(2, qualifier);
          for (int i = 0; i < chunk.size(); i++) {
            ps.setString(3 + i, chunk.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              StoredAnalysis a = row(rs, agentRuntimeArn, qualifier);
              if (a == null) {
                unreadable++;
              } else {
                out.put(a.customerId(), a);
              }
            }
          }
        }
      }
    } catch (SQLException e) {
      throw StoreException.of("read segment analyses", e);
    }
    if (unreadable > 0) {
      LOG.warn(
          "operating store: {} stored segment analyses could not be read (unknown source or"
              + " malformed hash); those customers are asked about again",
          unreadable);
    }
    return out;
  }

  private static @Nullable StoredAnalysis row(ResultSet rs, String arn, String qualifier)
      throws SQLException {
    Source source;
    try {
      source = Source.valueOf(rs.getString(4));
    } catch (IllegalArgumentException e) {
      return null;
    }
    try {
      return new StoredAnalysis(
          rs.getString(1),
          rs.getString(5),
          rs.getString(2),
          rs.getObject(3, OffsetDateTime.class).toInstant(),
          arn,
          qualifier,
          source);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public void saveAll(Collection<StoredAnalysis> analyses) {
    Objects.requireNonNull(analyses, "analyses");
    TreeMap<StoredAnalysis, StoredAnalysis> latest = new TreeMap<>(KEY_ORDER);
    int unfit = 0;
    for (StoredAnalysis a : analyses) {
      if (a.customerId().length() > MAX_CUSTOMER_ID
          || a.agentRuntimeArn().length() > MAX_ARN
          || a.qualifier().length() > MAX_QUALIFIER) {
        unfit++;
        continue;
      }
      latest.merge(a, a, (old, now) -> now.analysedAt().isBefore(old.analysedAt()) ? old : now);
    }
    if (unfit > 0) {
      LOG.warn(
          "operating store: {} segment analyses not saved: a customer id over {}, an agent"
              + " ARN over {} or a qualifier over {} characters does not fit the table",
          unfit,
          MAX_CUSTOMER_ID,
          MAX_ARN,
          MAX_QUALIFIER);
    }
    List<StoredAnalysis> rows = new ArrayList<>(latest.values());
    for (int from = 0; from < rows.size(); from += CHUNK) {
      save(rows.subList(from, Math.min(rows.size(), from + CHUNK)));
    }
  }

  /** Upserts {@code rows} in one transaction, retrying deadlocks and lock timeouts. */
  private void save(List<StoredAnalysis> rows) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(upsert)) {
          for (StoredAnalysis a : rows) {
            ps.setString(1, a.customerId());
            ps.setString(2, a.agentRuntimeArn());
            ps.setString(3, a.qualifier());
            ps.setString(4, a.dataHash());
            ps.setObject(5, utc(a.analysedAt()));
            ps.setString(6, a.source().name());
            ps.setString(7, a.analysisJson());
            ps.addBatch();
          }
          ps.executeBatch();
          c.commit();
          return;
        } catch (SQLException | RuntimeException e) {
          try {
            c.rollback();
          } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
          }
          throw e;
        }
      } catch (SQLException e) {
        SQLException cause =
            e.getNextException() != null && e.getSQLState() == null ? e.getNextException() : e;
        if (!StoreException.retryable(cause) || attempt == MAX_TRIES) {
          throw StoreException.of("save segment analyses", cause);
        }
        backoff(attempt);
      }
    }
  }

  private static OffsetDateTime utc(Instant at) {
    return OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(5L << Math.min(attempt, 8)));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new StoreException(
          "save segment analyses",
          null,
          0,
          false,
          "operating store: interrupted while retrying a save of segment analyses",
          ie);
    }
  }

  private static String marks(int n) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "?" : ", ?");
    }
    return sb.append(')').toString();
  }
}
