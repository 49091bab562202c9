package dev.opagent.examples.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Renders a run's summary JSON (as written by {@code opagent demo}, or drawn from an operating
 * store by {@code opagent report --store}) as one self-contained HTML page: headline numbers,
 * segmentation, insights, the segment distribution per dimension, eligibility per campaign, actions
 * delivered and not chosen (reasons in plain words, the engine's code as a tooltip; sums over
 * rounds beside distinct customers; the holdout in customers), campaign metrics (deliveries, opens,
 * clicks, coupons used, conversions, attribution outcomes), experiments with lift intervals, bandit
 * allocations over rounds, ROI per campaign and results per round, with a line per round saying why
 * it delivered what it did. Amounts carry the summary's {@code currency} when it names one.
 * Immutable and thread-safe; build one with {@link #create()} and reuse it.
 *
 * <p>The page works offline: styles, the page's script and the chart library (Chart.js, read from
 * its WebJar on the class path) are inlined, fonts are the system's, and a content security policy
 * forbids every network request. Every section is optional: what the summary lacks is shown as "not
 * available", and a member of the wrong type counts as missing. Strings from the summary are
 * HTML-escaped in the page, and the charts' data travels as JSON in a {@code <script
 * type="application/json">} element read with {@code JSON.parse}, so no value can inject markup or
 * script.
 *
 * <pre>{@code
 * JsonNode summary = new ObjectMapper().readTree(Path.of("opagent-demo/summary.json").toFile());
 * ReportRenderer.create().write(summary, Path.of("opagent-demo/report.html"));
 * }</pre>
 */
public final class ReportRenderer {
  private static final String RESOURCES = "dev/opagent/examples/report/";
  private static final String CHART_JS_POM =
      "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
  private static final Pattern SOURCE_MAP = Pattern.compile("(?m)^//# sourceMappingURL=.*$");
  private static final Pattern SCRIPT_END = Pattern.compile("(?i)</script|<!--");

  private final String chartLibrary;
  private final String chartLibraryName;
  private final String css;
  private final String script;

  private ReportRenderer(String chartLibrary, String chartLibraryName, String css, String script) {
    this.chartLibrary = chartLibrary;
    this.chartLibraryName = chartLibraryName;
    this.css = css;
    this.script = script;
  }

  /**
   * A renderer with the page's styles and script and the Chart.js bundle from the class path.
   *
   * @throws IllegalStateException if the Chart.js WebJar or the page's resources are missing
   */
  public static ReportRenderer create() {
    ClassLoader loader = ReportRenderer.class.getClassLoader();
    Properties webjar = new Properties();
    try (InputStream in = loader.getResourceAsStream(CHART_JS_POM)) {
      if (in == null) {
        throw new IllegalStateException(
            "Chart.js is not on the class path: add"
                + " org.webjars.npm:chart.js to the dependencies");
      }
      webjar.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = webjar.getProperty("version", "");
    String bundle = "META-INF/resources/webjars/chart.js/" + version + "/dist/chart.umd.min.js";
    String library = SOURCE_MAP.matcher(resource(loader, bundle)).replaceAll("");
    if (SCRIPT_END.matcher(library).find()) {
      throw new IllegalStateException(
          "Chart.js " + version + " contains '</script' or '<!--'" + " and cannot be inlined");
    }
    return new ReportRenderer(
        library,
        "Chart.js " + version,
        resource(loader, RESOURCES + "report.css"),
        resource(loader, "dev/opagent/console/charts.js"));
  }

  private static String resource(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The chart library inlined into every page, such as {@code Chart.js 4.5.1}. */
  public String chartLibraryName() {
    return chartLibraryName;
  }

  /** Writes the page for {@code summary} to {@code out} (UTF-8), replacing it. */
  public void write(JsonNode summary, Path out) throws IOException {
    Files.writeString(out, render(summary), StandardCharsets.UTF_8);
  }

  /**
   * The page for {@code summary}. A summary that is not a JSON object renders every section as not
   * available.
   */
  public String render(JsonNode summary) {
    Objects.requireNonNull(summary, "summary");
    JsonNode s = summary.isObject() ? summary : JsonNodeFactory.instance.objectNode();
    Page page = new Page();
    String runId = text(s.get("runId"));
    String title = runId == null ? "opagent run report" : "opagent run report · " + runId;
    Sections sections = new Sections(page, s);
    sections.all();

    StringBuilder h = new StringBuilder(chartLibrary.length() + page.body.length() + 16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                + " script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n")
        .append("<meta name=\"generator\" content=\"opagent report\">\n")
        .append("<title>")
        .append(Html.text(title))
        .append("</title>\n")
        .append("<style>\n")
        .append(css)
        .append("</style>\n</head>\n<body>\n<header>\n<h1>")
        .append(Html.text(title))
        .append("</h1>\n<p class=\"meta\">");
    List<String> meta = new ArrayList<>();
    String asOf = text(s.get("asOf"));
    if (asOf != null) {
      meta.add("as of " + Html.text(asOf));
    }
    Double customers = number(s.get("customers"));
    if (customers != null) {
      meta.add(Html.count(customers) + " customers");
    }
    Double elapsed = number(s.get("elapsedSeconds"));
    if (elapsed != null) {
      meta.add("ran " + Html.seconds(elapsed));
    }
    String currency = Sections.currency(s);
    if (currency != null) {
      meta.add("amounts in " + Html.text(currency));
    }
    h.append(meta.isEmpty() ? "No run metadata in this summary." : String.join(" · ", meta))
        .append("</p>\n<nav>");
    for (Map.Entry<String, String> e : page.toc.entrySet()) {
      h.append("<a href=\"#").append(e.getKey()).append("\">").append(e.getValue()).append("</a>");
    }
    h.append("</nav>\n</header>\n<main>\n")
        .append(page.body)
        .append("</main>\n<footer>Rendered by")
        .append(" opagent · charts drawn with ")
        .append(Html.text(chartLibraryName))
        .append(" (MIT licence), inlined so that the page works offline.</footer>\n")
        .append("<script type=\"application/json\" id=\"opagent-data\">")
        .append(Html.scriptJson(page.data))
        .append("</script>\n<script>\n")
        .append(chartLibrary)
        .append("\n</script>\n<script>\n")
        .append(script)
        .append("</script>\n</body>\n</html>\n");
    return h.toString();
  }

  // ---- the page being built ----

  /** The body, table of contents and chart data of one page. Not thread-safe. */
  static final class Page {
    final StringBuilder body = new StringBuilder(32_768);
    final Map<String, String> toc = new LinkedHashMap<>();
    final ObjectNode data = JsonNodeFactory.instance.objectNode();
    private final ArrayNode charts = data.putArray("charts");

    /** Opens a section with an id and a heading (both fixed by the renderer, never from data). */
    void section(String id, String heading) {
      toc.put(id, heading);
      body.append("<section id=\"")
          .append(id)
          .append("\">\n<h2>")
          .append(heading)
          .append("</h2>\n");
    }

    void end() {
      body.append("</section>\n");
    }

    void notAvailable(String what) {
      body.append("<p class=\"na\">").append(what).append(" not available in this summary.</p>\n");
    }

    /**
     * Adds a canvas and its Chart.js configuration.
     *
     * @param label the chart's accessible name (escaped here)
     * @param height the canvas height in CSS pixels
     * @param config the Chart.js configuration
     * @param formats value format per scale id: {@code count}, {@code percent}, {@code points},
     *     {@code money} or {@code share}
     */
    void chart(String label, int height, ObjectNode config, Map<String, String> formats) {
      String id = "chart-" + (charts.size() + 1);
      body.append("<div class=\"chart\" style=\"height:")
          .append(height)
          .append("px\"><canvas id=\"")
          .append(id)
          .append("\" role=\"img\" aria-label=\"")
          .append(Html.text(label))
          .append("\"></canvas></div>\n");
      ObjectNode spec = charts.addObject();
      spec.put("id", id);
      ObjectNode f = spec.putObject("formats");
      formats.forEach(f::put);
      spec.set("config", config);
    }
  }

  // ---- reading the summary leniently ----

  /** The number in {@code node}, or null when it is absent or not a number. */
  static @Nullable Double number(@Nullable JsonNode node) {
    return node != null && node.isNumber() ? node.doubleValue() : null;
  }

  /** The text in {@code node}, or null when it is absent or not a string. */
  static @Nullable String text(@Nullable JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }

  /** The object in {@code node}, or null. */
  static @Nullable JsonNode object(@Nullable JsonNode node) {
    return node != null && node.isObject() && node.size() > 0 ? node : null;
  }

  /** The array in {@code node}, or null. */
  static @Nullable JsonNode array(@Nullable JsonNode node) {
    return node != null && node.isArray() && node.size() > 0 ? node : null;
  }

  /**
   * The numeric members of an object, in order: {@code {"a": 3}} and {@code {"a": {"count": 3}}}
   * both give {@code a → 3}; other members are skipped.
   */
  static Map<String, Double> counts(@Nullable JsonNode node) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (node == null || !node.isObject()) {
      return out;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      Double v = number(e.getValue());
      if (v == null && e.getValue().isObject()) {
        v = number(e.getValue().get("count"));
      }
      if (v != null) {
        out.put(e.getKey(), v);
      }
    }
    return out;
  }
}
