-- The execution journal of opagent, for PostgreSQL 9.6 and later (ON CONFLICT, ADD COLUMN IF NOT EXISTS). JdbcExecutionJournal
-- replaces ${prefix} by its table prefix (default opagent_) and runs the statements in one
-- transaction; every statement may run again.
--
-- executions: one row per idempotency key. seq orders a run's rows oldest first (in request
-- order within one enlist). receipt_* are set once COMPLETED; receipt_cost is the channel's
-- BigDecimal as text, exactly as given (null: the reserved cost was committed); sum it with
-- CAST(receipt_cost AS NUMERIC). request_json is ActionRequest.toJson().
CREATE SEQUENCE IF NOT EXISTS ${prefix}execution_seq;

CREATE TABLE IF NOT EXISTS ${prefix}executions (
  idempotency_key      VARCHAR(200) NOT NULL PRIMARY KEY,
  seq                  BIGINT NOT NULL DEFAULT nextval('${prefix}execution_seq'),
  run_id               VARCHAR(200) NOT NULL,
  state                VARCHAR(16) NOT NULL
    CHECK (state IN ('PENDING', 'EXECUTING', 'COMPLETED', 'FAILED', 'CANCELLED')),
  attempts             INTEGER NOT NULL CHECK (attempts >= 0),
  created_at           TIMESTAMPTZ NOT NULL,
  updated_at           TIMESTAMPTZ NOT NULL,
  owner                VARCHAR(200),
  lease_until          TIMESTAMPTZ,
  last_error           VARCHAR(2000),
  request_json         TEXT NOT NULL,
  receipt_channel      TEXT,
  receipt_external_id  TEXT,
  receipt_delivered_at TIMESTAMPTZ,
  receipt_cost         TEXT,
  receipt_duplicate    BOOLEAN,
  receipt_detail       TEXT
);

ALTER SEQUENCE ${prefix}execution_seq OWNED BY ${prefix}executions.seq;

CREATE INDEX IF NOT EXISTS ${prefix}executions_run ON ${prefix}executions (run_id, seq);

-- Pages of a run's unfinished rows are read in key order (keyset pagination), state by state,
-- so that a round's finished rows are never read again.
DROP INDEX IF EXISTS ${prefix}executions_run_key;
CREATE INDEX IF NOT EXISTS ${prefix}executions_run_state_key
  ON ${prefix}executions (run_id, state, idempotency_key);

-- A customer's pending rows, which an event may cancel before they are due. The key is the
-- customer id, or '#' and its SHA-256 in hex when longer than 200 characters. Rows journalled
-- before the column existed get it when the journal next initializes the schema (unfinished rows
-- only: nothing looks finished rows up by customer).
ALTER TABLE ${prefix}executions ADD COLUMN IF NOT EXISTS customer_key VARCHAR(200);
CREATE INDEX IF NOT EXISTS ${prefix}executions_customer
  ON ${prefix}executions (customer_key, state, idempotency_key);

-- runs: where each round is (RunState), for resumption.
CREATE TABLE IF NOT EXISTS ${prefix}runs (
  run_id     VARCHAR(200) NOT NULL PRIMARY KEY,
  state      VARCHAR(16) NOT NULL CHECK (state IN ('PLANNING', 'PLANNED', 'COMPLETED')),
  updated_at TIMESTAMPTZ NOT NULL
);
