package dev.opagent.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.experiment.GroupOutcome;
import dev.opagent.agent.experiment.IncrementalAnalysis;
import dev.opagent.agent.experiment.IncrementalResult;
import dev.opagent.agent.experiment.Interval;
import dev.opagent.rules.assignment.Holdout;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Each customer's deliveries, cost, conversions and revenue per campaign over the demo's run, and
 * what the campaigns added over the global holdout and over their control variant. Not thread-safe.
 *
 * <p>The unit is the customer over the whole run: a treated customer received the campaign at least
 * once; a holdout customer is in the global holdout and matched the campaign at segmentation; for
 * the comparison with the control variant, customers who received only B are compared with those
 * who received only the control (customers who received both, as the bandit's weights moved, are
 * left out). Conversions are customers with at least one order, revenue every order in the run.
 */
final class CampaignOutcomes {
  private final @Nullable Holdout holdout;
  private final Map<String, List<String>> matched;
  private final String control;

  /** campaign → customer → window, in first-seen order. */
  private final Map<String, Map<String, Window>> byCampaign = new LinkedHashMap<>();

  CampaignOutcomes(@Nullable Holdout holdout, Map<String, List<String>> matched, String control) {
    this.holdout = holdout;
    this.matched = matched;
    this.control = control;
  }

  /** The campaigns a customer matched at segmentation. */
  List<String> matched(String customerId) {
    return matched.getOrDefault(customerId, List.of());
  }

  /** A delivery of {@code campaign} to a customer, with the variant it carried and its cost. */
  void delivered(String campaign, String customerId, @Nullable String variant, BigDecimal cost) {
    Window w = window(campaign, customerId);
    w.variants.add(variant == null ? control : variant);
    w.cost += cost.doubleValue();
  }

  /** An order of a customer that matched or received {@code campaign}. */
  void ordered(String campaign, String customerId, BigDecimal revenue) {
    Window w = window(campaign, customerId);
    w.converted = true;
    w.revenue += revenue.doubleValue();
  }

  private Window window(String campaign, String customerId) {
    return byCampaign
        .computeIfAbsent(campaign, c -> new LinkedHashMap<>())
        .computeIfAbsent(customerId, c -> new Window());
  }

  /** Both comparisons of {@code campaign}. */
  Comparisons comparisons(String campaign, IncrementalAnalysis analysis) {
    GroupOutcome.Tally treated = GroupOutcome.tally();
    GroupOutcome.Tally held = GroupOutcome.tally();
    GroupOutcome.Tally b = GroupOutcome.tally();
    GroupOutcome.Tally c = GroupOutcome.tally();
    double treatedCost = 0;
    double bCost = 0;
    long mixed = 0;
    Set<String> seen = new LinkedHashSet<>();
    for (Map.Entry<String, Window> e : byCampaign.getOrDefault(campaign, Map.of()).entrySet()) {
      seen.add(e.getKey());
      Window w = e.getValue();
      if (!w.variants.isEmpty()) {
        treated.add(w.converted, w.revenue);
        treatedCost += w.cost;
        if (w.variants.size() > 1) {
          mixed++;
        } else if (w.variants.contains(control)) {
          c.add(w.converted, w.revenue);
        } else {
          b.add(w.converted, w.revenue);
          bCost += w.cost;
        }
      } else if (inHoldout(e.getKey())) {
        held.add(w.converted, w.revenue);
      }
    }
    if (holdout != null) {
      for (Map.Entry<String, List<String>> m : matched.entrySet()) {
        if (!seen.contains(m.getKey())
            && m.getValue().contains(campaign)
            && holdout.contains(m.getKey())) {
          held.add(false, 0);
        }
      }
    }
    return new Comparisons(
        analysis.estimate(treated.toOutcome(), held.toOutcome(), treatedCost),
        analysis.estimate(b.toOutcome(), c.toOutcome(), bCost),
        mixed);
  }

  private boolean inHoldout(String customerId) {
    return holdout != null && holdout.contains(customerId);
  }

  /** The customers of a campaign against the holdout and B against the control. */
  record Comparisons(IncrementalResult vsHoldout, IncrementalResult vsControl, long mixed) {}

  /** The campaigns' comparisons combined, each campaign a stratum. */
  static Comparisons combine(List<Comparisons> all, IncrementalAnalysis analysis) {
    List<IncrementalResult> holdouts = new ArrayList<>();
    List<IncrementalResult> controls = new ArrayList<>();
    long mixed = 0;
    for (Comparisons c : all) {
      holdouts.add(c.vsHoldout());
      controls.add(c.vsControl());
      mixed += c.mixed();
    }
    return new Comparisons(analysis.combine(holdouts), analysis.combine(controls), mixed);
  }

  /** {@code c} as summary.json's incremental block. */
  static void json(ObjectNode o, Comparisons c, String holdoutKey) {
    o.put("unit", "customer over the run");
    result(
        o.putObject("vsHoldout").put("comparison", "global holdout " + holdoutKey), c.vsHoldout());
    result(
        o.putObject("vsControl")
            .put("comparison", "customers who received only control")
            .put("leftOut", c.mixed()),
        c.vsControl());
  }

  private static void result(ObjectNode o, IncrementalResult r) {
    group(o.putObject("treated"), r.treated());
    group(o.putObject("comparison"), r.comparison());
    o.put("cost", money(r.cost()));
    if (r instanceof IncrementalResult.NotEnoughData n) {
      o.put("state", "notEnoughData").put("reason", n.reason());
      return;
    }
    IncrementalResult.Estimate e = (IncrementalResult.Estimate) r;
    o.put("state", "estimated")
        .put("confidenceLevel", e.confidenceLevel())
        .put("treatedConversionRate", e.treatedConversionRate())
        .put("comparisonConversionRate", e.comparisonConversionRate())
        .put("conversionRateDifference", e.conversionRateDifference());
    interval(o.putArray("conversionRateDifferenceCi"), e.conversionRateDifferenceInterval(), 6);
    o.put("incrementalConversions", round(e.incrementalConversions(), 2))
        .put("revenuePerTreated", money(e.revenuePerTreated()))
        .put("revenuePerComparison", money(e.revenuePerComparison()))
        .put("incrementalRevenue", money(e.incrementalRevenue()));
    interval(o.putArray("incrementalRevenueCi"), e.incrementalRevenueInterval(), 2);
    o.put("revenueBeyondNoise", e.revenueBeyondNoise());
    if (e.incrementalRoi().isPresent()) {
      o.put("incrementalRoi", round(e.incrementalRoi().get(), 4));
      interval(o.putArray("incrementalRoiCi"), e.incrementalRoiInterval().orElseThrow(), 4);
    } else {
      o.putNull("incrementalRoi");
      o.putNull("incrementalRoiCi");
    }
  }

  private static void group(ObjectNode o, GroupOutcome g) {
    o.put("customers", g.customers())
        .put("conversions", g.conversions())
        .put("revenue", money(g.revenue()));
  }

  private static void interval(ArrayNode a, Interval i, int decimals) {
    a.add(round(i.low(), decimals));
    a.add(round(i.high(), decimals));
  }

  private static BigDecimal money(double x) {
    return round(x, 2);
  }

  private static BigDecimal round(double x, int decimals) {
    return BigDecimal.valueOf(x).setScale(decimals, RoundingMode.HALF_EVEN);
  }

  /** One customer's run in one campaign. */
  private static final class Window {
    final Set<String> variants = new LinkedHashSet<>();
    double cost;
    boolean converted;
    double revenue;
  }
}
