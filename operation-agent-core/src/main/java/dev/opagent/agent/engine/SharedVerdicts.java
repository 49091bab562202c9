package dev.opagent.agent.engine;

import dev.opagent.agent.Channel;
import dev.opagent.agent.policy.DecisionPolicy;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verdicts whose text depends only on the policy and a channel or action type, built once and
 * shared by every decision so that frequent outcomes (run caps, missing consent) do not allocate.
 * Thread-safe.
 */
final class SharedVerdicts {
  private final GuardrailVerdict runCapTotal;
  private final int maxPerChannel;
  private final ConcurrentHashMap<Channel, GuardrailVerdict> runCapChannel =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Channel, GuardrailVerdict> consentMissing =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, GuardrailVerdict> unmapped = new ConcurrentHashMap<>();

  SharedVerdicts(DecisionPolicy policy) {
    this.runCapTotal =
        GuardrailVerdict.block(
            Guardrail.CONFLICT,
            ReasonCode.RUN_CAP_TOTAL,
            "at most " + policy.maxActionsPerCustomer() + " action(s) per customer per run");
    this.maxPerChannel = policy.maxActionsPerChannel();
  }

  GuardrailVerdict runCapTotal() {
    return runCapTotal;
  }

  GuardrailVerdict runCapChannel(Channel c) {
    GuardrailVerdict v = runCapChannel.get(c);
    return v != null
        ? v
        : runCapChannel.computeIfAbsent(
            c,
            k ->
                GuardrailVerdict.block(
                    Guardrail.CONFLICT,
                    ReasonCode.RUN_CAP_CHANNEL,
                    "at most " + maxPerChannel + " " + k.id() + " action(s) per customer per run"));
  }

  GuardrailVerdict consentMissing(Channel c) {
    GuardrailVerdict v = consentMissing.get(c);
    return v != null
        ? v
        : consentMissing.computeIfAbsent(
            c,
            k ->
                GuardrailVerdict.block(
                    Guardrail.CONSENT, ReasonCode.CONSENT_MISSING, "no opt-in for " + k.id()));
  }

  GuardrailVerdict unmapped(String actionType) {
    GuardrailVerdict v = unmapped.get(actionType);
    return v != null
        ? v
        : unmapped.computeIfAbsent(
            actionType,
            k ->
                GuardrailVerdict.block(
                    Guardrail.CHANNEL,
                    ReasonCode.UNMAPPED_ACTION_TYPE,
                    "action type '" + k + "' maps to no channel"));
  }
}
