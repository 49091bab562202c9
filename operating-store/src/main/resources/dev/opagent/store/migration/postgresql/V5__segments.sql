-- Version 5: the last segment analysis of each customer by each agent, so that a round asks the
-- agent only about customers whose data changed or whose analysis grew old.
--
-- segments: one row per customer and agent (runtime ARN and qualifier), replaced by every new
-- answer of that agent. data_hash is the SHA-256 of the customer's canonical data the analysis
-- was made from (64 lowercase hex digits); analysis_json is the agent's analysis object; source
-- is where it came from (AGENT for what the operation loop saves). The key starts with the
-- customer, so the rows of one customer are found without the agent too.
CREATE TABLE IF NOT EXISTS ${prefix}segments (
  customer_id   VARCHAR(200) NOT NULL,
  agent_arn     VARCHAR(512) NOT NULL,
  qualifier     VARCHAR(100) NOT NULL,
  data_hash     CHAR(64) NOT NULL,
  analysed_at   TIMESTAMPTZ NOT NULL,
  source        VARCHAR(32) NOT NULL,
  analysis_json TEXT NOT NULL,
  PRIMARY KEY (customer_id, agent_arn, qualifier)
);
