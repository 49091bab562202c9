package dev.opagent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** JDBC helpers of the feedback tables. Stateless and thread-safe. */
final class Sql {
  /** The longest customer id, campaign, key, experiment or variant name the tables hold. */
  static final int MAX_TEXT = 200;

  private Sql() {}

  /** Binds an instant as a UTC timestamp with time zone (both databases keep microseconds). */
  static void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
    ps.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
  }

  /** The instant in {@code column}, or null. */
  static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** {@code (?, ?, …)} with {@code n} marks. */
  static String marks(int n) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "?" : ", ?");
    }
    return sb.append(')').toString();
  }

  /** Binds {@code values} from parameter {@code first} on. */
  static void bind(PreparedStatement ps, int first, List<String> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      ps.setString(first + i, values.get(i));
    }
  }

  /** The single number {@code sql} selects. */
  static long number(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Whether {@code e} is a unique-key violation (SQL state 23505 on H2 and PostgreSQL). */
  static boolean uniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  /** Rolls back, keeping a failure of the rollback as suppressed by {@code cause}. */
  static void rollback(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException suppressed) {
      cause.addSuppressed(suppressed);
    }
  }

  /**
   * Checks that {@code value} fits the tables.
   *
   * @throws IllegalArgumentException naming {@code field} (never the value)
   */
  static void requireFits(@Nullable String value, String field) {
    if (value != null && value.length() > MAX_TEXT) {
      throw new IllegalArgumentException(
          field
              + " is longer than "
              + MAX_TEXT
              + " characters (it has "
              + value.length()
              + "); the operating store keeps up to "
              + MAX_TEXT);
    }
  }
}
