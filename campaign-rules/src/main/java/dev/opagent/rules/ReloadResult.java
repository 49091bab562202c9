package dev.opagent.rules;

import dev.opagent.rules.problem.Problem;
import java.util.List;

/** Outcome of {@link RuleSetHolder#reload()}. Immutable and thread-safe. */
public sealed interface ReloadResult {

  /** The rule set in effect after the reload attempt. */
  RuleSet current();

  /** The new content was valid and is now in effect. */
  record Reloaded(RuleSet previous, RuleSet current) implements ReloadResult {}

  /** The content's checksum did not change; nothing was swapped. */
  record Unchanged(RuleSet current) implements ReloadResult {}

  /**
   * The new content did not validate; the previous rule set stays in effect.
   *
   * @param problems every problem found in the new content
   */
  record Rejected(RuleSet current, List<Problem> problems) implements ReloadResult {
    public Rejected {
      problems = List.copyOf(problems);
    }
  }
}
