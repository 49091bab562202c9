-- Version 6: what the learning reads, kept beside the journal so that every process and every day
-- learns from every delivery and interaction: the interactions with their attribution, the
-- metrics per strategy, sticky experiment assignments and bandit allocations.
--
-- Ingestion (FeedbackStore.ingest) runs in one READ COMMITTED transaction that first locks the
-- locks row 'feedback' with SELECT ... FOR UPDATE, so the ingestions of all processes take turns
-- and each one attributes against every delivery and interaction committed before it.
--
-- Checks use CASE, not IN, for the reason given in version 1 (h2database issues 4291 and 4308).

-- interactions: every ingested interaction, once (user behaviour feedback). interaction_id is the
-- deduplication key: the SHA-256 (hex) of the interaction's content -- type, instant to the
-- microsecond, customer, campaign, idempotency key (empty when none) and revenue without trailing
-- zeros (empty when none) -- so the same file or feed ingested twice adds nothing. outcome is the
-- Attribution.Outcome it got and attributed_key the action it was matched to (null when none). A
-- row stored as UNATTRIBUTED_NO_DELIVERY is attributed again when it is ingested again, and keeps
-- the new outcome. seq orders the rows by when their outcome was decided (MAX + 1, taken under
-- the feedback lock), so a process catches up with the rows it has not read yet.
CREATE TABLE IF NOT EXISTS ${prefix}interactions (
  interaction_id   CHAR(64) NOT NULL PRIMARY KEY,
  seq              BIGINT NOT NULL,
  customer_id      VARCHAR(200) NOT NULL,
  campaign         VARCHAR(200) NOT NULL,
  interaction_type VARCHAR(16) NOT NULL
    CHECK (CASE interaction_type WHEN 'DELIVERED' THEN TRUE WHEN 'OPENED' THEN TRUE
      WHEN 'CLICKED' THEN TRUE WHEN 'COUPON_USED' THEN TRUE WHEN 'CONVERTED' THEN TRUE
      ELSE FALSE END),
  occurred_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  revenue          DECFLOAT,
  idempotency_key  VARCHAR(200),
  outcome          VARCHAR(32) NOT NULL
    CHECK (CASE outcome WHEN 'ATTRIBUTED' THEN TRUE WHEN 'UNATTRIBUTED_NO_DELIVERY' THEN TRUE
      WHEN 'KEY_MISMATCH' THEN TRUE WHEN 'OUTSIDE_WINDOW' THEN TRUE
      WHEN 'BEFORE_DELIVERY' THEN TRUE WHEN 'DUPLICATE_CONVERSION' THEN TRUE
      WHEN 'DUPLICATE_EVENT' THEN TRUE ELSE FALSE END),
  attributed_key   VARCHAR(200),
  ingested_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  decided_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS ${prefix}interactions_seq ON ${prefix}interactions (seq);
CREATE INDEX IF NOT EXISTS ${prefix}interactions_attributed ON ${prefix}interactions (attributed_key);
CREATE INDEX IF NOT EXISTS ${prefix}interactions_customer
  ON ${prefix}interactions (customer_id, campaign);

-- counted_deliveries: the COMPLETED executions already counted in strategy_effects, in the order
-- they were counted (seq, MAX + 1 under the feedback lock). An ingestion first counts the
-- deliveries completed since the last one.
CREATE TABLE IF NOT EXISTS ${prefix}counted_deliveries (
  idempotency_key VARCHAR(200) NOT NULL PRIMARY KEY,
  seq             BIGINT NOT NULL,
  counted_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS ${prefix}counted_deliveries_seq
  ON ${prefix}counted_deliveries (seq);

-- strategy_effects: the metrics of every campaign, action type, segment and experiment variant
-- (segment and variant '' when the action carried none), kept up to date by ingestion: delivered
-- and cost from the counted deliveries (the receipt's cost, else the reserved cost), the others
-- from attributed interactions (each action opened, clicked, coupon used and converted at most
-- once; revenue of its conversion). Money is exact (DECFLOAT), in the budget currency.
CREATE TABLE IF NOT EXISTS ${prefix}strategy_effects (
  campaign     VARCHAR(200) NOT NULL,
  action_type  VARCHAR(200) NOT NULL,
  segment      VARCHAR(200) NOT NULL,
  variant      VARCHAR(200) NOT NULL,
  delivered    BIGINT NOT NULL,
  opened       BIGINT NOT NULL,
  clicked      BIGINT NOT NULL,
  coupons_used BIGINT NOT NULL,
  conversions  BIGINT NOT NULL,
  revenue      DECFLOAT NOT NULL,
  cost         DECFLOAT NOT NULL,
  updated_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (campaign, action_type, segment, variant)
);

-- assignments: the sticky variant of each customer (unit) per experiment, shared by every
-- process. A first assignment is inserted if absent and read back, so two processes assigning
-- the same customer at once both use the variant stored first.
CREATE TABLE IF NOT EXISTS ${prefix}assignments (
  experiment_key VARCHAR(200) NOT NULL,
  unit_id        VARCHAR(200) NOT NULL,
  variant        VARCHAR(200) NOT NULL,
  assigned_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (experiment_key, unit_id)
);

-- allocations: the rounds of each experiment's bandit (ThompsonSampler), one row per round, the
-- first recorded kept. weights_json, probability_best_json and counts_json are JSON objects by
-- variant, in variant order (counts as {"n": …, "conversions": …}). campaign, control_variant and
-- min_sample_per_arm describe the experiment the round belongs to.
CREATE TABLE IF NOT EXISTS ${prefix}allocations (
  experiment_id         VARCHAR(200) NOT NULL,
  round_no              BIGINT NOT NULL,
  campaign              VARCHAR(200) NOT NULL,
  control_variant       VARCHAR(200) NOT NULL,
  min_sample_per_arm    BIGINT NOT NULL,
  phase                 VARCHAR(16) NOT NULL
    CHECK (CASE phase WHEN 'EXPLORING' THEN TRUE WHEN 'EXPLOITING' THEN TRUE ELSE FALSE END),
  weights_json          CHARACTER VARYING NOT NULL,
  probability_best_json CHARACTER VARYING NOT NULL,
  counts_json           CHARACTER VARYING NOT NULL,
  allocated_at          TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  recorded_at           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (experiment_id, round_no)
);

CREATE INDEX IF NOT EXISTS ${prefix}allocations_campaign ON ${prefix}allocations (campaign);

-- The row ingestion locks.
INSERT INTO ${prefix}locks (name)
  SELECT 'feedback' WHERE NOT EXISTS (SELECT 1 FROM ${prefix}locks WHERE name = 'feedback');
