package dev.opagent.examples;

import dev.opagent.segment.AffinityType;
import dev.opagent.segment.ChurnSegment;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.DiversityProfile;
import dev.opagent.segment.SegmentDimension;
import dev.opagent.segment.SegmentDistribution;
import dev.opagent.segment.SegmentDistribution.Insight;
import dev.opagent.segment.SegmentDistribution.Share;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.PopulationGenerator;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The segment agent's guide, segment-distribution analysis: how a customer base spreads over every
 * segment dimension, with insights per dimension. The guide's {@code SegmentDistributionAnalyzer}
 * counts with {@code Counter} and writes three insights; here {@link SegmentDistribution} counts
 * (failures apart, unknown labels kept) and raises the guide's three insights as data, and this
 * example adds one finding for each remaining dimension, each naming the campaign it feeds.
 *
 * <p>Run it with {@code java -cp examples/target/opagent-cli.jar
 * dev.opagent.examples.DistributionAnalysisExample}.
 */
public final class DistributionAnalysisExample {
  private static final int BAR = 40;

  private DistributionAnalysisExample() {}

  /**
   * The analysis.
   *
   * @param distribution counts and shares per dimension
   * @param insights findings per dimension, every dimension present
   * @param overdueRegulars customers with at least one overdue regular product
   */
  public record DistributionReport(
      SegmentDistribution distribution,
      Map<SegmentDimension, List<String>> insights,
      long overdueRegulars) {}

  public static void main(String[] args) {
    run(
        PopulationGenerator.builder().seed(21).asOf(Fixtures.SEED_AS_OF).build().list(500),
        System.out);
  }

  /** Segments {@code customers} and prints the distribution and its insights. */
  public static DistributionReport run(List<CustomerData> customers, PrintStream out) {
    SegmentDistribution d;
    try (LocalAgent agent = LocalAgent.start()) {
      d = SegmentDistribution.of(agent.client().analyzeAll(customers));
    }
    Map<SegmentDimension, List<String>> insights = insights(d);
    out.printf(
        "Segment distribution of %d customers (%d analysed, %d failed)%n",
        d.totalCustomers(), d.analysed(), d.failed());
    for (SegmentDimension dim : SegmentDimension.values()) {
      out.println("\n" + dim.field());
      d.shares(dim)
          .forEach(
              (label, share) ->
                  out.printf(
                      Locale.ROOT,
                      "  %-16s %5d %6s%%  %s%n",
                      label,
                      share.count(),
                      share.percentage().toPlainString(),
                      "#".repeat((int) Math.round(share.percentage().doubleValue() * BAR / 100))));
      under(insights, dim).forEach(i -> out.println("  → " + i));
    }
    out.printf(
        "%nmissingRegulars: %d customers have an overdue regular product → replenishment"
            + " reminders%n",
        d.withMissingRegulars());
    return new DistributionReport(d, insights, d.withMissingRegulars());
  }

  /** The findings under {@code dim}: every dimension has a list. */
  private static List<String> under(
      Map<SegmentDimension, List<String>> findings, SegmentDimension dim) {
    return Objects.requireNonNull(findings.get(dim), "every dimension has a list");
  }

  /** The SDK's insights under their dimension, and one finding for each other dimension. */
  static Map<SegmentDimension, List<String>> insights(SegmentDistribution d) {
    Map<SegmentDimension, List<String>> out = new EnumMap<>(SegmentDimension.class);
    for (SegmentDimension dim : SegmentDimension.values()) {
      out.put(dim, new ArrayList<>());
    }
    for (Insight i : d.insights()) {
      SegmentDimension dim =
          switch (i.code()) {
            case AT_RISK_SHARE_HIGH -> SegmentDimension.CHURN;
            case HIGH_VALUE_SHARE -> SegmentDimension.VALUE;
            case PREMIUM_TIER_SHARE -> SegmentDimension.LOYALTY;
          };
      under(out, dim).add(i.message() + " (" + i.code() + ")");
    }
    BigDecimal cooling =
        d.share(SegmentDimension.CHURN, ChurnSegment.WARM)
            .percentage()
            .add(d.share(SegmentDimension.CHURN, ChurnSegment.AT_RISK).percentage());
    under(out, SegmentDimension.CHURN)
        .add(
            cooling.toPlainString() + "% are cooling or at risk (Ilık, Riskli) → retention offers");
    under(out, SegmentDimension.DIVERSITY)
        .add(
            percent(d.share(SegmentDimension.DIVERSITY, DiversityProfile.EXPLORER))
                + "% are explorers (Kaşif), open to new categories"
                + " → cross-sell");
    under(out, SegmentDimension.AFFINITY)
        .add(
            percent(d.share(SegmentDimension.AFFINITY, AffinityType.TREND_FOLLOWER))
                + "% follow their region's trend"
                + " → trend-led recommendations");
    d.shares(SegmentDimension.AGE).entrySet().stream()
        .findFirst()
        .ifPresent(
            top ->
                under(out, SegmentDimension.AGE)
                    .add(
                        "the largest age band is "
                            + top.getKey()
                            + " with "
                            + top.getValue().percentage().toPlainString()
                            + "% → pick creatives for it first"));
    return out;
  }

  private static String percent(Share share) {
    return share.percentage().toPlainString();
  }
}
