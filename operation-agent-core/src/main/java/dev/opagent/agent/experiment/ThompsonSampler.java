package dev.opagent.agent.experiment;

import dev.opagent.agent.experiment.internal.Sampling;
import dev.opagent.agent.feedback.MetricsReport;
import dev.opagent.rules.assignment.Hashing;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Moves an experiment's traffic towards the variant that converts best, by Thompson sampling, while
 * every variant keeps a floor share. Thread-safe: {@link #allocate} calls are serialized (each
 * takes a few milliseconds); {@link #history()} may be read at any time.
 *
 * <p>Each call is one round. Each arm's conversion rate is believed to be Beta(1 + conversions, 1 +
 * failures) (a uniform prior) and the probability that each arm is the best is estimated from
 * {@linkplain Builder#draws joint draws}; every round reports it ({@link
 * Allocation#probabilityBest()}). Until every arm has the {@linkplain Builder#minSamplePerArm
 * minimum sample} (by default the experiment's, 1,000 deliveries), the round returns the configured
 * weights ({@link Allocation.Phase#EXPLORING}): a few dozen deliveries make a lucky arm look best
 * with high probability, and moving traffic on that would starve the other arm of the data that
 * corrects it. After that ({@link Allocation.Phase#EXPLOITING}) an arm's weight is {@code floor +
 * (1 − k·floor) × P(best)} for {@code k} arms, so weights sum to 1 and no arm starves: its data
 * keeps coming in case the early leader was lucky.
 *
 * <p>Deterministic: a round's draws come from a generator seeded by the sampler's seed and the
 * round number, so the same seed, rounds and counts give the same weights on every run.
 *
 * <pre>{@code
 * ThompsonSampler sampler = ThompsonSampler.builder(subject).seed(42).build();
 * ExperimentAssigner assigner = ExperimentAssigner.create(subject, stickyStore);
 *
 * // once per round (say hourly), from the feedback loop's live counts of the campaign:
 * Allocation a = sampler.allocate(VariantCounts.of(loop.variants(subject.campaign())));
 * assigner.apply(a);                   // new customers follow a.weights(); assigned ones stay
 * String variant = assigner.assign("C-1001");
 *
 * sampler.history();                   // every round's weights, for a chart
 * }</pre>
 *
 * <p>Adaptive allocation trades measurement for reward: once weights moved, the sample-ratio check
 * of {@link ExperimentAnalysis} no longer applies, and a pooled comparison over periods with
 * different weights can be biased if conversion rates drift over time.
 */
public final class ThompsonSampler {
  /** The default number of joint draws per round: 10,000. */
  public static final int DEFAULT_DRAWS = 10_000;

  /** The default floor: every arm keeps at least 1% of new customers. */
  public static final double DEFAULT_FLOOR = 0.01;

  private final Experiment experiment;
  private final long seed;
  private final int draws;
  private final double floor;
  private final long minSamplePerArm;
  private final Clock clock;

  /** Guarded by this. */
  private final List<Allocation> history = new ArrayList<>();

  /** Guarded by this. */
  private long round;

  private ThompsonSampler(Builder b) {
    this.experiment = b.experiment;
    this.seed = b.seed != null ? b.seed : Hashing.fnv1a32(experiment.id());
    this.draws = b.draws;
    this.floor = b.floor;
    this.minSamplePerArm =
        b.minSamplePerArm != null ? b.minSamplePerArm : experiment.minSamplePerArm();
    this.clock = b.clock;
  }

  /** A builder for {@code experiment}. */
  public static Builder builder(Experiment experiment) {
    return new Builder(experiment);
  }

  /** The experiment, with its configured weights. */
  public Experiment experiment() {
    return experiment;
  }

  /** The seed of the draws. */
  public long seed() {
    return seed;
  }

  /** Deliveries every arm needs before the weights move from the configured ones. */
  public long minSamplePerArm() {
    return minSamplePerArm;
  }

  /** The next round from the variants of the experiment's campaign in {@code report}. */
  public Allocation allocate(MetricsReport report) {
    Objects.requireNonNull(report, "report");
    return allocate(VariantCounts.of(report.variants(experiment.campaign())));
  }

  /**
   * The next round from {@code counts} by variant name. A variant without counts has none; counts
   * of names the experiment does not define are ignored.
   */
  public synchronized Allocation allocate(Map<String, VariantCounts> counts) {
    Objects.requireNonNull(counts, "counts");
    round++;
    List<Variant> variants = experiment.variants();
    int k = variants.size();
    Map<String, VariantCounts> used = new LinkedHashMap<>();
    boolean exploring = false;
    long[] successes = new long[k];
    long[] failures = new long[k];
    for (int i = 0; i < k; i++) {
      String name = variants.get(i).name();
      VariantCounts c = counts.getOrDefault(name, VariantCounts.ZERO);
      used.put(name, c);
      successes[i] = c.conversions();
      failures[i] = c.failures();
      if (c.n() < minSamplePerArm) {
        exploring = true;
      }
    }
    double[] best =
        Sampling.probabilityBest(
            successes, failures, draws, new SplittableRandom(roundSeed(seed, round)));
    Map<String, Double> probabilities = new LinkedHashMap<>();
    for (int i = 0; i < k; i++) {
      probabilities.put(variants.get(i).name(), best[i]);
    }
    Allocation a;
    if (exploring) {
      a =
          new Allocation(
              experiment.id(),
              round,
              Allocation.Phase.EXPLORING,
              experiment.weights(),
              probabilities,
              used,
              clock.instant());
    } else {
      Map<String, Double> weights = new LinkedHashMap<>();
      for (int i = 0; i < k; i++) {
        weights.put(variants.get(i).name(), floor + (1 - k * floor) * best[i]);
      }
      a =
          new Allocation(
              experiment.id(),
              round,
              Allocation.Phase.EXPLOITING,
              weights,
              probabilities,
              used,
              clock.instant());
    }
    history.add(a);
    return a;
  }

  /** Every round so far, oldest first. */
  public synchronized List<Allocation> history() {
    return List.copyOf(history);
  }

  /** A well-mixed seed per round, so rounds draw independent streams. */
  private static long roundSeed(long seed, long round) {
    return mix(seed ^ mix(round));
  }

  /** Stafford's variant 13 of the MurmurHash3 finalizer. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Builds a {@link ThompsonSampler}. Not thread-safe. */
  public static final class Builder {
    private final Experiment experiment;
    private @Nullable Long seed;
    private int draws = DEFAULT_DRAWS;
    private double floor = DEFAULT_FLOOR;
    private @Nullable Long minSamplePerArm;
    private Clock clock = Clock.systemUTC();

    private Builder(Experiment experiment) {
      this.experiment = Objects.requireNonNull(experiment, "experiment");
    }

    /**
     * The seed of the draws. Default: the FNV-1a hash of the experiment id, so an unseeded sampler
     * is still reproducible.
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Joint draws per round. Default 10,000: the estimated probabilities are then within about
     * ±0.01 (two standard errors at most 2·√(0.25 / 10,000)). Fewer is faster and noisier.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder draws(int draws) {
      if (draws < 1) {
        throw new IllegalArgumentException("draws must be positive but was " + draws);
      }
      this.draws = draws;
      return this;
    }

    /**
     * The share every arm keeps, whatever the data say. Default 0.01 (1%). A higher floor keeps
     * learning about the losing arms (useful when rates drift); 0 lets an arm starve. Must be below
     * 1 / the number of variants.
     *
     * @throws IllegalArgumentException if negative or not below 1 / the number of variants
     */
    public Builder floor(double floor) {
      int k = experiment.variants().size();
      if (!(floor >= 0 && floor * k < 1)) {
        throw new IllegalArgumentException(
            "floor must be at least 0 and below 1/" + k + " but was " + floor);
      }
      this.floor = floor;
      return this;
    }

    /**
     * Deliveries every arm needs before the weights move away from the configured split. Default:
     * the experiment's {@link Experiment#minSamplePerArm()} (1,000 unless set there), so the
     * traffic moves when the analysis starts judging. Raise it when early customers differ from
     * later ones or rates drift; lower it only when a wrong early shift costs little — with a few
     * dozen deliveries per arm a lucky arm often looks best with 90% probability.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder minSamplePerArm(long minSamplePerArm) {
      if (minSamplePerArm < 1) {
        throw new IllegalArgumentException(
            "minSamplePerArm must be positive but was " + minSamplePerArm);
      }
      this.minSamplePerArm = minSamplePerArm;
      return this;
    }

    /** The clock that stamps {@link Allocation#at()}. Default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The sampler. */
    public ThompsonSampler build() {
      if (floor * experiment.variants().size() >= 1) {
        throw new IllegalArgumentException(
            "floor must be below 1/" + experiment.variants().size() + " but was " + floor);
      }
      return new ThompsonSampler(this);
    }
  }
}
