-- Version 2: what the guardrails read, kept beside the journal so that one transaction decides.
--
-- ledger: one row per journalled action that a decision chose, written in the transaction that
-- journals it. Its execution row's state says what it holds: PENDING or EXECUTING reserve
-- reserved_units and a contact slot, COMPLETED spends (the receipt's cost, else reserved_units)
-- and is a contact, FAILED and CANCELLED hold nothing. customer_id is the customer id, or '#' and
-- its SHA-256 in hex when it is longer than 200 characters (as in the lock names).
-- contact_channel is null for actions that do not message the customer. counted_types lists
-- the action type and its attachments' types between commas (",send_email,create_discount,")
-- for the daily execution limits.
CREATE TABLE IF NOT EXISTS ${prefix}ledger (
  idempotency_key VARCHAR(200) NOT NULL PRIMARY KEY,
  customer_id     VARCHAR(200) NOT NULL,
  campaign        VARCHAR(200) NOT NULL,
  action_type     VARCHAR(200) NOT NULL,
  contact_channel VARCHAR(100),
  counted_types   VARCHAR(2000) NOT NULL,
  planned_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  decided_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  reserved_units  BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS ${prefix}ledger_customer ON ${prefix}ledger (customer_id, planned_at);
CREATE INDEX IF NOT EXISTS ${prefix}ledger_decided ON ${prefix}ledger (decided_at);
CREATE INDEX IF NOT EXISTS ${prefix}ledger_campaign ON ${prefix}ledger (campaign);

-- locks: one row per lockable name ("c:" + customer id, "budget", "x:" + action type). A deciding
-- transaction takes the rows it needs with SELECT ... FOR UPDATE in name order.
CREATE TABLE IF NOT EXISTS ${prefix}locks (
  name VARCHAR(250) NOT NULL PRIMARY KEY
);
