package dev.opagent.agent.engine;

/**
 * A campaign the customer matched but was held out of, recorded so lift can be measured against
 * this control customer. Immutable and thread-safe.
 *
 * @param campaign the campaign (rule id)
 * @param holdout the holdout's key ({@code rule:<id>} or the global control group's key)
 * @param global whether it is the global holdout (the customer receives nothing at all)
 */
public record HeldOutCampaign(String campaign, String holdout, boolean global) {}
