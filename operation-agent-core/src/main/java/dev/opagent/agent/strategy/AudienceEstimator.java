package dev.opagent.agent.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.rules.condition.Condition;
import dev.opagent.segment.SegmentDimension;
import dev.opagent.segment.SegmentDistribution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Estimates how many customers of a population satisfy a condition. Stateless and thread-safe.
 *
 * <p>For a distribution, the condition is evaluated with campaign-rules' own evaluator on every
 * combination of the values of the dimensions it reads, each weighted by the product of their
 * shares: exact for a condition over one dimension, and assuming independence across dimensions
 * otherwise.
 */
final class AudienceEstimator {
  /** Combinations evaluated at most for one condition. */
  static final int MAX_COMBINATIONS = 200_000;

  private static final String MISSING_REGULARS = "segments.missingRegulars";
  private static final String MISSING_REGULARS_COUNT = "derived.missingRegularsCount";

  private AudienceEstimator() {}

  /** An estimate, or why there is none. */
  public sealed interface Outcome {}

  /** The audience. */
  public record Estimated(Audience audience) implements Outcome {}

  /** The population cannot tell. */
  public record NotEstimable(String reason) implements Outcome {}

  /** Audience among clusters: the clusters whose summary satisfies {@code target}. */
  public static Outcome estimate(Condition target, List<Cluster> clusters) {
    long customers = 0;
    long total = 0;
    List<String> matched = new ArrayList<>();
    for (Cluster c : clusters) {
      total += c.size();
      if (target.test(MapAttributes.of(c.asDocument()))) {
        customers += c.size();
        matched.add(c.id());
      }
    }
    return new Estimated(
        new Audience(
            customers,
            total,
            matched,
            List.of(
                "every customer of a cluster is taken to have the cluster's summary attributes")));
  }

  /** Audience within a segment distribution. */
  public static Outcome estimate(Condition target, SegmentDistribution distribution) {
    Set<String> paths = new LinkedHashSet<>();
    collectPaths(target.source(), paths);
    List<List<Choice>> dimensions = new ArrayList<>();
    Set<String> dimensionKeys = new LinkedHashSet<>();
    long analysed = distribution.analysed();
    for (String path : paths) {
      if (path.equals(MISSING_REGULARS) || path.equals(MISSING_REGULARS_COUNT)) {
        if (dimensionKeys.add(MISSING_REGULARS)) {
          dimensions.add(missingRegulars(distribution));
        }
        continue;
      }
      SegmentDimension dim = segmentDimension(path);
      if (dim == null) {
        return new NotEstimable("a segment distribution has no data for '" + path + "'");
      }
      if (dimensionKeys.add(dim.name())) {
        dimensions.add(labels(distribution, dim));
      }
    }
    List<String> assumptions = new ArrayList<>();
    assumptions.add("shares of the " + analysed + " analysed customers");
    if (dimensions.size() > 1) {
      assumptions.add("dimensions " + String.join(", ", dimensionKeys) + " taken as independent");
    }
    if (analysed == 0) {
      return new Estimated(new Audience(0, 0, List.of(), assumptions));
    }
    long combinations = 1;
    for (List<Choice> d : dimensions) {
      combinations *= Math.max(1, d.size());
      if (combinations > MAX_COMBINATIONS) {
        return new NotEstimable(
            "the target reads too many dimension values to combine (more than "
                + MAX_COMBINATIONS
                + " combinations)");
      }
    }
    double share = matchingShare(target, dimensions, 0, new ArrayList<>(), 1.0);
    long customers = Math.min(analysed, Math.round(share * analysed));
    return new Estimated(new Audience(customers, analysed, List.of(), assumptions));
  }

  private static double matchingShare(
      Condition target, List<List<Choice>> dims, int i, List<Choice> picked, double weight) {
    if (weight == 0) {
      return 0;
    }
    if (i == dims.size()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      picked.forEach(c -> c.apply().accept(doc));
      return target.test(MapAttributes.of(doc)) ? weight : 0;
    }
    double sum = 0;
    for (Choice c : dims.get(i)) {
      picked.add(c);
      sum += matchingShare(target, dims, i + 1, picked, weight * c.weight());
      picked.remove(picked.size() - 1);
    }
    return sum;
  }

  private record Choice(double weight, Consumer<Map<String, Object>> apply) {}

  private static List<Choice> labels(SegmentDistribution d, SegmentDimension dim) {
    List<Choice> out = new ArrayList<>();
    double analysed = d.analysed();
    for (Map.Entry<String, SegmentDistribution.Share> e : d.shares(dim).entrySet()) {
      String value = e.getKey();
      double w = e.getValue().count() / analysed;
      if (value.equals(SegmentDistribution.MISSING)) {
        out.add(new Choice(w, doc -> {}));
      } else {
        out.add(new Choice(w, doc -> child(doc, "segments").put(dim.field(), value)));
      }
    }
    return out;
  }

  private static List<Choice> missingRegulars(SegmentDistribution d) {
    double with = d.analysed() == 0 ? 0 : (double) d.withMissingRegulars() / d.analysed();
    return List.of(
        new Choice(
            with,
            doc -> {
              child(doc, "segments").put("missingRegulars", List.of(Map.of()));
              child(doc, "derived").put("missingRegularsCount", 1);
            }),
        new Choice(
            1 - with,
            doc -> {
              child(doc, "segments").put("missingRegulars", List.of());
              child(doc, "derived").put("missingRegularsCount", 0);
            }));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> doc, String name) {
    return (Map<String, Object>)
        doc.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
  }

  private static @Nullable SegmentDimension segmentDimension(String path) {
    if (!path.startsWith("segments.")) {
      return null;
    }
    String field = path.substring("segments.".length());
    for (SegmentDimension d : SegmentDimension.values()) {
      if (d.field().equals(field)) {
        return d;
      }
    }
    return null;
  }

  /** The attribute paths a condition reads at its top level and inside $and/$or/$nor/$not. */
  static void collectPaths(JsonNode condition, Set<String> into) {
    if (condition.isArray()) {
      condition.forEach(c -> collectPaths(c, into));
      return;
    }
    if (!condition.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : condition.properties()) {
      String key = e.getKey();
      if (key.equals("$and") || key.equals("$or") || key.equals("$nor") || key.equals("$not")) {
        collectPaths(e.getValue(), into);
      } else if (!key.startsWith("$")) {
        into.add(key);
      }
    }
  }
}
