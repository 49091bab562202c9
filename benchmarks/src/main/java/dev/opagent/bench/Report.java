package dev.opagent.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The measured rows of a benchmark run, printed as they come and appended to a tab-separated file
 * that {@link RatioTable} turns into the final table. Not thread-safe: one scenario thread writes.
 */
final class Report {
  /** Whether a row's value meets its target. */
  enum Verdict {
    MET,
    MISSED,
    INFO
  }

  /**
   * One measured value.
   *
   * @param scenario e.g. {@code 1 batch vs quota}
   * @param contender who was measured
   * @param metric what the value is, e.g. {@code bound/time}
   * @param value the value
   * @param target the target in words, or empty
   * @param verdict whether the target is met
   * @param detail the raw numbers behind the value
   */
  record Row(
      String scenario,
      String contender,
      String metric,
      double value,
      String target,
      Verdict verdict,
      String detail) {

    String tsv() {
      return String.join(
          "\t",
          clean(scenario),
          clean(contender),
          clean(metric),
          String.format(Locale.ROOT, "%.6g", value),
          clean(target),
          verdict.name(),
          clean(detail));
    }

    static Row parse(String line) {
      String[] f = line.split("\t", -1);
      if (f.length != 7) {
        throw new IllegalArgumentException(
            "a result row has 7 tab-separated fields but had " + f.length);
      }
      return new Row(f[0], f[1], f[2], Double.parseDouble(f[3]), f[4], Verdict.valueOf(f[5]), f[6]);
    }

    private static String clean(String s) {
      return s.replace('\t', ' ').replace('\n', ' ');
    }
  }

  private final Path file;
  private final List<Row> rows = new ArrayList<>();

  Report(Path file) {
    this.file = file;
  }

  /** Adds a row without target. */
  void info(String scenario, String contender, String metric, double value, String detail) {
    add(new Row(scenario, contender, metric, value, "", Verdict.INFO, detail));
  }

  /** Adds a row whose target is {@code value >= min}. */
  void atLeast(
      String scenario, String contender, String metric, double value, double min, String detail) {
    add(
        new Row(
            scenario,
            contender,
            metric,
            value,
            ">= " + fmt(min),
            value >= min ? Verdict.MET : Verdict.MISSED,
            detail));
  }

  /** Adds a row whose target is {@code value <= max}. */
  void atMost(
      String scenario, String contender, String metric, double value, double max, String detail) {
    add(
        new Row(
            scenario,
            contender,
            metric,
            value,
            "<= " + fmt(max),
            value <= max ? Verdict.MET : Verdict.MISSED,
            detail));
  }

  void add(Row row) {
    rows.add(row);
    System.out.printf(
        Locale.ROOT,
        "  %-26s %-34s %-26s %10s  %-8s %-6s %s%n",
        row.scenario(),
        row.contender(),
        row.metric(),
        fmt(row.value()),
        row.target(),
        row.verdict() == Verdict.INFO ? "" : row.verdict().name().toLowerCase(Locale.ROOT),
        row.detail());
    try {
      Files.writeString(
          file,
          row.tsv() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("could not append to " + file, e);
    }
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  static List<Row> read(Path file) {
    try {
      List<Row> out = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(Row.parse(line));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
