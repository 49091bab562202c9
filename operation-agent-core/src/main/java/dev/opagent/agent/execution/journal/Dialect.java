package dev.opagent.agent.execution.journal;

/**
 * What differs between the databases the JDBC journal supports: the schema script, how a batch of
 * inserts skips existing keys, how a claim returns the claimed row, the database's clock, how a
 * run's state is upserted.
 */
enum Dialect {
  /** H2 2.x, embedded or server, in any compatibility mode. */
  H2("H2", "schema-h2.sql") {
    @Override
    String reserveSeq(String sequence) {
      return "SELECT NEXT VALUE FOR " + sequence + " FROM SYSTEM_RANGE(1, ?)";
    }

    @Override
    String insertPending(String executions) {
      return "INSERT INTO "
          + executions
          + " ("
          + INSERT_COLUMNS
          + ") VALUES ("
          + INSERT_VALUES
          + ")";
    }

    @Override
    String returning(String update, String columns) {
      return "SELECT " + columns + " FROM FINAL TABLE (" + update + ")";
    }

    @Override
    String nowPlusMillis() {
      return "DATEADD(MILLISECOND, CAST(? AS BIGINT), CURRENT_TIMESTAMP)";
    }

    @Override
    String upsertRun(String runs) {
      return "MERGE INTO " + runs + " (run_id, state, updated_at) KEY (run_id) VALUES (?, ?, ?)";
    }
  },

  /** PostgreSQL 9.6 or later. */
  POSTGRESQL("PostgreSQL", "schema-postgresql.sql") {
    @Override
    String reserveSeq(String sequence) {
      return "SELECT nextval('" + sequence + "') FROM generate_series(1, ?)";
    }

    @Override
    String insertPending(String executions) {
      return "INSERT INTO "
          + executions
          + " ("
          + INSERT_COLUMNS
          + ") VALUES ("
          + INSERT_VALUES
          + ") ON CONFLICT (idempotency_key) DO NOTHING";
    }

    @Override
    String returning(String update, String columns) {
      return update + " RETURNING " + columns;
    }

    @Override
    String nowPlusMillis() {
      return "(CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '1 millisecond')";
    }

    @Override
    String upsertRun(String runs) {
      return "INSERT INTO "
          + runs
          + " (run_id, state, updated_at) VALUES (?, ?, ?)"
          + " ON CONFLICT (run_id) DO UPDATE SET state = EXCLUDED.state,"
          + " updated_at = EXCLUDED.updated_at";
    }
  };

  private static final String INSERT_COLUMNS =
      "seq, idempotency_key, run_id, state, attempts, created_at, updated_at, request_json,"
          + " customer_key";
  private static final String INSERT_VALUES = "?, ?, ?, 'PENDING', 0, ?, ?, ?, ?";

  private final String productName;
  private final String script;

  Dialect(String productName, String script) {
    this.productName = productName;
    this.script = script;
  }

  /** The product name {@link java.sql.DatabaseMetaData#getDatabaseProductName()} reports. */
  String productName() {
    return productName;
  }

  /** The schema script's resource name, next to this class. */
  String script() {
    return script;
  }

  /** Whether {@link #insertPending} itself skips keys already journalled. */
  boolean insertSkipsExisting() {
    return this == POSTGRESQL;
  }

  /** A query of {@code ?} new values of {@code sequence}, one per row. */
  abstract String reserveSeq(String sequence);

  /**
   * Inserts one pending row: seq, key, run id, created at, updated at, request JSON, customer key.
   */
  abstract String insertPending(String executions);

  /** {@code update} (one row at most) answering the updated row with {@code columns}. */
  abstract String returning(String update, String columns);

  /**
   * The database's current time plus a parameter of milliseconds, as a timestamp with time zone:
   * how a lease judged by the database's clock ends.
   */
  abstract String nowPlusMillis();

  /** Sets a run's state: run id, state, updated at. */
  abstract String upsertRun(String runs);

  /**
   * The dialect of {@code productName}.
   *
   * @throws IllegalArgumentException naming the product and the supported ones
   */
  static Dialect of(String productName, String productVersion) {
    for (Dialect d : values()) {
      if (d.productName.equalsIgnoreCase(productName.trim())) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "the JDBC execution journal supports H2 and PostgreSQL,"
            + " but the data source is "
            + productName
            + " "
            + productVersion);
  }
}
