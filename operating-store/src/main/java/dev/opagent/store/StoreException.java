package dev.opagent.store;

import dev.opagent.agent.execution.journal.JournalException;
import java.sql.SQLException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A failure of the operating store's database. The driver's message is withheld (it may quote
 * stored values, customer ids among them) and replaced by its class name; the SQL state and vendor
 * code are kept. Unchecked and immutable once thrown.
 */
public class StoreException extends JournalException {
  private static final long serialVersionUID = 1L;

  /** Deadlocks, serialisation failures and lock timeouts: the transaction may succeed again. */
  private static final Set<String> RETRYABLE = Set.of("40001", "40P01", "55P03", "HYT00");

  /**
   * A failure of {@code operation}.
   *
   * @param operation what the store was doing, such as {@code decide a batch}
   * @param sqlState the SQL state, if any
   * @param vendorCode the driver's error code, 0 when unknown
   * @param retryable whether trying again may succeed
   * @param message what went wrong, without stored values
   * @param cause the underlying failure, if any
   */
  public StoreException(
      String operation,
      @Nullable String sqlState,
      int vendorCode,
      boolean retryable,
      String message,
      @Nullable Throwable cause) {
    super(operation, sqlState, vendorCode, retryable, message, cause);
  }

  /** The failure of {@code operation} on {@code e}, with the driver's message withheld. */
  public static StoreException of(String operation, SQLException e) {
    SQLException withheld =
        new SQLException(
            e.getClass().getName() + " (message withheld: it may quote stored values)",
            e.getSQLState(),
            e.getErrorCode());
    withheld.setStackTrace(e.getStackTrace());
    String state = e.getSQLState();
    return new StoreException(
        operation,
        state,
        e.getErrorCode(),
        retryable(e),
        "operating store: "
            + operation
            + " failed (SQL state "
            + state
            + ", "
            + e.getClass().getSimpleName()
            + ")",
        withheld);
  }

  /** Whether {@code e} is a deadlock, serialisation failure or lock timeout. */
  static boolean retryable(SQLException e) {
    return e.getSQLState() != null && RETRYABLE.contains(e.getSQLState());
  }
}
