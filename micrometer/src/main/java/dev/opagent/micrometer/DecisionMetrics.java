package dev.opagent.micrometer;

import static dev.opagent.micrometer.OpagentMetrics.DECISIONS;
import static dev.opagent.micrometer.OpagentMetrics.DECISION_ACTIONS;
import static dev.opagent.micrometer.OpagentMetrics.DECISION_HOLDOUTS;

import dev.opagent.agent.engine.ActionStatus;
import dev.opagent.agent.engine.Decision;
import dev.opagent.agent.engine.DecisionListener;
import dev.opagent.agent.engine.HeldOutCampaign;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.agent.engine.RunMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The decision engine's meters, fed by its listener. Thread-safe. */
final class DecisionMetrics implements DecisionListener {
  private final Meters meters;
  private final ConcurrentHashMap<DecisionKey, Counter> decisions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ActionKey, Counter> actions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<HoldoutKey, Counter> holdouts = new ConcurrentHashMap<>();

  private record DecisionKey(RunMode mode, String outcome) {}

  private record ActionKey(
      RunMode mode, String campaign, String actionType, ActionStatus status, ReasonCode reason) {}

  private record HoldoutKey(RunMode mode, String campaign, boolean global) {}

  DecisionMetrics(Meters meters) {
    this.meters = meters;
  }

  @Override
  public void decided(Decision decision) {
    if (meters.closed()) {
      return;
    }
    RunMode mode = decision.mode();
    String outcome =
        decision.globalHoldout() ? "held_out" : decision.hasChosen() ? "chosen" : "none";
    decisions
        .computeIfAbsent(
            new DecisionKey(mode, outcome),
            k ->
                meters.counter(
                    DECISIONS,
                    "Customers decided, by whether an action was chosen (chosen), none was (none)"
                        + " or the customer is in the global holdout (held_out)",
                    Tags.of("mode", Meters.tagValue(k.mode()), "outcome", k.outcome())))
        .increment();
    List<PlannedAction> candidates = decision.candidates();
    for (int i = 0; i < candidates.size(); i++) {
      PlannedAction a = candidates.get(i);
      actions
          .computeIfAbsent(
              new ActionKey(mode, a.campaign(), a.actionType(), a.status(), a.reason()),
              k ->
                  meters.counter(
                      DECISION_ACTIONS,
                      "Candidate actions judged, by campaign, action type, status (chosen, blocked,"
                          + " deferred, suppressed) and the reason that decided it",
                      Tags.of(
                          "mode",
                          Meters.tagValue(k.mode()),
                          "campaign",
                          k.campaign(),
                          "action.type",
                          k.actionType(),
                          "status",
                          Meters.tagValue(k.status()),
                          "reason",
                          Meters.tagValue(k.reason()))))
          .increment();
    }
    for (HeldOutCampaign h : decision.heldOut()) {
      holdouts
          .computeIfAbsent(
              new HoldoutKey(mode, h.campaign(), h.global()),
              k ->
                  meters.counter(
                      DECISION_HOLDOUTS,
                      "Campaigns a customer matched but was held out of, by campaign and holdout"
                          + " scope (global or campaign)",
                      Tags.of(
                          "mode",
                          Meters.tagValue(k.mode()),
                          "campaign",
                          k.campaign(),
                          "scope",
                          k.global() ? "global" : "campaign")))
          .increment();
    }
  }
}
