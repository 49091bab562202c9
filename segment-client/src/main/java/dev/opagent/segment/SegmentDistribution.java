package dev.opagent.segment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a population's customers spread over each segment dimension, with the seed's insights (share
 * at risk above a threshold, share of high value, share in premium tiers) as data. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * SegmentDistribution d = SegmentDistribution.of(client.analyzeAll(customers));
 * d.shares(SegmentDimension.CHURN).get("Riskli").percentage();   // e.g. 31.25
 * d.insights().forEach(i -> System.out.println(i.message()));
 * }</pre>
 *
 * <p>Percentages are of the analysed customers, rounded half-up to two decimals; a dimension the
 * agent left out is counted under {@link #MISSING}. For a stream too large to hold, feed an {@link
 * #accumulator()} outcome by outcome.
 *
 * @param totalCustomers customers in (analysed plus failed)
 * @param analysed customers with an analysis
 * @param failed customers without
 * @param dimensions per dimension, the share of each wire value, most frequent first
 * @param withMissingRegulars analysed customers with at least one overdue regular product
 * @param insights findings worth acting on
 */
public record SegmentDistribution(
    long totalCustomers,
    long analysed,
    long failed,
    Map<SegmentDimension, Map<String, Share>> dimensions,
    long withMissingRegulars,
    List<Insight> insights) {

  /** The key under which customers without a value in a dimension are counted. */
  public static final String MISSING = "(missing)";

  /**
   * The default share at risk, in percent, above which {@link Insight.Code#AT_RISK_SHARE_HIGH} is
   * raised.
   */
  public static final BigDecimal DEFAULT_AT_RISK_THRESHOLD = BigDecimal.valueOf(30);

  /** Copies the collections. */
  public SegmentDistribution {
    Map<SegmentDimension, Map<String, Share>> copy = new EnumMap<>(SegmentDimension.class);
    dimensions.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    dimensions = Collections.unmodifiableMap(copy);
    insights = List.copyOf(insights);
  }

  /** The distribution of a batch's outcomes, with the default at-risk threshold. */
  public static SegmentDistribution of(Iterable<? extends SegmentOutcome> outcomes) {
    Accumulator acc = accumulator();
    for (SegmentOutcome o : outcomes) {
      acc.add(o);
    }
    return acc.build();
  }

  /** The distribution of analyses (no failures), with the default at-risk threshold. */
  public static SegmentDistribution ofAnalyses(Iterable<SegmentAnalysis> analyses) {
    Accumulator acc = accumulator();
    for (SegmentAnalysis a : analyses) {
      acc.add(a);
    }
    return acc.build();
  }

  /** An empty accumulator, for streams. */
  public static Accumulator accumulator() {
    return new Accumulator();
  }

  /** The shares in {@code dimension}, by wire value, most frequent first. */
  public Map<String, Share> shares(SegmentDimension dimension) {
    return dimensions.getOrDefault(dimension, Map.of());
  }

  /** The share of {@code label} in its dimension; zero when absent. */
  public Share share(SegmentDimension dimension, SegmentLabel label) {
    return shares(dimension)
        .getOrDefault(label.wireValue(), new Share(0, BigDecimal.ZERO.setScale(2)));
  }

  /**
   * A count and its percentage of the analysed customers.
   *
   * @param count customers
   * @param percentage of the analysed customers, two decimals
   */
  public record Share(long count, BigDecimal percentage) {}

  /**
   * A finding about the population, as data.
   *
   * @param code what was found
   * @param figures the numbers behind it, by name (percentages with two decimals)
   * @param message a one-line English explanation
   */
  public record Insight(Code code, Map<String, BigDecimal> figures, String message) {
    /** Copies the figures. */
    public Insight {
      Objects.requireNonNull(code, "code");
      figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /** Kinds of insight. */
    public enum Code {
      /** More customers than the threshold are at risk of churning ({@code Riskli}). */
      AT_RISK_SHARE_HIGH,
      /** The share of high-value customers. */
      HIGH_VALUE_SHARE,
      /** The share of customers in the premium tiers ({@code Platin} + {@code Altın}). */
      PREMIUM_TIER_SHARE
    }
  }

  /**
   * Builds a distribution one outcome at a time in constant memory. Not thread-safe: feed it from
   * one thread (a batch's sink is called on one thread).
   */
  public static final class Accumulator {
    private final Map<SegmentDimension, Map<String, long[]>> counts =
        new EnumMap<>(SegmentDimension.class);
    private long analysed;
    private long failed;
    private long withMissingRegulars;

    private Accumulator() {
      for (SegmentDimension d : SegmentDimension.values()) {
        counts.put(d, new LinkedHashMap<>());
      }
    }

    /** Adds one outcome: its analysis when it succeeded, a failure otherwise. */
    public Accumulator add(SegmentOutcome outcome) {
      if (outcome instanceof SegmentOutcome.Success s) {
        add(s.analysis());
      } else {
        failed++;
      }
      return this;
    }

    /** Adds one analysis. */
    public Accumulator add(SegmentAnalysis analysis) {
      analysed++;
      for (SegmentDimension d : SegmentDimension.values()) {
        SegmentLabel label = d.of(analysis);
        String key = label == null ? MISSING : label.wireValue();
        Objects.requireNonNull(counts.get(d), "every dimension has its map from the start")
            .computeIfAbsent(key, k -> new long[1])[0]++;
      }
      if (analysis.hasMissingRegulars()) {
        withMissingRegulars++;
      }
      return this;
    }

    /** The distribution so far, with the default at-risk threshold of 30%. */
    public SegmentDistribution build() {
      return build(DEFAULT_AT_RISK_THRESHOLD);
    }

    /**
     * The distribution so far; {@code atRiskThresholdPercent} sets when at-risk share is flagged.
     */
    public SegmentDistribution build(BigDecimal atRiskThresholdPercent) {
      Map<SegmentDimension, Map<String, Share>> dims = new EnumMap<>(SegmentDimension.class);
      for (Map.Entry<SegmentDimension, Map<String, long[]>> e : counts.entrySet()) {
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(e.getValue().entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        Map<String, Share> shares = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> s : sorted) {
          shares.put(s.getKey(), new Share(s.getValue()[0], percent(s.getValue()[0])));
        }
        dims.put(e.getKey(), shares);
      }
      List<Insight> insights = new ArrayList<>();
      if (analysed > 0) {
        BigDecimal atRisk = percentOf(SegmentDimension.CHURN, ChurnSegment.AT_RISK);
        if (atRisk.compareTo(atRiskThresholdPercent) > 0) {
          insights.add(
              new Insight(
                  Insight.Code.AT_RISK_SHARE_HIGH,
                  Map.of("percentage", atRisk, "threshold", atRiskThresholdPercent),
                  atRisk.toPlainString()
                      + "% of customers are at risk of churning (above "
                      + atRiskThresholdPercent.toPlainString()
                      + "%): act now"));
        }
        BigDecimal high = percentOf(SegmentDimension.VALUE, ValueSegment.HIGH_VALUE);
        insights.add(
            new Insight(
                Insight.Code.HIGH_VALUE_SHARE,
                Map.of("percentage", high),
                high.toPlainString() + "% of customers are high value"));
        BigDecimal premium =
            percentOf(SegmentDimension.LOYALTY, LoyaltyTier.PLATINUM)
                .add(percentOf(SegmentDimension.LOYALTY, LoyaltyTier.GOLD));
        insights.add(
            new Insight(
                Insight.Code.PREMIUM_TIER_SHARE,
                Map.of("percentage", premium),
                premium.toPlainString()
                    + "% of customers are in a premium tier (Platin or Altın)"));
      }
      return new SegmentDistribution(
          analysed + failed, analysed, failed, dims, withMissingRegulars, insights);
    }

    private BigDecimal percentOf(SegmentDimension dimension, SegmentLabel label) {
      long[] c =
          Objects.requireNonNull(
                  counts.get(dimension), "every dimension has its map from the start")
              .get(label.wireValue());
      return percent(c == null ? 0 : c[0]);
    }

    private BigDecimal percent(long count) {
      if (analysed == 0) {
        return BigDecimal.ZERO.setScale(2);
      }
      return BigDecimal.valueOf(count * 100L)
          .divide(BigDecimal.valueOf(analysed), 2, RoundingMode.HALF_UP);
    }
  }
}
