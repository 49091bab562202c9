package dev.opagent.rules.assignment;

import dev.opagent.rules.spi.StickyAssignmentStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Assigns units (customers) to experiment variants, deterministically and — with a store —
 * stickily: once a unit has been assigned, it keeps its variant even if weights or coverage change
 * later, as long as the variant still exists. Thread-safe when its store is. A first assignment is
 * stored with {@link StickyAssignmentStore#putIfAbsent}, so when another thread or process stored
 * one for the unit meanwhile, that one is returned.
 *
 * <pre>{@code
 * VariantAssigner assigner = VariantAssigner.builder()
 *     .store(new InMemoryStickyAssignmentStore())
 *     .build();
 * if (assigner.assign(subject, "C-1001") instanceof Assignment.InVariant v) {
 *   send(v.variant());
 * }
 * }</pre>
 */
public final class VariantAssigner {
  private final @Nullable StickyAssignmentStore store;

  private VariantAssigner(@Nullable StickyAssignmentStore store) {
    this.store = store;
  }

  /** Deterministic, without a sticky store. */
  public static VariantAssigner ofDefaults() {
    return new VariantAssigner(null);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Assigns {@code unitId} in {@code experiment}. */
  public Assignment assign(Experiment experiment, String unitId) {
    boolean stale = false;
    if (store != null) {
      Optional<String> remembered = store.get(experiment.key(), unitId);
      if (remembered.isPresent()) {
        int index = experiment.variants().indexOf(remembered.get());
        if (index >= 0) {
          double bucket = Hashing.hash(experiment.seed(), unitId, experiment.hashVersion());
          return new Assignment.InVariant(experiment.key(), index, remembered.get(), bucket, true);
        }
        stale = true;
      }
    }
    Namespace ns = experiment.namespace();
    if (ns != null && !ns.contains(unitId)) {
      return new Assignment.Excluded(experiment.key(), Assignment.Cause.NAMESPACE, -1);
    }
    double bucket = Hashing.hash(experiment.seed(), unitId, experiment.hashVersion());
    List<BucketRange> ranges = experiment.ranges();
    int index = Buckets.chooseVariation(bucket, ranges);
    if (index < 0) {
      return new Assignment.Excluded(experiment.key(), Assignment.Cause.COVERAGE, bucket);
    }
    String variant = experiment.variants().get(index);
    if (store != null) {
      if (stale) {
        store.put(experiment.key(), unitId, variant);
      } else {
        // Another process or thread may have assigned the unit meanwhile: the first one stays.
        String kept = store.putIfAbsent(experiment.key(), unitId, variant);
        int keptIndex = experiment.variants().indexOf(kept);
        if (!kept.equals(variant) && keptIndex >= 0) {
          return new Assignment.InVariant(experiment.key(), keptIndex, kept, bucket, true);
        }
      }
    }
    return new Assignment.InVariant(experiment.key(), index, variant, bucket, false);
  }

  /** Builds a {@link VariantAssigner}. Not thread-safe. */
  public static final class Builder {
    private @Nullable StickyAssignmentStore store;

    private Builder() {}

    /**
     * Where assignments are remembered. Without one (the default), assignment is purely
     * deterministic: the same unit gets the same variant while the experiment is unchanged, but may
     * move when weights change.
     */
    public Builder store(StickyAssignmentStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    public VariantAssigner build() {
      return new VariantAssigner(store);
    }
  }
}
