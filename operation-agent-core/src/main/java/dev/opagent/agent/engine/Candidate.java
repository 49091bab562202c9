package dev.opagent.agent.engine;

import dev.opagent.agent.budget.Reservation;
import dev.opagent.rules.Verdict;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One action of one eligible campaign while a decision judges it: its score, the verdicts of the
 * guardrails it has passed so far, and what the last one decided. Not thread-safe; lives for one
 * decision.
 */
final class Candidate {
  private static final Score NO_SCORE = new Score(0, 1, 1, 0, 0, 0, 0, 0);
  private static final int GUARDRAILS = Guardrail.values().length;

  final CompiledCampaign campaign;
  final CompiledCampaign.CompiledAction action;
  final Verdict.Eligible verdict;
  final int index;
  Score score = NO_SCORE;
  ActionStatus status = ActionStatus.SUPPRESSED;
  final GuardrailVerdict[] verdicts = new GuardrailVerdict[GUARDRAILS];
  int verdictCount;
  @Nullable Reservation reservation;
  @Nullable String approvalRequestId;
  @Nullable String approvalReason;

  Candidate(
      CompiledCampaign campaign,
      CompiledCampaign.CompiledAction action,
      Verdict.Eligible verdict,
      int index) {
    this.campaign = campaign;
    this.action = action;
    this.verdict = verdict;
    this.index = index;
  }

  void add(GuardrailVerdict v) {
    verdicts[verdictCount++] = v;
  }

  PlannedAction toPlanned(String customerId, int rank, Instant now) {
    return new PlannedAction(
        customerId,
        rank,
        campaign.id,
        verdict.name(),
        verdict.priority(),
        action.type,
        action.channel,
        action.parameters,
        action.attachments,
        action.discountRate,
        action.delay,
        now.plusSeconds(action.delaySeconds),
        score,
        status,
        action.verdicts(verdicts, verdictCount),
        reservation,
        approvalRequestId,
        approvalReason);
  }
}
