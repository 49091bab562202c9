package dev.opagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints the one ratio table of a benchmark run: the rows {@link SegmentScenarios} and {@link
 * ClientOverhead} appended to the results file, plus scenario 5's ratios computed from one or more
 * JMH JSON result files (the median over the files). Exits 0 whatever was missed: the table says
 * it.
 *
 * <pre>
 * java -cp CLASSPATH dev.opagent.bench.RatioTable RESULTS.tsv [jmh-1.json jmh-2.json ...]
 * </pre>
 */
public final class RatioTable {
  private static final String RULES = "5 rules (JMH)";
  private static final String PREFIX = RulesBenchmark.class.getName() + ".";

  private RatioTable() {}

  public static void main(String[] args) throws IOException {
    Path resultsFile = Path.of(args[0]);
    List<Report.Row> rows =
        new ArrayList<>(Files.exists(resultsFile) ? Report.read(resultsFile) : List.of());
    List<Path> jmh = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      jmh.add(Path.of(args[i]));
    }
    if (!jmh.isEmpty()) {
      rows.addAll(rulesRows(jmh));
    }
    rows.sort((a, b) -> a.scenario().substring(0, 1).compareTo(b.scenario().substring(0, 1)));
    print(rows);
  }

  /** Scenario 5's rows: per rule count, the median over the runs of each ratio. */
  static List<Report.Row> rulesRows(List<Path> files) throws IOException {
    ObjectMapper mapper = Json.MAPPER;
    // rules -> benchmark -> scores, one per file
    Map<Integer, Map<String, List<Double>>> scores = new TreeMap<>();
    for (Path f : files) {
      for (JsonNode b : mapper.readTree(f.toFile())) {
        String name = b.get("benchmark").asText().replace(PREFIX, "");
        int r = b.path("params").path("rules").asInt();
        scores
            .computeIfAbsent(r, k -> new LinkedHashMap<>())
            .computeIfAbsent(name, k -> new ArrayList<>())
            .add(b.path("primaryMetric").path("score").asDouble());
      }
    }
    List<Report.Row> out = new ArrayList<>();
    String runs = files.size() + (files.size() == 1 ? " run" : " runs, median");
    for (var e : scores.entrySet()) {
      int r = e.getKey();
      Map<String, List<Double>> s = e.getValue();
      List<Double> hand = s.get("handWritten");
      List<Double> easy = s.get("easyRules");
      List<Double> droolsBest = new ArrayList<>();
      for (int i = 0; i < s.get("droolsStateless").size(); i++) {
        droolsBest.add(Math.max(s.get("droolsStateless").get(i), s.get("droolsBatch").get(i)));
      }
      for (String ours : List.of("opagent", "opagentTyped")) {
        List<Double> o = s.get(ours);
        if (o == null) {
          continue;
        }
        String who =
            (ours.equals("opagent") ? "opagent, MapAttributes" : "opagent, typed Attributes")
                + ", R="
                + r;
        String detail =
            String.format(
                Locale.ROOT,
                "%s; %,.0f vs %,.0f / %,.0f / %,.0f "
                    + "profiles/s (hand / Easy Rules / Drools best)",
                runs,
                median(o),
                median(hand),
                median(easy),
                median(droolsBest));
        out.add(ratio(who, "x hand-written", ratios(o, hand), 0.5, detail));
        out.add(ratio(who, "x Easy Rules", ratios(o, easy), 10, ""));
        out.add(ratio(who, "x Drools best mode", ratios(o, droolsBest), 3, ""));
      }
      for (String peer : List.of("handWritten", "easyRules", "droolsStateless", "droolsBatch")) {
        out.add(
            new Report.Row(
                RULES,
                peer + ", R=" + r,
                "profiles/s",
                median(s.get(peer)),
                "",
                Report.Verdict.INFO,
                runs));
      }
    }
    return out;
  }

  private static Report.Row ratio(
      String who, String metric, List<Double> ratios, double min, String detail) {
    double m = median(ratios);
    return new Report.Row(
        RULES,
        who,
        metric,
        m,
        ">= " + Report.fmt(min),
        m >= min ? Report.Verdict.MET : Report.Verdict.MISSED,
        detail);
  }

  private static List<Double> ratios(List<Double> a, List<Double> b) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(a.get(i) / b.get(i));
    }
    return out;
  }

  static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  private static void print(List<Report.Row> rows) {
    String line = "-".repeat(132);
    System.out.println();
    System.out.println("RATIO TABLE");
    System.out.println(line);
    System.out.printf(
        Locale.ROOT,
        "%-24s %-40s %-20s %10s  %-8s %-7s%n",
        "scenario",
        "contender",
        "measure",
        "value",
        "target",
        "verdict");
    System.out.println(line);
    long missed = 0;
    for (Report.Row r : rows) {
      String verdict =
          r.verdict() == Report.Verdict.INFO ? "" : r.verdict().name().toLowerCase(Locale.ROOT);
      if (r.verdict() == Report.Verdict.MISSED) {
        missed++;
      }
      System.out.printf(
          Locale.ROOT,
          "%-24s %-40s %-20s %10s  %-8s %-7s%s%n",
          r.scenario(),
          r.contender(),
          r.metric(),
          Double.isNaN(r.value()) ? "-" : Report.fmt(r.value()),
          r.target(),
          verdict,
          r.detail().isEmpty() ? "" : "  " + r.detail());
    }
    System.out.println(line);
    long met = rows.stream().filter(r -> r.verdict() == Report.Verdict.MET).count();
    System.out.printf(Locale.ROOT, "targets: %d met, %d missed%n", met, missed);
  }
}
