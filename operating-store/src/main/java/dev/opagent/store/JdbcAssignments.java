package dev.opagent.store;

import dev.opagent.rules.spi.StickyAssignmentStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link StickyAssignmentStore} on the store's {@code assignments} table, shared by every process.
 * Thread-safe: each call is one statement (or an insert and a read) in autocommit.
 *
 * <p>{@link #putIfAbsent} inserts only when the customer has no row (a unique key on experiment and
 * customer; {@code ON CONFLICT DO NOTHING} on PostgreSQL, a duplicate-key error ignored on H2),
 * then reads the row back: of two processes assigning one customer at once, both get the variant
 * that was stored first. {@link #put} replaces (it is used for a remembered variant the experiment
 * no longer has).
 */
final class JdbcAssignments implements StickyAssignmentStore {
  private final DataSource dataSource;
  private final Clock clock;
  private final boolean postgres;
  private final String select;
  private final String upsert;
  private final String insertIfAbsent;

  JdbcAssignments(DataSource dataSource, String prefix, boolean postgres, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.postgres = postgres;
    String table = prefix + "assignments";
    this.select = "SELECT variant FROM " + table + " WHERE experiment_key = ? AND unit_id = ?";
    String columns = " (experiment_key, unit_id, variant, assigned_at)";
    this.upsert =
        postgres
            ? "INSERT INTO "
                + table
                + columns
                + " VALUES (?, ?, ?, ?) ON CONFLICT (experiment_key,"
                + " unit_id) DO UPDATE SET variant = EXCLUDED.variant, assigned_at ="
                + " EXCLUDED.assigned_at"
            : "MERGE INTO "
                + table
                + columns
                + " KEY (experiment_key, unit_id) VALUES (?, ?, ?, ?)";
    this.insertIfAbsent =
        postgres
            ? "INSERT INTO " + table + columns + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"
            : "INSERT INTO "
                + table
                + columns
                + " SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "
                + table
                + " WHERE experiment_key = ? AND unit_id = ?)";
  }

  @Override
  public Optional<String> get(String experimentKey, String unitId) {
    Objects.requireNonNull(experimentKey, "experimentKey");
    Objects.requireNonNull(unitId, "unitId");
    try (Connection c = dataSource.getConnection()) {
      return read(c, experimentKey, unitId);
    } catch (SQLException e) {
      throw StoreException.of("read an experiment assignment", e);
    }
  }

  @Override
  public void put(String experimentKey, String unitId, String variantKey) {
    check(experimentKey, unitId, variantKey);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(upsert)) {
      bind(ps, experimentKey, unitId, variantKey);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw StoreException.of("store an experiment assignment", e);
    }
  }

  @Override
  public String putIfAbsent(String experimentKey, String unitId, String variantKey) {
    check(experimentKey, unitId, variantKey);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      // H2 reports a duplicate key against a row another transaction has inserted but not yet
      // committed, which this connection cannot read until it is: wait a little and try again.
      for (int attempt = 1; ; attempt++) {
        try (PreparedStatement ps = c.prepareStatement(insertIfAbsent)) {
          bind(ps, experimentKey, unitId, variantKey);
          if (!postgres) {
            ps.setString(5, experimentKey);
            ps.setString(6, unitId);
          }
          ps.executeUpdate();
        } catch (SQLException e) {
          if (!Sql.uniqueViolation(e)) {
            throw e;
          }
          // Another process inserted the row between our check and our insert: it stays.
        }
        Optional<String> stored = read(c, experimentKey, unitId);
        if (stored.isPresent()) {
          return stored.get();
        }
        if (attempt == 6) {
          throw new StoreException(
              "store an experiment assignment",
              null,
              0,
              true,
              "operating store: an experiment assignment vanished right after it was stored;"
                  + " is something deleting rows of the assignments table?",
              null);
        }
        try {
          Thread.sleep(5L << attempt);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StoreException(
              "store an experiment assignment",
              null,
              0,
              true,
              "operating store: interrupted while waiting for a concurrent assignment",
              null);
        }
      }
    } catch (SQLException e) {
      throw StoreException.of("store an experiment assignment", e);
    }
  }

  private Optional<String> read(Connection c, String experimentKey, String unitId)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(select)) {
      ps.setString(1, experimentKey);
      ps.setString(2, unitId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private void bind(PreparedStatement ps, String experimentKey, String unitId, String variant)
      throws SQLException {
    ps.setString(1, experimentKey);
    ps.setString(2, unitId);
    ps.setString(3, variant);
    Sql.setInstant(ps, 4, clock.instant());
  }

  private static void check(String experimentKey, String unitId, String variantKey) {
    Objects.requireNonNull(experimentKey, "experimentKey");
    Objects.requireNonNull(unitId, "unitId");
    Objects.requireNonNull(variantKey, "variantKey");
    Sql.requireFits(experimentKey, "experimentKey");
    Sql.requireFits(unitId, "unitId");
    Sql.requireFits(variantKey, "variantKey");
  }
}
