/**
 * The operating store: one JDBC database (H2 or PostgreSQL) that holds the execution journal,
 * contacts, budgets, limits, segment analyses and approvals, shared by every deciding process.
 * Start with {@link dev.opagent.store.OperatingStore#open}.
 */
@NullMarked
package dev.opagent.store;

import org.jspecify.annotations.NullMarked;
