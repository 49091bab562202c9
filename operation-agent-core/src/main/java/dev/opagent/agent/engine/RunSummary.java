package dev.opagent.agent.engine;

import java.util.Map;

/**
 * Counts over the decisions of one run. Immutable and thread-safe.
 *
 * @param runId the run
 * @param mode live or dry run
 * @param customers decisions made
 * @param globalHoldouts customers in the global holdout
 * @param campaignHoldouts (customer, campaign) pairs held out by a campaign's control group
 * @param customersWithActions customers with at least one chosen action
 * @param chosen chosen actions
 * @param blocked blocked actions
 * @param deferred deferred actions
 * @param suppressed suppressed actions
 * @param reasons non-chosen actions by the reason that decided them
 * @param chosenByCampaign chosen actions by campaign
 */
public record RunSummary(
    String runId,
    RunMode mode,
    long customers,
    long globalHoldouts,
    long campaignHoldouts,
    long customersWithActions,
    long chosen,
    long blocked,
    long deferred,
    long suppressed,
    Map<ReasonCode, Long> reasons,
    Map<String, Long> chosenByCampaign) {

  public RunSummary {
    reasons = Map.copyOf(reasons);
    chosenByCampaign = Map.copyOf(chosenByCampaign);
  }

  /** All candidate actions judged. */
  public long candidates() {
    return chosen + blocked + deferred + suppressed;
  }
}
