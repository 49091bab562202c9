package dev.opagent.agent.experiment;

/**
 * One arm of an experiment: its name (what {@code ActionRequest#variant()} carries) and its share
 * of new customers. Immutable and thread-safe.
 *
 * @param name the variant name, not blank
 * @param weight the share of new customers assigned to it, in {@code [0, 1]}
 */
public record Variant(String name, double weight) {
  /** Checks the values. */
  public Variant {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("variant name must not be blank");
    }
    if (!(weight >= 0 && weight <= 1)) {
      throw new IllegalArgumentException(
          "weight of variant " + name + " must be between 0 and 1 but was " + weight);
    }
  }
}
