package dev.opagent.rules;

import java.util.List;

/**
 * The audience of one campaign over a stream of customers, as seed 000's {@code
 * create_targeted_campaign}: who to target and the counts, plus who was held out (the control group
 * to measure lift against). Immutable and thread-safe; serialises with Jackson.
 *
 * @param campaign the rule id
 * @param ruleSetChecksum checksum of the rule set every customer was evaluated against
 * @param evaluated customers seen
 * @param targetCount customers eligible
 * @param heldOutCount customers matching but held out
 * @param ineligibleCount customers not matching
 * @param inactiveCount customers seen while the rule was disabled or outside its window
 * @param targets ids of eligible customers, in input order
 * @param heldOut ids of held-out customers, in input order
 */
public record Targeting(
    String campaign,
    String ruleSetChecksum,
    long evaluated,
    long targetCount,
    long heldOutCount,
    long ineligibleCount,
    long inactiveCount,
    List<String> targets,
    List<String> heldOut) {

  public Targeting {
    targets = List.copyOf(targets);
    heldOut = List.copyOf(heldOut);
  }
}
