-- Version 4: approvals (ApprovalGate's requests and audit trail), shared by every process.
--
-- approval_requests: one row per ApprovalRequest. seq orders the requests of a key (the latest
-- has the highest). status is the stored status: PENDING, APPROVED, REJECTED or EXPIRED; a
-- request's status at a given time also depends on deadline and valid_until. Instants are kept
-- to the microsecond.
--
-- open_key is the key while the request is open (PENDING or APPROVED) and null otherwise. Its
-- unique index lets a key have at most one open request, so that two processes asking for the
-- same key at once record one request: the second insert fails and its gate returns the first.
-- Deciding a request is an UPDATE ... WHERE id = ? AND status = 'PENDING', so only one decision
-- of a request is ever recorded.
--
-- Statuses and event types are checked with CASE, not IN (see version 1: H2 issues 4291, 4308).
CREATE SEQUENCE IF NOT EXISTS ${prefix}approval_seq;

CREATE TABLE IF NOT EXISTS ${prefix}approval_requests (
  id           VARCHAR(200) NOT NULL PRIMARY KEY,
  seq          BIGINT DEFAULT NEXT VALUE FOR ${prefix}approval_seq NOT NULL,
  approval_key VARCHAR(1000) NOT NULL,
  summary      CHARACTER VARYING NOT NULL,
  requested_by CHARACTER VARYING NOT NULL,
  requested_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  deadline     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  status       VARCHAR(16) NOT NULL
    CHECK (CASE status WHEN 'PENDING' THEN TRUE WHEN 'APPROVED' THEN TRUE
      WHEN 'REJECTED' THEN TRUE WHEN 'EXPIRED' THEN TRUE ELSE FALSE END),
  decided_by   CHARACTER VARYING,
  decided_at   TIMESTAMP(6) WITH TIME ZONE,
  reason       CHARACTER VARYING,
  valid_until  TIMESTAMP(6) WITH TIME ZONE,
  open_key     VARCHAR(1000) GENERATED ALWAYS AS (CASE status WHEN 'PENDING' THEN approval_key
    WHEN 'APPROVED' THEN approval_key ELSE NULL END)
);

CREATE UNIQUE INDEX IF NOT EXISTS ${prefix}approval_requests_open
  ON ${prefix}approval_requests (open_key);
CREATE INDEX IF NOT EXISTS ${prefix}approval_requests_key
  ON ${prefix}approval_requests (approval_key, seq);
CREATE INDEX IF NOT EXISTS ${prefix}approval_requests_status
  ON ${prefix}approval_requests (status, seq);

-- approval_audit: the append-only audit trail (AuditEvent), oldest first by seq. Rows are only
-- ever inserted, in the transaction of the transition they record.
CREATE SEQUENCE IF NOT EXISTS ${prefix}approval_audit_seq;

CREATE TABLE IF NOT EXISTS ${prefix}approval_audit (
  seq          BIGINT DEFAULT NEXT VALUE FOR ${prefix}approval_audit_seq NOT NULL PRIMARY KEY,
  occurred_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  event_type   VARCHAR(16) NOT NULL
    CHECK (CASE event_type WHEN 'REQUESTED' THEN TRUE WHEN 'GRANTED' THEN TRUE
      WHEN 'REJECTED' THEN TRUE WHEN 'EXPIRED' THEN TRUE ELSE FALSE END),
  request_id   VARCHAR(200) NOT NULL,
  approval_key VARCHAR(1000) NOT NULL,
  actor        CHARACTER VARYING NOT NULL,
  reason       CHARACTER VARYING NOT NULL
);

CREATE INDEX IF NOT EXISTS ${prefix}approval_audit_request
  ON ${prefix}approval_audit (request_id);
