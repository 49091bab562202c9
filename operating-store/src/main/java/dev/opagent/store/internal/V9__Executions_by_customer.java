package dev.opagent.store.internal;

import dev.opagent.agent.execution.journal.JdbcExecutionJournal;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Schema version 9: the journal names each row's customer ({@code customer_key}, indexed with the
 * state and the key), so that an event can find a customer's actions still pending and cancel them
 * before they are due. Rows unfinished at the upgrade get their key from their request; finished
 * rows are left without one, as nothing looks them up by customer. Idempotent. Not thread-safe;
 * Flyway runs it once, under its lock.
 */
public final class V9__Executions_by_customer extends BaseJavaMigration {
  private final String prefix;

  /** The migration for tables prefixed {@code prefix}. */
  public V9__Executions_by_customer(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public void migrate(Context context) throws Exception {
    try (Statement s = context.getConnection().createStatement()) {
      s.execute(
          "ALTER TABLE "
              + prefix
              + "executions ADD COLUMN IF NOT EXISTS customer_key VARCHAR(200)");
      s.execute(
          "CREATE INDEX IF NOT EXISTS "
              + prefix
              + "executions_customer ON "
              + prefix
              + "executions (customer_key, state, idempotency_key)");
    }
    JdbcExecutionJournal.backfillCustomerKeys(context.getConnection(), prefix);
  }
}
