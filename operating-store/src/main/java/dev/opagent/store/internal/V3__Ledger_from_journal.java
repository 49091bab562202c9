package dev.opagent.store.internal;

import dev.opagent.agent.Channel;
import dev.opagent.agent.budget.BudgetLedger;
import dev.opagent.agent.execution.journal.CustomerKeys;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.rules.Action;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Schema version 3: gives every action journalled before the ledger existed (by a journal of schema
 * version 1) its ledger row, so that contacts, money and daily executions delivered before the
 * upgrade count against caps, budgets and limits after it. The contact channel comes from the
 * request's channel: the library's non-contact channels (discount, recommendation, ticket) are
 * none, every other channel is taken for a contact (a cap that counts one contact too many is the
 * safe mistake). The decision time is the row's creation time. Idempotent: rows that already have a
 * ledger row are left alone. Not thread-safe; Flyway runs it once, under its lock.
 */
public final class V3__Ledger_from_journal extends BaseJavaMigration {
  private static final Set<String> NOT_CONTACTS =
      Set.of(Channel.DISCOUNT.id(), Channel.RECOMMENDATION.id(), Channel.TICKET.id());
  private static final int BATCH = 500;

  private final String prefix;

  /** The migration for tables prefixed {@code prefix}. */
  public V3__Ledger_from_journal(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    String select =
        "SELECT e.request_json, e.created_at FROM "
            + prefix
            + "executions e WHERE"
            + " NOT EXISTS (SELECT 1 FROM "
            + prefix
            + "ledger l WHERE l.idempotency_key ="
            + " e.idempotency_key)";
    String insert =
        "INSERT INTO "
            + prefix
            + "ledger (idempotency_key, customer_id, campaign,"
            + " action_type, contact_channel, counted_types, planned_at, decided_at, reserved_units)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(select);
        PreparedStatement ps = c.prepareStatement(insert)) {
      int pending = 0;
      while (rs.next()) {
        ActionRequest r = ActionRequest.fromJson(rs.getString(1));
        StringBuilder types = new StringBuilder(",").append(r.actionType()).append(',');
        for (Action a : r.attachments()) {
          types.append(a.type()).append(',');
        }
        ps.setString(1, r.idempotencyKey());
        ps.setString(2, CustomerKeys.of(r.customerId()));
        ps.setString(3, r.campaign());
        ps.setString(4, r.actionType());
        ps.setString(5, NOT_CONTACTS.contains(r.channel()) ? null : r.channel());
        ps.setString(6, types.toString());
        ps.setObject(7, OffsetDateTime.ofInstant(r.plannedAt(), ZoneOffset.UTC));
        ps.setObject(8, rs.getObject(2, OffsetDateTime.class));
        ps.setLong(
            9,
            r.cost()
                .setScale(BudgetLedger.SCALE, RoundingMode.UP)
                .unscaledValue()
                .longValueExact());
        ps.addBatch();
        if (++pending == BATCH) {
          ps.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    }
  }
}
