package dev.opagent.rules.assignment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An experiment customers are split across, such as two message variants of a win-back campaign.
 * Immutable and thread-safe; build with {@link #builder(String)}.
 *
 * <pre>{@code
 * Experiment subject = Experiment.builder("winback-subject-2026")
 *     .variants("control", "discount-20", "free-shipping")
 *     .weights(0.5, 0.25, 0.25)
 *     .coverage(0.8)
 *     .build();
 * }</pre>
 *
 * @param key experiment key; also the default hash seed
 * @param seed hash seed; changing it reshuffles every assignment
 * @param variants variant keys, at least two, unique
 * @param weights share of covered units per variant; equal when empty
 * @param coverage share of units included at all, in {@code [0, 1]}
 * @param hashVersion hashing algorithm
 * @param namespace optional namespace slice for mutually exclusive experiments
 */
public record Experiment(
    String key,
    String seed,
    List<String> variants,
    List<Double> weights,
    double coverage,
    HashVersion hashVersion,
    @Nullable Namespace namespace) {

  public Experiment {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("experiment key must not be empty");
    }
    variants = List.copyOf(variants);
    weights = List.copyOf(weights);
    if (variants.size() < 2) {
      throw new IllegalArgumentException(
          "experiment needs at least 2 variants but had " + variants.size());
    }
    if (new HashSet<>(variants).size() != variants.size()) {
      throw new IllegalArgumentException("experiment variants must be unique but were " + variants);
    }
    if (!weights.isEmpty()) {
      if (weights.size() != variants.size()) {
        throw new IllegalArgumentException(
            "experiment needs one weight per variant ("
                + variants.size()
                + ") but had "
                + weights.size());
      }
      double total = 0;
      for (double w : weights) {
        if (!(w >= 0)) {
          throw new IllegalArgumentException("experiment weights must be >= 0 but were " + weights);
        }
        total += w;
      }
      if (total < 0.99 || total > 1.01) {
        throw new IllegalArgumentException(
            "experiment weights must sum to 1 but summed to " + total);
      }
    }
    if (!(coverage >= 0 && coverage <= 1)) {
      throw new IllegalArgumentException(
          "experiment coverage must be between 0 and 1 but was " + coverage);
    }
  }

  public static Builder builder(String key) {
    return new Builder(key);
  }

  /** The hash range of each variant. */
  public List<BucketRange> ranges() {
    return Buckets.bucketRanges(variants.size(), coverage, weights.isEmpty() ? null : weights);
  }

  /** Builds an {@link Experiment}. Not thread-safe. */
  public static final class Builder {
    private final String key;
    private @Nullable String seed;
    private final List<String> variants = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();
    private double coverage = 1;
    private HashVersion hashVersion = HashVersion.V2;
    private @Nullable Namespace namespace;

    private Builder(String key) {
      this.key = Objects.requireNonNull(key, "key");
    }

    /** Hash seed; defaults to the key. Set it to keep assignments when renaming the key. */
    public Builder seed(String seed) {
      this.seed = Objects.requireNonNull(seed, "seed");
      return this;
    }

    /** The variant keys, in order; the first is conventionally the control. Required (≥ 2). */
    public Builder variants(String... variants) {
      this.variants.clear();
      this.variants.addAll(List.of(variants));
      return this;
    }

    /** Weights per variant summing to 1. Default: equal weights. */
    public Builder weights(double... weights) {
      this.weights.clear();
      for (double w : weights) {
        this.weights.add(w);
      }
      return this;
    }

    /** Share of units in the experiment at all. Default 1 (everyone). */
    public Builder coverage(double coverage) {
      this.coverage = coverage;
      return this;
    }

    /** Hashing algorithm. Default {@link HashVersion#V2}. */
    public Builder hashVersion(HashVersion hashVersion) {
      this.hashVersion = Objects.requireNonNull(hashVersion, "hashVersion");
      return this;
    }

    /** Restrict to a namespace slice. Default: none. */
    public Builder namespace(Namespace namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    public Experiment build() {
      return new Experiment(
          key, seed == null ? key : seed, variants, weights, coverage, hashVersion, namespace);
    }
  }
}
