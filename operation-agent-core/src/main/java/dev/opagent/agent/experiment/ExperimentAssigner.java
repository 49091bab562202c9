package dev.opagent.agent.experiment;

import dev.opagent.rules.assignment.Assignment;
import dev.opagent.rules.assignment.InMemoryStickyAssignmentStore;
import dev.opagent.rules.assignment.VariantAssigner;
import dev.opagent.rules.spi.StickyAssignmentStore;
import java.util.Map;
import java.util.Objects;

/**
 * Puts customers into an experiment's variants: deterministically (campaign-rules' GrowthBook
 * hashing, seeded by the experiment id) and stickily (the first variant a customer gets is kept in
 * the {@link StickyAssignmentStore}). Thread-safe when its store is; the shipped in-memory store
 * is.
 *
 * <p>Weights can change while the experiment runs ({@link #apply(Allocation)} after a {@link
 * ThompsonSampler} round, or {@link #reweight}): customers already assigned keep their variant, new
 * customers follow the new weights. Without a persistent store, a restart forgets who was assigned,
 * and customers whose hash falls in a range that moved would switch variants.
 *
 * <pre>{@code
 * ExperimentAssigner assigner = ExperimentAssigner.create(subject, crmBackedStore);
 * String variant = assigner.assign(customerId);           // same answer every time
 * ActionRequest request = ActionRequest.of(runId, action, keys, variant, segment);
 * }</pre>
 */
public final class ExperimentAssigner {
  private final VariantAssigner assigner;
  private volatile State state;

  private record State(Experiment experiment, dev.opagent.rules.assignment.Experiment hashing) {}

  private ExperimentAssigner(Experiment experiment, StickyAssignmentStore store) {
    this.assigner = VariantAssigner.builder().store(store).build();
    this.state = new State(experiment, experiment.toAssignment());
  }

  /** An assigner remembering assignments in {@code store}. */
  public static ExperimentAssigner create(Experiment experiment, StickyAssignmentStore store) {
    return new ExperimentAssigner(
        Objects.requireNonNull(experiment, "experiment"), Objects.requireNonNull(store, "store"));
  }

  /**
   * An assigner remembering assignments in memory (lost on restart): for tests and single-process
   * hosts.
   */
  public static ExperimentAssigner create(Experiment experiment) {
    return create(experiment, new InMemoryStickyAssignmentStore());
  }

  /** The experiment with its current weights. */
  public Experiment experiment() {
    return state.experiment();
  }

  /**
   * The customer's variant: the remembered one if the customer was assigned before (and the variant
   * still exists), otherwise the one the customer's hash falls in under the current weights, which
   * is then remembered.
   */
  public String assign(String customerId) {
    Objects.requireNonNull(customerId, "customerId");
    State s = state;
    Assignment a = assigner.assign(s.hashing(), customerId);
    if (a instanceof Assignment.InVariant v) {
      return v.variant();
    }
    // The hashing definition covers every customer and its ranges end at 1.
    throw new IllegalStateException(
        "experiment "
            + s.experiment().id()
            + " left a customer unassigned: "
            + ((Assignment.Excluded) a).cause());
  }

  /**
   * Uses the weights of {@code allocation} for customers not yet assigned.
   *
   * @throws IllegalArgumentException if the allocation is of another experiment
   */
  public void apply(Allocation allocation) {
    Objects.requireNonNull(allocation, "allocation");
    if (!allocation.experiment().equals(state.experiment().id())) {
      throw new IllegalArgumentException(
          "allocation of experiment "
              + allocation.experiment()
              + " does not apply to experiment "
              + state.experiment().id());
    }
    reweight(allocation.weights());
  }

  /**
   * Uses {@code weights} (one per variant, summing to 1) for customers not yet assigned.
   *
   * @throws IllegalArgumentException if a variant has no weight or the weights do not sum to 1
   */
  public synchronized void reweight(Map<String, Double> weights) {
    Experiment next = state.experiment().withWeights(weights);
    state = new State(next, next.toAssignment());
  }
}
