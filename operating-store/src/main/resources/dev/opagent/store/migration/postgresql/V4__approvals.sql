-- Version 4: approvals (ApprovalGate's requests and audit trail), shared by every process.
--
-- approval_requests: one row per ApprovalRequest. seq orders the requests of a key (the latest
-- has the highest). status is the stored status: PENDING, APPROVED, REJECTED or EXPIRED; a
-- request's status at a given time also depends on deadline and valid_until.
--
-- The partial unique index approval_requests_open lets a key have at most one open request
-- (PENDING or APPROVED), so that two processes asking for the same key at once record one
-- request: the second insert fails and its gate returns the first. Deciding a request is an
-- UPDATE ... WHERE id = ? AND status = 'PENDING', so only one decision of a request is ever
-- recorded.
CREATE SEQUENCE IF NOT EXISTS ${prefix}approval_seq;

CREATE TABLE IF NOT EXISTS ${prefix}approval_requests (
  id           VARCHAR(200) NOT NULL PRIMARY KEY,
  seq          BIGINT NOT NULL DEFAULT nextval('${prefix}approval_seq'),
  approval_key VARCHAR(1000) NOT NULL,
  summary      TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at TIMESTAMPTZ NOT NULL,
  deadline     TIMESTAMPTZ NOT NULL,
  status       VARCHAR(16) NOT NULL
    CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED')),
  decided_by   TEXT,
  decided_at   TIMESTAMPTZ,
  reason       TEXT,
  valid_until  TIMESTAMPTZ
);

ALTER SEQUENCE ${prefix}approval_seq OWNED BY ${prefix}approval_requests.seq;

CREATE UNIQUE INDEX IF NOT EXISTS ${prefix}approval_requests_open
  ON ${prefix}approval_requests (approval_key) WHERE status IN ('PENDING', 'APPROVED');
CREATE INDEX IF NOT EXISTS ${prefix}approval_requests_key
  ON ${prefix}approval_requests (approval_key, seq);
CREATE INDEX IF NOT EXISTS ${prefix}approval_requests_status
  ON ${prefix}approval_requests (status, seq);

-- approval_audit: the append-only audit trail (AuditEvent), oldest first by seq. Rows are only
-- ever inserted, in the transaction of the transition they record.
CREATE SEQUENCE IF NOT EXISTS ${prefix}approval_audit_seq;

CREATE TABLE IF NOT EXISTS ${prefix}approval_audit (
  seq          BIGINT NOT NULL DEFAULT nextval('${prefix}approval_audit_seq') PRIMARY KEY,
  occurred_at  TIMESTAMPTZ NOT NULL,
  event_type   VARCHAR(16) NOT NULL
    CHECK (event_type IN ('REQUESTED', 'GRANTED', 'REJECTED', 'EXPIRED')),
  request_id   VARCHAR(200) NOT NULL,
  approval_key VARCHAR(1000) NOT NULL,
  actor        TEXT NOT NULL,
  reason       TEXT NOT NULL
);

ALTER SEQUENCE ${prefix}approval_audit_seq OWNED BY ${prefix}approval_audit.seq;

CREATE INDEX IF NOT EXISTS ${prefix}approval_audit_request
  ON ${prefix}approval_audit (request_id);
