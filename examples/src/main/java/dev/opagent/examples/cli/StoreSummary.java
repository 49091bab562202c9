package dev.opagent.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.experiment.Allocation;
import dev.opagent.agent.experiment.ArmResult;
import dev.opagent.agent.experiment.Comparison;
import dev.opagent.agent.experiment.Experiment;
import dev.opagent.agent.experiment.ExperimentAnalysis;
import dev.opagent.agent.experiment.ExperimentResult;
import dev.opagent.agent.feedback.Attribution;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.agent.feedback.MetricsReport;
import dev.opagent.agent.feedback.VariantKey;
import dev.opagent.store.FeedbackStore;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The report's summary drawn from an operating store, in the sections {@code opagent demo} writes:
 * campaign metrics and attribution outcomes, experiments with their analysis, bandit rounds and ROI
 * per campaign. Stateless.
 *
 * <p>Experiments are the ones with recorded bandit rounds, plus every campaign whose deliveries
 * carry two or more variants without one (named after the campaign; the control is the variant
 * called {@code control}, else the first by name). The sample-ratio check needs the weights
 * customers were assigned under: it is kept for an experiment whose rounds all kept the configured
 * weights, and left out where a bandit moved them or no weights were recorded (the arms are then
 * analysed under their observed shares).
 */
final class StoreSummary {
  private StoreSummary() {}

  /** The summary of {@code feedback}'s store as of {@code asOf}. */
  static ObjectNode of(FeedbackStore feedback, LocalDate asOf) {
    MetricsReport m = feedback.loop().metrics();
    ObjectNode json = JsonLines.MAPPER.createObjectNode();
    json.put("asOf", asOf.toString());
    json.putObject("decisions").put("executed", m.total().delivered());
    metrics(json.putObject("metrics"), m);
    ArrayNode experiments = json.putArray("experiments");
    ArrayNode bandit = json.putArray("bandit");
    Set<String> covered = new HashSet<>();
    for (Experiment e : feedback.experiments()) {
      covered.add(e.campaign());
      List<Allocation> rounds = feedback.allocations(e.id());
      boolean moved = rounds.stream().anyMatch(a -> !a.isExploring());
      experiment(experiments, moved ? observedShares(e, m) : e, m, !moved);
      ObjectNode b = bandit.addObject().put("campaign", e.campaign()).put("experiment", e.id());
      ArrayNode list = b.putArray("rounds");
      for (Allocation a : rounds) {
        ObjectNode o = list.addObject().put("round", a.round()).put("exploring", a.isExploring());
        ObjectNode w = o.putObject("weights");
        a.weights().forEach(w::put);
        if (!a.probabilityBest().isEmpty()) {
          ObjectNode p = o.putObject("probabilityBest");
          a.probabilityBest().forEach(p::put);
        }
      }
    }
    Map<String, Set<String>> variants = new TreeMap<>();
    for (VariantKey k : m.byVariant().keySet()) {
      variants.computeIfAbsent(k.campaign(), c -> new TreeSet<>()).add(k.variant());
    }
    variants.forEach(
        (campaign, names) -> {
          if (!covered.contains(campaign) && names.size() >= 2) {
            Experiment.Builder b = Experiment.builder(campaign).campaign(campaign);
            names.forEach(v -> b.variant(v, 1.0 / names.size()));
            Experiment e =
                b.control(names.contains("control") ? "control" : names.iterator().next()).build();
            experiment(experiments, observedShares(e, m), m, false);
          }
        });
    roi(json.putObject("roi"), m);
    return json;
  }

  /** Campaign metrics and attribution outcomes, as the report's metrics section reads them. */
  static void metrics(ObjectNode json, MetricsReport m) {
    ObjectNode by = json.putObject("byCampaign");
    m.byCampaign()
        .forEach(
            (campaign, c) ->
                by.putObject(campaign)
                    .put("delivered", c.delivered())
                    .put("opened", c.opened())
                    .put("clicked", c.clicked())
                    .put("couponsUsed", c.couponsUsed())
                    .put("conversions", c.conversions())
                    .put("revenue", c.revenue())
                    .put("cost", c.cost()));
    ObjectNode outcomes = json.putObject("attributions");
    for (Map.Entry<Attribution.Outcome, Long> e : m.attributions().byOutcome().entrySet()) {
      outcomes.put(e.getKey().name(), e.getValue());
    }
  }

  /** {@code e} with each variant weighted by its share of the deliveries. */
  private static Experiment observedShares(Experiment e, MetricsReport m) {
    Map<String, Metrics> observed = m.variants(e.campaign());
    long total = 0;
    for (String v : e.variantNames()) {
      total += observed.getOrDefault(v, Metrics.EMPTY).delivered();
    }
    if (total == 0) {
      return e;
    }
    Experiment.Builder b =
        Experiment.builder(e.id()).campaign(e.campaign()).minSamplePerArm(e.minSamplePerArm());
    List<String> names = e.variantNames();
    double rest = 1;
    for (int i = 0; i < names.size(); i++) {
      double w =
          i == names.size() - 1
              ? Math.max(0, rest)
              : (double) observed.getOrDefault(names.get(i), Metrics.EMPTY).delivered() / total;
      rest -= w;
      b.variant(names.get(i), w);
    }
    return b.control(e.control()).build();
  }

  /**
   * Adds {@code e}'s analysis to {@code list} and returns it, unless none of its variants delivered
   * anything (then null); with {@code sampleRatio}, the sample-ratio check against {@code e}'s
   * weights.
   */
  static @Nullable ObjectNode experiment(
      ArrayNode list, Experiment e, MetricsReport m, boolean sampleRatio) {
    Map<String, Metrics> variants = m.variants(e.campaign());
    if (e.variantNames().stream()
            .mapToLong(v -> variants.getOrDefault(v, Metrics.EMPTY).delivered())
            .sum()
        == 0) {
      return null;
    }
    ExperimentResult result = ExperimentAnalysis.of(e, m);
    ObjectNode o = list.addObject();
    o.put("campaign", e.campaign())
        .put("experiment", e.id())
        .put("verdict", result.verdict().summary());
    if (sampleRatio) {
      o.put("srm", result.sampleRatio().mismatch())
          .put("srmPValue", finite(result.sampleRatio().pValue()));
    }
    ArrayNode arms = o.putArray("variants");
    for (ArmResult a : result.arms()) {
      ObjectNode v =
          arms.addObject()
              .put("name", a.variant())
              .put("control", a.control())
              .put("n", a.n())
              .put("conversions", a.conversions())
              .put("rate", finite(a.rate()))
              .put("probabilityBest", result.probabilityBest(a.variant()));
      result.comparison(a.variant()).ifPresent(c -> comparison(v, c));
    }
    result.comparisons().stream().findFirst().ifPresent(c -> comparison(o, c));
    ObjectNode best = o.putObject("probabilityBest");
    result.probabilityBest().forEach(best::put);
    return o;
  }

  private static void comparison(ObjectNode o, Comparison c) {
    o.put("lift", finite(c.absoluteLift()))
        .put("relativeLift", finite(c.relativeLift()))
        .put("pValue", finite(c.pValue()));
    ArrayNode ci = o.putArray("ci");
    ci.add(finite(c.absoluteLiftInterval().low()));
    ci.add(finite(c.absoluteLiftInterval().high()));
  }

  /** Revenue, cost and ROI per campaign (in campaign order) and overall. */
  static void roi(ObjectNode roi, MetricsReport m) {
    ObjectNode by = roi.putObject("byCampaign");
    for (Map.Entry<String, Metrics> e : new TreeMap<>(m.byCampaign()).entrySet()) {
      Metrics c = e.getValue();
      by.putObject(e.getKey())
          .put("revenue", c.revenue())
          .put("cost", c.cost())
          .put("roi", finite(c.roi()));
    }
    Metrics total = m.total();
    roi.putObject("overall")
        .put("revenue", total.revenue())
        .put("cost", total.cost())
        .put(
            "roi",
            total.cost().signum() == 0
                ? null
                : total
                    .revenue()
                    .subtract(total.cost())
                    .divide(total.cost(), 4, RoundingMode.HALF_EVEN));
  }

  private static Double finite(double d) {
    return Double.isFinite(d) ? d : null;
  }

  /** Today in UTC, for the report's date. */
  static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }
}
