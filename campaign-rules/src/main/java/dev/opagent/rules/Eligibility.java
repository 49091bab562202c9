package dev.opagent.rules;

import java.util.List;
import java.util.Optional;

/**
 * Every rule's verdict for one customer. Immutable and thread-safe. Serialises with a plain Jackson
 * {@code ObjectMapper} as {@code {"customerId": "...", "eligible": ["winback", …], "details":
 * [verdict, …]}}.
 *
 * @param customerId the customer
 * @param eligible ids of the rules with an {@link Verdict.Eligible} verdict, by priority
 * @param details one verdict per rule, by priority
 */
public record Eligibility(String customerId, List<String> eligible, List<Verdict> details) {

  public Eligibility {
    eligible = List.copyOf(eligible);
    details = List.copyOf(details);
  }

  /** The verdict of rule {@code ruleId}. */
  public Optional<Verdict> verdict(String ruleId) {
    for (Verdict v : details) {
      if (v.ruleId().equals(ruleId)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /** Whether rule {@code ruleId} is eligible. */
  public boolean isEligible(String ruleId) {
    return eligible.contains(ruleId);
  }
}
