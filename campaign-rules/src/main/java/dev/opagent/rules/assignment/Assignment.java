package dev.opagent.rules.assignment;

/**
 * Outcome of assigning a unit to an {@link Experiment}: a variant, or why the unit is not in the
 * experiment. Immutable and thread-safe.
 */
public sealed interface Assignment {

  /** The experiment key. */
  String experimentKey();

  /**
   * The unit is in a variant.
   *
   * @param variantIndex position of the variant in {@link Experiment#variants()}
   * @param variant the variant key
   * @param bucket the unit's hash value in {@code [0, 1)}
   * @param sticky whether the variant came from the sticky store rather than from hashing now
   */
  record InVariant(
      String experimentKey, int variantIndex, String variant, double bucket, boolean sticky)
      implements Assignment {}

  /**
   * The unit is not in the experiment.
   *
   * @param cause why
   * @param bucket the unit's hash value, or -1 when it was excluded by namespace before hashing
   */
  record Excluded(String experimentKey, Cause cause, double bucket) implements Assignment {}

  /** Why a unit is not in an experiment. */
  enum Cause {
    /** Outside the experiment's namespace slice. */
    NAMESPACE,
    /** Outside the experiment's coverage. */
    COVERAGE
  }
}
