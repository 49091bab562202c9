-- Pages of a run's unfinished executions are read state by state in key order, so that each page
-- costs its own rows, not the run's finished ones (which made every delivery pass of a large round
-- read the whole round). Replaces the index of V7.
DROP INDEX IF EXISTS ${prefix}executions_run_key;
CREATE INDEX IF NOT EXISTS ${prefix}executions_run_state_key
  ON ${prefix}executions (run_id, state, idempotency_key);
