package dev.opagent.examples.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.examples.internal.Json;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Escaping and number formatting for the report. Stateless and thread-safe.
 *
 * <p>Every string that comes from a summary reaches the page through {@link #text} (HTML text and
 * attribute values) or {@link #scriptJson} (data for the charts), never raw.
 */
final class Html {
  private static final ObjectMapper MAPPER = Json.MAPPER;

  private Html() {}

  /** {@code s} safe as HTML text or a quoted attribute value. */
  static String text(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * {@code node} as JSON that is safe inside a {@code <script type="application/json">} element:
   * {@code <}, {@code >} and {@code &} (which JSON text can hold only inside strings) become {@code
   * \u003c}, {@code \u003e} and {@code \u0026}, so no value can close the element or open a
   * comment, and U+2028/U+2029 are escaped too.
   */
  static String scriptJson(JsonNode node) {
    String json;
    try {
      json = MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder out = new StringBuilder(json.length() + 64);
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      switch (c) {
        case '<' -> out.append("\\u003c");
        case '>' -> out.append("\\u003e");
        case '&' -> out.append("\\u0026");
        case '\u2028' -> out.append("\\u2028");
        case '\u2029' -> out.append("\\u2029");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A count with thousands separators: {@code 1,990}; fractional values keep two decimals. */
  static String count(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return String.format(Locale.ROOT, "%,.2f", v);
  }

  /** Money with two decimals and thousands separators: {@code 12,345.60}. */
  static String money(double v) {
    return String.format(Locale.ROOT, "%,.2f", v);
  }

  /** A rate (0.0805) as a percentage: {@code 8.05%}. */
  static String percent(double rate) {
    return String.format(Locale.ROOT, "%.2f%%", rate * 100);
  }

  /** A difference of rates (0.0305) in percentage points, signed: {@code +3.05 pp}. */
  static String points(double diff) {
    return String.format(Locale.ROOT, "%+.2f pp", diff * 100);
  }

  /** A p-value as HTML: three decimals, or {@code &lt; 0.001}. */
  static String pValue(double p) {
    return p < 0.001 ? "&lt; 0.001" : String.format(Locale.ROOT, "%.3f", p);
  }

  /** A p-value as an HTML clause: {@code p = 0.041} or {@code p &lt; 0.001}. */
  static String pClause(double p) {
    return p < 0.001 ? "p &lt; 0.001" : "p = " + pValue(p);
  }

  /** A ratio such as ROI with two decimals: {@code 4.26}. */
  static String ratio(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** Seconds: {@code 41.2 s}, or minutes and seconds from a minute on. */
  static String seconds(double s) {
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1f s", s);
    }
    long whole = Math.round(s);
    return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
  }
}
