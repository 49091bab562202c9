package dev.opagent.console.internal;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.store.OperatingStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The most recent runs of an operating store's journal, with their counts per state. */
public final class Runs {
  private Runs() {}

  /** One run: its id, its state, when it last changed and how many actions are in each state. */
  public record Run(String id, String state, Instant updatedAt, Map<ExecutionState, Long> counts) {
    public long count(ExecutionState s) {
      return counts.getOrDefault(s, 0L);
    }

    public long total() {
      return counts.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** The {@code limit} runs changed last, newest first. */
  public static List<Run> recent(OperatingStore store, int limit) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    String sql =
        "SELECT run_id, state, updated_at FROM "
            + store.tablePrefix()
            + "runs ORDER BY updated_at DESC, run_id DESC";
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setMaxRows(limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && rows.size() < limit) {
          rows.add(new String[] {rs.getString(1), rs.getString(2)});
          Timestamp t = rs.getTimestamp(3);
          times.add(t == null ? Instant.EPOCH : t.toInstant());
        }
      }
    }
    List<Run> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String id = rows.get(i)[0];
      out.add(new Run(id, rows.get(i)[1], times.get(i), store.journal().counts(id)));
    }
    return out;
  }

  /**
   * The actions run {@code runId} planned per campaign: as the operating state recorded them when
   * it journalled them, else (a loop journalling without it) read from the first {@code scanLimit}
   * stored requests of the run.
   */
  public static Map<String, Long> plannedByCampaign(
      OperatingStore store, String runId, int scanLimit) throws SQLException {
    String p = store.tablePrefix();
    Map<String, Long> out = new HashMap<>();
    try (Connection c = store.dataSource().getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT l.campaign, COUNT(*) FROM "
                  + p
                  + "executions e JOIN "
                  + p
                  + "ledger l ON l.idempotency_key = e.idempotency_key WHERE e.run_id = ?"
                  + " GROUP BY l.campaign")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      if (!out.isEmpty()) {
        return out;
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT request_json FROM " + p + "executions WHERE run_id = ? ORDER BY seq")) {
        ps.setString(1, runId);
        ps.setMaxRows(scanLimit);
        ps.setFetchSize(500);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.merge(ActionRequest.fromJson(rs.getString(1)).campaign(), 1L, Long::sum);
          }
        }
      }
    }
    return out;
  }
}
