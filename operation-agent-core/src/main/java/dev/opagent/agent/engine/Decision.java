package dev.opagent.agent.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the engine decided for one customer: every candidate action, ranked, with its status and
 * explanation, and the campaigns the customer was held out of. Immutable and thread-safe. Every
 * candidate has exactly one status, so no action is both chosen and suppressed.
 *
 * @param customerId the customer
 * @param runId the run it belongs to
 * @param mode live or dry run
 * @param decidedAt the instant every guardrail was evaluated at
 * @param globalHoldout whether the customer is in the global holdout (then nothing is planned)
 * @param heldOut campaigns the customer matched but was held out of (control customers)
 * @param candidates candidate actions, best score first
 */
public record Decision(
    String customerId,
    String runId,
    RunMode mode,
    Instant decidedAt,
    boolean globalHoldout,
    List<HeldOutCampaign> heldOut,
    List<PlannedAction> candidates) {

  public Decision {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(decidedAt, "decidedAt");
    heldOut = List.copyOf(heldOut);
    candidates = List.copyOf(candidates);
  }

  /** The chosen actions, best first. */
  public List<PlannedAction> chosen() {
    return withStatus(ActionStatus.CHOSEN);
  }

  /** The candidates with {@code status}, best first. */
  public List<PlannedAction> withStatus(ActionStatus status) {
    List<PlannedAction> out = new ArrayList<>(candidates.size());
    for (PlannedAction a : candidates) {
      if (a.status() == status) {
        out.add(a);
      }
    }
    return out;
  }

  /** Whether the customer was held out of the global holdout or of any matching campaign. */
  public boolean isHeldOut() {
    return globalHoldout || !heldOut.isEmpty();
  }

  /** Whether any action was chosen. */
  public boolean hasChosen() {
    for (PlannedAction a : candidates) {
      if (a.isChosen()) {
        return true;
      }
    }
    return false;
  }
}
