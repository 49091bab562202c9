package dev.opagent.agent.execution.journal;

import dev.opagent.agent.AgentException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.jspecify.annotations.Nullable;

/**
 * The execution journal's database failed: a connection could not be had, a statement was refused,
 * a stored row could not be read. Unchecked; immutable once thrown, so safe to share between
 * threads.
 *
 * <p>The message names the journal operation ({@code enlist}, {@code claim}, …) and the SQL state,
 * never the stored request, its parameters or anything else a row holds. For the same reason the
 * driver's exception, whose message may quote the values of the failed statement, is attached as
 * the cause only with its class, SQL state, vendor code and stack trace; the driver's own exception
 * is kept whole only when obtaining a connection failed, before any value was sent.
 *
 * <p>Transitions that do not apply (another owner, a wrong state) are not failures: they return
 * {@code false} or empty, as {@link dev.opagent.agent.execution.spi.ExecutionJournal} says.
 */
public class JournalException extends AgentException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final @Nullable String sqlState;
  private final int vendorCode;
  private final boolean retryable;

  /**
   * A failure of {@code operation}.
   *
   * @param operation the journal operation that failed, such as {@code claim}
   * @param sqlState the SQL state of the database's error, if there was one
   * @param vendorCode the driver's vendor error code, 0 when unknown
   * @param retryable whether the same operation may succeed if tried again
   * @param message what went wrong, without personal data or stored values
   * @param cause the underlying failure, if any
   */
  public JournalException(
      String operation,
      @Nullable String sqlState,
      int vendorCode,
      boolean retryable,
      String message,
      @Nullable Throwable cause) {
    super(message);
    if (cause != null) {
      initCause(cause);
    }
    this.operation = operation;
    this.sqlState = sqlState;
    this.vendorCode = vendorCode;
    this.retryable = retryable;
  }

  /**
   * The failure of a statement of {@code operation}: the driver's message is withheld (it may quote
   * the statement's values) and replaced by its class name.
   */
  static JournalException statement(String operation, SQLException e) {
    SQLException withheld =
        new SQLException(
            e.getClass().getName() + " (message withheld: it may quote stored values)",
            e.getSQLState(),
            e.getErrorCode());
    withheld.setStackTrace(e.getStackTrace());
    return new JournalException(
        operation,
        e.getSQLState(),
        e.getErrorCode(),
        isRetryable(e),
        describe(operation, e),
        withheld);
  }

  /** A connection for {@code operation} could not be had; the driver's exception is kept. */
  static JournalException connection(String operation, SQLException e) {
    return new JournalException(
        operation,
        e.getSQLState(),
        e.getErrorCode(),
        isRetryable(e),
        describe(operation, e) + " while connecting",
        e);
  }

  /** What is stored under {@code key} is not a readable record. */
  static JournalException unreadable(String operation, String key, String why) {
    return new JournalException(
        operation,
        null,
        0,
        false,
        "execution journal "
            + operation
            + " failed: the record under key "
            + key
            + " is unreadable: "
            + why,
        null);
  }

  private static String describe(String operation, SQLException e) {
    return "execution journal "
        + operation
        + " failed with SQL state "
        + (e.getSQLState() == null ? "(none)" : e.getSQLState())
        + ", vendor code "
        + e.getErrorCode()
        + " ("
        + e.getClass().getSimpleName()
        + ")";
  }

  /**
   * Connection trouble (class 08), serialization failures and deadlocks (class 40), PostgreSQL's
   * lock and statement timeouts (55P03, 57014) and H2's lock timeout (HYT00) are worth another try.
   */
  private static boolean isRetryable(SQLException e) {
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
      return true;
    }
    String state = e.getSQLState();
    if (state == null) {
      return false;
    }
    return state.startsWith("08")
        || state.startsWith("40")
        || state.equals("55P03")
        || state.equals("57014")
        || state.equals("HYT00");
  }

  /** The journal operation that failed, such as {@code enlist} or {@code claim}. */
  public String operation() {
    return operation;
  }

  /** The SQL state of the database's error; null when the failure was not the database's. */
  public @Nullable String sqlState() {
    return sqlState;
  }

  /** The driver's vendor error code; 0 when unknown. */
  public int vendorCode() {
    return vendorCode;
  }

  /**
   * Whether trying the same operation again may succeed: a lost connection, a deadlock, a
   * serialization failure or a lock timeout. When a commit's answer was lost, a repeated claim
   * finds the action already claimed and returns empty; it is taken over when its lease ends.
   */
  public boolean retryable() {
    return retryable;
  }
}
