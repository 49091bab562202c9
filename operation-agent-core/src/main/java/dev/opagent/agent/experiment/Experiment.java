package dev.opagent.agent.experiment;

import dev.opagent.rules.assignment.HashVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An A/B test of one campaign: its variants with their traffic weights, which one is the control,
 * and how many customers each arm needs before results are judged (and before {@link
 * ThompsonSampler} starts moving traffic). Immutable and thread-safe.
 *
 * <p>Customers are split by campaign-rules' GrowthBook-compatible hashing with the experiment id as
 * seed ({@link #toAssignment()}), so the split is the same on every machine and run. The name is
 * the agent's view of an experiment; {@link dev.opagent.rules.assignment.Experiment} is the hashing
 * definition it produces.
 *
 * <pre>{@code
 * Experiment subject = Experiment.builder("winback-subject-2026")
 *     .campaign("winback")
 *     .variant("control", 0.5)
 *     .variant("discount-20", 0.5)
 *     .minSamplePerArm(2_000)
 *     .build();                        // the control is the first variant unless set
 * }</pre>
 *
 * @param id the experiment id; also the hash seed, so renaming it reshuffles every customer
 * @param campaign the campaign (rule id) whose actions carry the variant
 * @param variants the arms, at least two, unique names, weights summing to 1
 * @param control the name of the control variant
 * @param minSamplePerArm deliveries each arm needs before it is judged, at least 1
 */
public record Experiment(
    String id, String campaign, List<Variant> variants, String control, long minSamplePerArm) {

  /** The default minimum sample per arm: 1,000 deliveries. */
  public static final long DEFAULT_MIN_SAMPLE_PER_ARM = 1_000;

  /** Tolerance of the weights' sum. */
  private static final double SUM_TOLERANCE = 1e-6;

  /** Checks the values. */
  public Experiment {
    requireText(id, "experiment id");
    requireText(campaign, "campaign");
    Objects.requireNonNull(control, "control");
    variants = List.copyOf(variants);
    if (variants.size() < 2) {
      throw new IllegalArgumentException(
          "experiment " + id + " needs at least 2 variants but had " + variants.size());
    }
    Set<String> names = new HashSet<>();
    double sum = 0;
    for (Variant v : variants) {
      if (!names.add(v.name())) {
        throw new IllegalArgumentException(
            "experiment " + id + " has variant " + v.name() + " twice");
      }
      sum += v.weight();
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new IllegalArgumentException(
          "weights of experiment " + id + " must sum to 1 but summed to " + sum);
    }
    if (!names.contains(control)) {
      throw new IllegalArgumentException(
          "control " + control + " is not a variant of experiment " + id);
    }
    if (minSamplePerArm < 1) {
      throw new IllegalArgumentException(
          "minSamplePerArm must be positive but was " + minSamplePerArm);
    }
  }

  /** A builder of an experiment with id {@code id}. */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** The variant names, in order. */
  public List<String> variantNames() {
    List<String> out = new ArrayList<>(variants.size());
    for (Variant v : variants) {
      out.add(v.name());
    }
    return Collections.unmodifiableList(out);
  }

  /** The weights by variant name, in variant order. */
  public Map<String, Double> weights() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Variant v : variants) {
      out.put(v.name(), v.weight());
    }
    return Collections.unmodifiableMap(out);
  }

  /** Whether {@code name} is one of the variants. */
  public boolean hasVariant(String name) {
    for (Variant v : variants) {
      if (v.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The same experiment with new weights: one per variant, summing to 1. Assignment with the result
   * keeps every customer's hash, so with a sticky store only new customers follow the new weights.
   *
   * @throws IllegalArgumentException if a variant has no weight or an unknown variant has one
   */
  public Experiment withWeights(Map<String, Double> weights) {
    Objects.requireNonNull(weights, "weights");
    for (String name : weights.keySet()) {
      if (!hasVariant(name)) {
        throw new IllegalArgumentException("experiment " + id + " has no variant " + name);
      }
    }
    List<Variant> out = new ArrayList<>(variants.size());
    for (Variant v : variants) {
      Double w = weights.get(v.name());
      if (w == null) {
        throw new IllegalArgumentException(
            "no weight for variant " + v.name() + " of experiment " + id);
      }
      out.add(new Variant(v.name(), w));
    }
    return new Experiment(id, campaign, out, control, minSamplePerArm);
  }

  /**
   * The hashing definition: key and seed are the id, every customer covered, GrowthBook hashing
   * {@link HashVersion#V2}. The last weight absorbs the rounding of the others, so the bucket
   * ranges end exactly at 1 and no customer falls outside them.
   */
  public dev.opagent.rules.assignment.Experiment toAssignment() {
    double[] w = new double[variants.size()];
    double others = 0;
    for (int i = 0; i < w.length - 1; i++) {
      w[i] = variants.get(i).weight();
      others += w[i];
    }
    w[w.length - 1] = Math.max(0, 1 - others);
    return dev.opagent.rules.assignment.Experiment.builder(id)
        .seed(id)
        .variants(variantNames().toArray(String[]::new))
        .weights(w)
        .coverage(1)
        .hashVersion(HashVersion.V2)
        .build();
  }

  private static void requireText(@Nullable String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }

  /** Builds an {@link Experiment}. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private @Nullable String campaign;
    private final List<Variant> variants = new ArrayList<>();
    private @Nullable String control;
    private long minSamplePerArm = DEFAULT_MIN_SAMPLE_PER_ARM;

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id");
    }

    /** The campaign (rule id) under test. Required. */
    public Builder campaign(String campaign) {
      this.campaign = Objects.requireNonNull(campaign, "campaign");
      return this;
    }

    /** Adds a variant with its share of new customers. Weights must sum to 1. */
    public Builder variant(String name, double weight) {
      variants.add(new Variant(name, weight));
      return this;
    }

    /** Replaces the variants with {@code names}, weighted equally. */
    public Builder variants(String... names) {
      variants.clear();
      for (String name : names) {
        variants.add(new Variant(name, 1.0 / names.length));
      }
      return this;
    }

    /** The control variant. Default: the first variant. */
    public Builder control(String name) {
      this.control = Objects.requireNonNull(name, "control");
      return this;
    }

    /**
     * Deliveries each arm needs before the analysis judges it and before Thompson sampling moves
     * traffic. Default 1,000. Raise it to detect small lifts: finding +1 point on a 5% rate with
     * 80% power at 95% confidence takes about 8,200 per arm.
     */
    public Builder minSamplePerArm(long minSamplePerArm) {
      this.minSamplePerArm = minSamplePerArm;
      return this;
    }

    /**
     * The experiment.
     *
     * @throws IllegalArgumentException naming what is missing or inconsistent
     */
    public Experiment build() {
      if (campaign == null) {
        throw new IllegalArgumentException("campaign of experiment " + id + " is required");
      }
      if (variants.isEmpty()) {
        throw new IllegalArgumentException(
            "experiment " + id + " needs at least 2 variants but" + " had 0");
      }
      return new Experiment(
          id,
          campaign,
          variants,
          control != null ? control : variants.get(0).name(),
          minSamplePerArm);
    }
  }
}
