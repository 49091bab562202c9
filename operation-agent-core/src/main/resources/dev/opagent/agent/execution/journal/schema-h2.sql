-- The execution journal of opagent, for H2 2.x. JdbcExecutionJournal replaces ${prefix} by its
-- table prefix (default opagent_) and runs each statement; every statement may run again.
--
-- executions: one row per idempotency key. seq orders a run's rows oldest first (in request
-- order within one enlist). Instants are kept to the microsecond. receipt_* are set once
-- COMPLETED; receipt_cost is the channel's BigDecimal as text, exactly as given (null: the
-- reserved cost was committed). request_json is ActionRequest.toJson().
--
-- The states are checked with CASE, not IN: H2 2.4.240 fails a CHECK (x IN (...)), and an OR of
-- equalities it turns into one, when a session other than the creating one evaluates it after
-- that session closed (h2database issues 4291 and 4308).
CREATE SEQUENCE IF NOT EXISTS ${prefix}execution_seq;

CREATE TABLE IF NOT EXISTS ${prefix}executions (
  idempotency_key      VARCHAR(200) NOT NULL PRIMARY KEY,
  seq                  BIGINT DEFAULT NEXT VALUE FOR ${prefix}execution_seq NOT NULL,
  run_id               VARCHAR(200) NOT NULL,
  state                VARCHAR(16) NOT NULL
    CHECK (CASE state WHEN 'PENDING' THEN TRUE WHEN 'EXECUTING' THEN TRUE
      WHEN 'COMPLETED' THEN TRUE WHEN 'FAILED' THEN TRUE WHEN 'CANCELLED' THEN TRUE
      ELSE FALSE END),
  attempts             INTEGER NOT NULL CHECK (attempts >= 0),
  created_at           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  updated_at           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  owner                VARCHAR(200),
  lease_until          TIMESTAMP(6) WITH TIME ZONE,
  last_error           VARCHAR(2000),
  request_json         CHARACTER VARYING NOT NULL,
  receipt_channel      CHARACTER VARYING,
  receipt_external_id  CHARACTER VARYING,
  receipt_delivered_at TIMESTAMP(6) WITH TIME ZONE,
  receipt_cost         CHARACTER VARYING,
  receipt_duplicate    BOOLEAN,
  receipt_detail       CHARACTER VARYING
);

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
  state      VARCHAR(16) NOT NULL CHECK (CASE state WHEN 'PLANNING' THEN TRUE
    WHEN 'PLANNED' THEN TRUE WHEN 'COMPLETED' THEN TRUE ELSE FALSE END),
  updated_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
