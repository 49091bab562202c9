package dev.opagent.agent.execution.journal;

/**
 * What differs between the databases the JDBC journal supports: the schema script, how a batch of
 * inserts skips existing keys, how a claim returns the claimed row, how a run's state is upserted.
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
      return "INSERT INTO " + executions + " (" + INSERT_COLUMNS + ") VALUES (" + INSERT_VALUES
          + ")";
    }

    @Override
    String claim(String executions, String columns) {
      return "SELECT " + columns + " FROM FINAL TABLE (" + CLAIM_UPDATE.replace("$T", executions)
          + ")";
    }

    @Override
    String upsertRun(String runs) {
      return "MERGE INTO " + runs + " (run_id, state, updated_at) KEY (run_id) VALUES (?, ?, ?)";
    }
  },

  /** PostgreSQL 9.5 or later. */
  POSTGRESQL("PostgreSQL", "schema-postgresql.sql") {
    @Override
    String reserveSeq(String sequence) {
      return "SELECT nextval('" + sequence + "') FROM generate_series(1, ?)";
    }

    @Override
    String insertPending(String executions) {
      return "INSERT INTO " + executions + " (" + INSERT_COLUMNS + ") VALUES (" + INSERT_VALUES
          + ") ON CONFLICT (idempotency_key) DO NOTHING";
    }

    @Override
    String claim(String executions, String columns) {
      return CLAIM_UPDATE.replace("$T", executions) + " RETURNING " + columns;
    }

    @Override
    String upsertRun(String runs) {
      return "INSERT INTO " + runs + " (run_id, state, updated_at) VALUES (?, ?, ?)"
          + " ON CONFLICT (run_id) DO UPDATE SET state = EXCLUDED.state,"
          + " updated_at = EXCLUDED.updated_at";
    }
  };

  private static final String INSERT_COLUMNS =
      "seq, idempotency_key, run_id, state, attempts, created_at, updated_at, request_json";
  private static final String INSERT_VALUES = "?, ?, ?, 'PENDING', 0, ?, ?, ?";
  /** Parameters: owner, lease until, now, key, now. */
  private static final String CLAIM_UPDATE = "UPDATE $T SET state = 'EXECUTING', owner = ?,"
      + " lease_until = ?, updated_at = ? WHERE idempotency_key = ? AND (state = 'PENDING'"
      + " OR (state = 'EXECUTING' AND lease_until < ?))";

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

  /** Inserts one pending row: seq, key, run id, created at, updated at, request JSON. */
  abstract String insertPending(String executions);

  /** The claim's one conditional update, answering the claimed row with {@code columns}. */
  abstract String claim(String executions, String columns);

  /** The claim's conditional update without reading the row back; parameters as {@link #claim}. */
  String claimUpdate(String executions) {
    return CLAIM_UPDATE.replace("$T", executions);
  }

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
    throw new IllegalArgumentException("the JDBC execution journal supports H2 and PostgreSQL,"
        + " but the data source is " + productName + " " + productVersion);
  }
}
