package dev.opagent.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.loop.RoundReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The {@code rounds} table: one row per round planned, replaced when the round is planned again.
 * Thread-safe.
 */
final class JdbcRounds {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, Long>> COUNTS = new TypeReference<>() {};
  private static final String COLUMNS =
      "run_id, recorded_at, resumed, customers, segmented, fallback, segmentation_failed,"
          + " held_out, chosen, deferred, blocked, suppressed, eligible_json, not_chosen_json,"
          + " elapsed_ms";

  private final DataSource dataSource;
  private final String upsert;
  private final String select;

  JdbcRounds(DataSource dataSource, String prefix, boolean postgres) {
    this.dataSource = dataSource;
    String table = prefix + "rounds";
    String values = " VALUES " + Sql.marks(15);
    this.upsert =
        postgres
            ? "INSERT INTO "
                + table
                + " ("
                + COLUMNS
                + ")"
                + values
                + " ON CONFLICT (run_id) DO UPDATE SET recorded_at = EXCLUDED.recorded_at,"
                + " resumed = EXCLUDED.resumed, customers = EXCLUDED.customers,"
                + " segmented = EXCLUDED.segmented, fallback = EXCLUDED.fallback,"
                + " segmentation_failed = EXCLUDED.segmentation_failed,"
                + " held_out = EXCLUDED.held_out, chosen = EXCLUDED.chosen,"
                + " deferred = EXCLUDED.deferred, blocked = EXCLUDED.blocked,"
                + " suppressed = EXCLUDED.suppressed, eligible_json = EXCLUDED.eligible_json,"
                + " not_chosen_json = EXCLUDED.not_chosen_json, elapsed_ms = EXCLUDED.elapsed_ms"
            : "MERGE INTO " + table + " (" + COLUMNS + ") KEY (run_id)" + values;
    this.select = "SELECT " + COLUMNS + " FROM " + table;
  }

  void record(RoundReport r, Instant finishedAt) {
    Sql.requireFits(r.runId(), "runId");
    Map<String, Long> reasons = new TreeMap<>();
    r.notChosenByReason().forEach((code, n) -> reasons.put(code.name(), n));
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(upsert)) {
      ps.setString(1, r.runId());
      Sql.setInstant(ps, 2, finishedAt);
      ps.setBoolean(3, r.resumed());
      ps.setLong(4, r.customers());
      ps.setLong(5, r.segmented());
      ps.setLong(6, r.fallback());
      ps.setLong(7, r.segmentationFailed());
      ps.setLong(8, r.heldOut());
      ps.setLong(9, r.chosen());
      ps.setLong(10, r.deferred());
      ps.setLong(11, r.blocked());
      ps.setLong(12, r.suppressed());
      ps.setString(13, JSON.writeValueAsString(new TreeMap<>(r.eligibleByCampaign())));
      ps.setString(14, JSON.writeValueAsString(reasons));
      ps.setLong(15, r.elapsed().toMillis());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw StoreException.of("record round " + r.runId(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a round's counts are always JSON", e);
    }
  }

  List<RecordedRound> recent(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
    List<RecordedRound> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(select + " ORDER BY recorded_at DESC, run_id DESC")) {
      ps.setMaxRows(limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
    } catch (SQLException e) {
      throw StoreException.of("read recorded rounds", e);
    }
    return out;
  }

  Optional<RecordedRound> find(String runId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(select + " WHERE run_id = ?")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw StoreException.of("read a recorded round", e);
    }
  }

  private static RecordedRound read(ResultSet rs) throws SQLException {
    try {
      return new RecordedRound(
          rs.getString("run_id"),
          Objects.requireNonNull(Sql.instant(rs, "recorded_at"), "recorded_at"),
          rs.getBoolean("resumed"),
          rs.getLong("customers"),
          rs.getLong("segmented"),
          rs.getLong("fallback"),
          rs.getLong("segmentation_failed"),
          rs.getLong("held_out"),
          rs.getLong("chosen"),
          rs.getLong("deferred"),
          rs.getLong("blocked"),
          rs.getLong("suppressed"),
          JSON.readValue(rs.getString("eligible_json"), COUNTS),
          JSON.readValue(rs.getString("not_chosen_json"), COUNTS),
          Duration.ofMillis(rs.getLong("elapsed_ms")));
    } catch (JsonProcessingException e) {
      throw new StoreException(
          "read", null, 0, false, "operating store: a recorded round's counts are not JSON", e);
    }
  }
}
