package dev.opagent.console.internal;

import dev.opagent.agent.execution.journal.CustomerKeys;
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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Searches the operating store's journal: the actions of a customer, a campaign, a run or an
 * outcome, newest first. Customer, run and outcome narrow the query; the campaign is read from each
 * action's stored request, so a search by campaign alone reads at most {@code scanLimit} actions.
 */
public final class Actions {
  private Actions() {}

  /** What to search for; blank fields match everything. */
  public record Filter(String customer, String campaign, String run, String outcome) {
    /** Trims the fields; an outcome is a journal state, in any case. */
    public Filter {
      customer = customer.strip();
      campaign = campaign.strip();
      run = run.strip();
      outcome = outcome.strip().toUpperCase(Locale.ROOT);
    }

    /** The journal state searched for, if any. */
    public Optional<ExecutionState> state() {
      for (ExecutionState s : ExecutionState.values()) {
        if (s.name().equals(outcome)) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  /** One action of the journal with what became of it. */
  public record Action(
      ActionRequest request,
      ExecutionState state,
      int attempts,
      Instant createdAt,
      Instant updatedAt,
      @Nullable String lastError,
      @Nullable String receiptChannel,
      @Nullable String externalId,
      @Nullable Instant deliveredAt,
      boolean duplicate) {}

  /**
   * What a search found: at most the limit, whether more matched, how many journal rows it read and
   * whether it stopped reading at the scan limit before the journal's end.
   */
  public record Found(List<Action> actions, boolean more, int scanned, boolean scanCut) {}

  /**
   * The newest actions matching {@code filter}.
   *
   * @throws IllegalArgumentException if the outcome names no journal state
   */
  public static Found search(OperatingStore store, Filter filter, int limit, int scanLimit)
      throws SQLException {
    Optional<ExecutionState> state = filter.state();
    if (!filter.outcome().isEmpty() && state.isEmpty()) {
      throw new IllegalArgumentException("no outcome is called " + filter.outcome());
    }
    StringBuilder sql =
        new StringBuilder(
                "SELECT idempotency_key, state, attempts, created_at, updated_at, last_error,"
                    + " request_json, receipt_channel, receipt_external_id, receipt_delivered_at,"
                    + " receipt_duplicate FROM ")
            .append(store.tablePrefix())
            .append("executions WHERE 1 = 1");
    List<String> args = new ArrayList<>();
    if (!filter.run().isEmpty()) {
      sql.append(" AND run_id = ?");
      args.add(filter.run());
    }
    if (!filter.customer().isEmpty()) {
      sql.append(" AND customer_key = ?");
      args.add(CustomerKeys.of(filter.customer()));
    }
    if (state.isPresent()) {
      sql.append(" AND state = ?");
      args.add(state.get().name());
    }
    sql.append(" ORDER BY seq DESC");
    List<Action> out = new ArrayList<>();
    boolean more = false;
    int scanned = 0;
    boolean cut = false;
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setString(i + 1, args.get(i));
      }
      ps.setFetchSize(200);
      ps.setMaxRows(scanLimit + 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (scanned == scanLimit) {
            cut = true;
            break;
          }
          scanned++;
          ActionRequest request = ActionRequest.fromJson(rs.getString(7));
          if (!filter.campaign().isEmpty() && !filter.campaign().equals(request.campaign())) {
            continue;
          }
          if (out.size() == limit) {
            more = true;
            break;
          }
          out.add(
              new Action(
                  request,
                  ExecutionState.valueOf(rs.getString(2)),
                  rs.getInt(3),
                  instant(rs.getTimestamp(4)),
                  instant(rs.getTimestamp(5)),
                  rs.getString(6),
                  rs.getString(8),
                  rs.getString(9),
                  rs.getTimestamp(10) == null ? null : instant(rs.getTimestamp(10)),
                  rs.getBoolean(11)));
        }
      }
    }
    return new Found(out, more, scanned, cut);
  }

  private static Instant instant(@Nullable Timestamp t) {
    return t == null ? Instant.EPOCH : t.toInstant();
  }
}
