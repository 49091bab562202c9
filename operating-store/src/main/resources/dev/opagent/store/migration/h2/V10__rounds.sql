-- What each round planned, as OperationAgent reported it: customers in, segmentation, eligibility
-- per campaign, actions chosen, deferred, blocked and suppressed, and why they were not chosen.
-- One row per round, replaced when a round that had not finished planning is planned again.
CREATE TABLE IF NOT EXISTS ${prefix}rounds (
  run_id              VARCHAR(200) NOT NULL PRIMARY KEY,
  recorded_at         TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  resumed             BOOLEAN NOT NULL,
  customers           BIGINT NOT NULL,
  segmented           BIGINT NOT NULL,
  fallback            BIGINT NOT NULL,
  segmentation_failed BIGINT NOT NULL,
  held_out            BIGINT NOT NULL,
  chosen              BIGINT NOT NULL,
  deferred            BIGINT NOT NULL,
  blocked             BIGINT NOT NULL,
  suppressed          BIGINT NOT NULL,
  eligible_json       CHARACTER VARYING NOT NULL,
  not_chosen_json     CHARACTER VARYING NOT NULL,
  elapsed_ms          BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS ${prefix}rounds_recorded ON ${prefix}rounds (recorded_at);
