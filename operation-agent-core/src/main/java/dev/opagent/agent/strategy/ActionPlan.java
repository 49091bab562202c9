package dev.opagent.agent.strategy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a strategy does for each customer in its target: actions over channels, an optional offer,
 * and their timing. Immutable and thread-safe.
 *
 * @param actions the steps, in order; at least one
 * @param offer the discount, if any
 */
public record ActionPlan(List<PlanStep> actions, @Nullable Offer offer) {

  /** Checks and copies the values. */
  public ActionPlan {
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("an action plan needs at least one action");
    }
    actions = List.copyOf(actions);
  }

  /** The distinct channels the plan uses, in order of first use. */
  public List<String> channels() {
    LinkedHashSet<String> channels = new LinkedHashSet<>();
    actions.forEach(a -> channels.add(a.channel()));
    return List.copyOf(channels);
  }

  /** The offer, if any. */
  public Optional<Offer> discount() {
    return Optional.ofNullable(offer);
  }
}
