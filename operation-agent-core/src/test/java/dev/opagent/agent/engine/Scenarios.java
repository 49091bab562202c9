package dev.opagent.agent.engine;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.Action;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.Verdict;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders of eligibility verdicts, contexts and bare policies for engine tests. */
final class Scenarios {
  private Scenarios() {}

  /** A policy with no caps, quiet hours, limits, approvals or exclusive groups. */
  static DecisionPolicy.Builder bare() {
    return DecisionPolicy.builder()
        .clearFrequencyCaps()
        .clearQuietHours()
        .clearExecutionLimits()
        .clearExclusiveCampaigns()
        .approval(ApprovalThresholds.none());
  }

  static Action action(String type, Object... keyValues) {
    Map<String, Object> p = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put((String) keyValues[i], keyValues[i + 1]);
    }
    return new Action(type, p, Duration.ZERO);
  }

  static Action delayed(String type, Duration delay) {
    return new Action(type, Map.of(), delay);
  }

  static Verdict.Eligible campaign(String id, int priority, Action... actions) {
    return new Verdict.Eligible(id, id, priority, List.of(actions));
  }

  static Eligibility eligibility(String customerId, Verdict... verdicts) {
    List<String> ids = new ArrayList<>();
    for (Verdict v : verdicts) {
      if (v.isEligible()) {
        ids.add(v.ruleId());
      }
    }
    return new Eligibility(customerId, ids, List.of(verdicts));
  }

  /** A context worth 100 per conversion, basket 100, opted in to {@code consents}. */
  static CustomerContext customer(
      String id, ZoneId zone, List<Channel> consents, Verdict... verdicts) {
    return CustomerContext.builder(eligibility(id, verdicts))
        .consents(consents)
        .zone(zone)
        .customerValue(100)
        .expectedBasket(100)
        .build();
  }

  static CustomerContext customer(String id, Verdict... verdicts) {
    return customer(
        id,
        ZoneId.of("UTC"),
        List.of(Channel.EMAIL, Channel.SMS, Channel.PUSH, Channel.IN_APP, Channel.PHONE),
        verdicts);
  }
}
