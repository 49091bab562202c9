package dev.opagent.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.examples.cli.OpagentCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return OpagentCommand.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  private Path sample() throws IOException {
    Path summary = dir.resolve("run/summary.json");
    Files.createDirectories(summary.getParent());
    try (InputStream in = getClass().getResourceAsStream("sample-summary.json")) {
      Files.copy(in, summary);
    }
    return summary;
  }

  @Test
  void report_withoutOut_writesReportHtmlNextToTheSummary() throws IOException {
    Path summary = sample();

    assertThat(run("report", "--summary", summary.toString())).isZero();

    Path report = dir.resolve("run/report.html");
    assertThat(report).isRegularFile();
    assertThat(out.toString())
        .startsWith("Wrote " + report.toAbsolutePath())
        .contains("Chart.js 4.5.1");
    assertThat(Jsoup.parse(report.toFile(), "UTF-8").title())
        .isEqualTo("opagent run report · demo-1");
  }

  @Test
  void report_withOut_createsTheDirectory() throws IOException {
    Path target = dir.resolve("pages/today/run.html");

    assertThat(run("report", "--summary", sample().toString(), "--output", target.toString()))
        .isZero();

    assertThat(Files.readString(target, StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>");
  }

  @Test
  void report_missingSummary_exits2AndSaysSo() {
    assertThat(run("report", "--summary", dir.resolve("nope.json").toString())).isEqualTo(2);

    assertThat(err.toString()).contains("cannot read --summary").contains("no such readable file");
    assertThat(dir.resolve("report.html")).doesNotExist();
  }

  @Test
  void report_invalidJson_exits2WithTheLocation() throws IOException {
    Path broken = Files.writeString(dir.resolve("summary.json"), "{\"customers\": 20,\n \"x\": }");

    assertThat(run("report", "--summary", broken.toString())).isEqualTo(2);

    assertThat(err.toString()).contains("not valid JSON (line 2, column");
    assertThat(dir.resolve("report.html")).doesNotExist();
  }

  @Test
  void report_jsonThatIsNotAnObject_exits2() throws IOException {
    Path array = Files.writeString(dir.resolve("summary.json"), "[1, 2, 3]");

    assertThat(run("report", "--summary", array.toString())).isEqualTo(2);

    assertThat(err.toString()).contains("expected a JSON object");
  }

  @Test
  void report_directoryAsSummary_exits2() {
    assertThat(run("report", "--summary", dir.toString())).isEqualTo(2);
  }

  @Test
  void report_help_showsExamples() {
    assertThat(run("report", "--help")).isZero();

    assertThat(out.toString())
        .contains("--summary=FILE")
        .contains("--output=FILE")
        .contains("bin/opagent report --summary opagent-demo/summary.json");
  }
}
