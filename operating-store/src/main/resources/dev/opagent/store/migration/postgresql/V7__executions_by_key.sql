-- Pages of a run's unfinished executions are read in key order (keyset pagination), so that
-- delivering a large round never reads the whole round at once.
CREATE INDEX IF NOT EXISTS ${prefix}executions_run_key
  ON ${prefix}executions (run_id, idempotency_key);
