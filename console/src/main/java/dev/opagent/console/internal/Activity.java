package dev.opagent.console.internal;

import dev.opagent.store.OperatingStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the actions of some runs did lately: deliveries per minute over the last hour and failures
 * by cause. Read along the journal's index on runs, so its cost follows the size of those runs, not
 * of the whole journal.
 */
public final class Activity {
  private Activity() {}

  /** How many failed actions gave one reason. */
  public record Cause(String reason, long count) {}

  /**
   * The activity of {@code runIds}.
   *
   * @param minuteStarts the start of each of the last {@code minutes} minutes, oldest first
   * @param deliveries the deliveries in each of those minutes
   * @param failures failed actions by reason, most frequent first, at most {@code maxCauses}
   * @param otherFailures failed actions of the reasons left out
   */
  public record Recent(
      List<Instant> minuteStarts, List<Long> deliveries, List<Cause> failures, long otherFailures) {
    /** All deliveries of the period. */
    public long totalDeliveries() {
      return deliveries.stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Deliveries per minute over {@code minutes} minutes up to {@code now}, failures by cause. */
  public static Recent of(
      OperatingStore store, List<String> runIds, Instant now, int minutes, int maxCauses)
      throws SQLException {
    Instant end = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    Instant start = end.minus(Duration.ofMinutes(minutes));
    long[] perMinute = new long[minutes];
    Map<String, Long> causes = new HashMap<>();
    if (!runIds.isEmpty()) {
      String in = String.join(", ", Collections.nCopies(runIds.size(), "?"));
      String table = store.tablePrefix() + "executions";
      try (Connection c = store.dataSource().getConnection()) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT receipt_delivered_at FROM "
                    + table
                    + " WHERE run_id IN ("
                    + in
                    + ") AND state = 'COMPLETED' AND receipt_delivered_at >= ?")) {
          int i = bind(ps, runIds);
          ps.setTimestamp(i, Timestamp.from(start));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Timestamp t = rs.getTimestamp(1);
              if (t != null && t.toInstant().isBefore(end)) {
                perMinute[(int) Duration.between(start, t.toInstant()).toMinutes()]++;
              }
            }
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT last_error, COUNT(*) FROM "
                    + table
                    + " WHERE run_id IN ("
                    + in
                    + ") AND state = 'FAILED' GROUP BY last_error")) {
          bind(ps, runIds);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String reason = rs.getString(1);
              causes.merge(
                  reason == null || reason.isBlank() ? "no reason recorded" : reason,
                  rs.getLong(2),
                  Long::sum);
            }
          }
        }
      }
    }
    List<Instant> starts = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    for (int m = 0; m < minutes; m++) {
      starts.add(start.plus(Duration.ofMinutes(m)));
      counts.add(perMinute[m]);
    }
    List<Cause> sorted =
        causes.entrySet().stream()
            .map(e -> new Cause(e.getKey(), e.getValue()))
            .sorted(
                (a, b) ->
                    a.count() != b.count()
                        ? Long.compare(b.count(), a.count())
                        : a.reason().compareTo(b.reason()))
            .toList();
    List<Cause> shown = sorted.size() > maxCauses ? sorted.subList(0, maxCauses) : sorted;
    long other = sorted.stream().skip(shown.size()).mapToLong(Cause::count).sum();
    return new Recent(List.copyOf(starts), List.copyOf(counts), List.copyOf(shown), other);
  }

  private static int bind(PreparedStatement ps, List<String> runIds) throws SQLException {
    int i = 1;
    for (String id : runIds) {
      ps.setString(i++, id);
    }
    return i;
  }
}
