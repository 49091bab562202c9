package dev.opagent.console.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.experiment.Allocation;
import dev.opagent.agent.experiment.ArmResult;
import dev.opagent.agent.experiment.Comparison;
import dev.opagent.agent.experiment.ExperimentResult;
import dev.opagent.agent.experiment.ExperimentVerdict;
import dev.opagent.agent.experiment.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One experiment as the experiments page shows it: a table of its arms and the specs of its charts
 * (lift with its interval, probability of being best, traffic share per bandit round), in the form
 * the charts' script reads.
 */
public record ExperimentView(
    String id,
    String campaign,
    String control,
    String phase,
    int rounds,
    String verdict,
    boolean verdictWarns,
    String sampleRatio,
    boolean sampleRatioMismatch,
    List<Arm> arms,
    List<String> chartIds) {

  private static final String[] PALETTE = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"
  };

  /** One arm's row. */
  public record Arm(
      String variant,
      boolean control,
      String weightNow,
      long deliveries,
      long conversions,
      String rate,
      String rateInterval,
      String lift,
      String liftInterval,
      String relativeLift,
      String pValue,
      boolean significant,
      String probabilityBest) {}

  /**
   * The view of experiment number {@code index} on the page; its charts' specs are added to {@code
   * charts}.
   */
  public static ExperimentView of(
      Experiments.Analysed a, int index, ArrayNode charts, ObjectMapper json) {
    ExperimentResult r = a.result();
    Allocation latest = a.latest();
    List<Arm> arms = new ArrayList<>();
    for (ArmResult arm : r.arms()) {
      Comparison c = r.comparison(arm.variant()).orElse(null);
      arms.add(
          new Arm(
              arm.variant(),
              arm.control(),
              share(latest.weights().getOrDefault(arm.variant(), 0.0)),
              arm.n(),
              arm.conversions(),
              percent(arm.rate()),
              interval(arm.interval(), false),
              c == null ? "" : points(c.absoluteLift()),
              c == null ? "" : interval(c.absoluteLiftInterval(), true),
              c == null || Double.isNaN(c.relativeLift())
                  ? ""
                  : String.format(Locale.ROOT, "%+.1f%%", c.relativeLift() * 100),
              c == null || Double.isNaN(c.pValue()) ? "" : pValue(c.pValue()),
              c != null && c.significant(),
              share(r.probabilityBest(arm.variant()))));
    }
    String prefix = "experiment-" + index + "-";
    List<String> ids = new ArrayList<>();
    if (!r.comparisons().isEmpty()) {
      ids.add(prefix + "lift");
      charts.add(liftChart(prefix + "lift", r, json));
    }
    ids.add(prefix + "best");
    charts.add(bestChart(prefix + "best", r, json));
    ids.add(prefix + "rounds");
    charts.add(roundsChart(prefix + "rounds", a.rounds(), json));
    ExperimentVerdict.Kind kind = r.verdict().kind();
    return new ExperimentView(
        a.experiment().id(),
        a.experiment().campaign(),
        r.control(),
        latest.isExploring() ? "exploring" : "exploiting",
        a.rounds().size(),
        r.verdict().summary(),
        kind == ExperimentVerdict.Kind.SAMPLE_RATIO_MISMATCH,
        sampleRatio(a),
        a.srmApplies() && r.sampleRatio().mismatch(),
        List.copyOf(arms),
        List.copyOf(ids));
  }

  private static String sampleRatio(Experiments.Analysed a) {
    if (!a.srmApplies()) {
      return "not checked: the bandit moved traffic away from the configured weights";
    }
    var srm = a.result().sampleRatio();
    String p = "p = " + pValue(srm.pValue()) + ", χ² = " + fixed(srm.chiSquare(), 2);
    return srm.mismatch()
        ? "MISMATCH (" + p + "): the split does not follow the weights; trust no other figure"
        : "matches the configured weights (" + p + ")";
  }

  private static ObjectNode liftChart(String id, ExperimentResult r, ObjectMapper json) {
    List<String> labels = new ArrayList<>();
    ArrayNode ranges = json.createArrayNode();
    for (Comparison c : r.comparisons()) {
      labels.add(c.variant() + " vs " + c.control());
      Interval i = c.absoluteLiftInterval();
      ArrayNode range = ranges.addArray();
      if (i.isDefined()) {
        range.add(i.low()).add(i.high());
      }
    }
    ObjectNode config = config("bar", labels, json);
    ArrayNode datasets = (ArrayNode) config.path("data").path("datasets");
    datasets
        .addObject()
        .put("label", "lift, " + Math.round(r.confidenceLevel() * 100) + "% interval")
        .put("backgroundColor", "#0072B266")
        .put("borderColor", "#0072B2")
        .put("borderWidth", 1)
        .put("barPercentage", 0.5)
        .set("data", ranges);
    ObjectNode options = (ObjectNode) config.get("options");
    options.put("indexAxis", "y");
    return spec(id, config, Map.of("x", "points"), json);
  }

  private static ObjectNode bestChart(String id, ExperimentResult r, ObjectMapper json) {
    List<String> labels = new ArrayList<>(r.probabilityBest().keySet());
    ArrayNode values = json.createArrayNode();
    ArrayNode colours = json.createArrayNode();
    for (int i = 0; i < labels.size(); i++) {
      values.add(r.probabilityBest().get(labels.get(i)));
      colours.add(PALETTE[i % PALETTE.length]);
    }
    ObjectNode config = config("bar", labels, json);
    ((ArrayNode) config.path("data").path("datasets"))
        .addObject()
        .put("label", "probability of being best")
        .<ObjectNode>set("backgroundColor", colours)
        .set("data", values);
    ((ObjectNode) config.get("options"))
        .putObject("scales")
        .putObject("y")
        .put("min", 0)
        .put("max", 1);
    return spec(id, config, Map.of("y", "share"), json);
  }

  private static ObjectNode roundsChart(String id, List<Allocation> rounds, ObjectMapper json) {
    List<String> labels = new ArrayList<>();
    for (Allocation a : rounds) {
      labels.add(String.valueOf(a.round()));
    }
    ObjectNode config = config("line", labels, json);
    ArrayNode datasets = (ArrayNode) config.path("data").path("datasets");
    List<String> variants = new ArrayList<>(rounds.get(rounds.size() - 1).weights().keySet());
    for (int v = 0; v < variants.size(); v++) {
      ArrayNode data = json.createArrayNode();
      for (Allocation a : rounds) {
        data.add(a.weights().getOrDefault(variants.get(v), 0.0));
      }
      String colour = PALETTE[v % PALETTE.length];
      datasets
          .addObject()
          .put("label", variants.get(v))
          .put("borderColor", colour)
          .put("backgroundColor", colour + "B3")
          .put("fill", v == 0 ? "origin" : "-1")
          .put("pointRadius", 2)
          .set("data", data);
    }
    ObjectNode options = (ObjectNode) config.get("options");
    ObjectNode scales = options.putObject("scales");
    scales.putObject("y").put("stacked", true).put("min", 0).put("max", 1);
    scales.putObject("x").putObject("title").put("display", true).put("text", "round");
    options.putObject("interaction").put("mode", "index").put("intersect", false);
    return spec(id, config, Map.of("y", "share"), json);
  }

  private static ObjectNode config(String type, List<String> labels, ObjectMapper json) {
    ObjectNode config = json.createObjectNode().put("type", type);
    ObjectNode data = config.putObject("data");
    ArrayNode l = data.putArray("labels");
    labels.forEach(l::add);
    data.putArray("datasets");
    ObjectNode options = config.putObject("options");
    options.put("responsive", true).put("maintainAspectRatio", false);
    options.putObject("plugins").putObject("legend").put("display", true);
    return config;
  }

  private static ObjectNode spec(
      String id, ObjectNode config, Map<String, String> formats, ObjectMapper json) {
    ObjectNode spec = json.createObjectNode().put("id", id);
    spec.set("config", config);
    ObjectNode f = spec.putObject("formats");
    formats.forEach(f::put);
    return spec;
  }

  private static String percent(double rate) {
    return Double.isNaN(rate) ? "–" : String.format(Locale.ROOT, "%.2f%%", rate * 100);
  }

  private static String points(double diff) {
    return Double.isNaN(diff) ? "–" : String.format(Locale.ROOT, "%+.2f pp", diff * 100);
  }

  private static String share(double v) {
    return String.format(Locale.ROOT, "%.0f%%", v * 100);
  }

  private static String fixed(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String pValue(double p) {
    return p < 0.001 ? "< 0.001" : fixed(p, 3);
  }

  private static String interval(Interval i, boolean asPoints) {
    if (!i.isDefined()) {
      return "–";
    }
    return asPoints
        ? points(i.low()) + " … " + points(i.high())
        : percent(i.low()) + " … " + percent(i.high());
  }
}
