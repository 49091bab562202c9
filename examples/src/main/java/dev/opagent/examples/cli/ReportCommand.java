package dev.opagent.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.AgentException;
import dev.opagent.examples.report.ReportRenderer;
import dev.opagent.store.OperatingStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code opagent report}: a run's summary JSON, or what an operating store has learnt, as one
 * self-contained HTML page with charts. Not thread-safe (picocli fills its fields).
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Renders a run's summary.json (as written by 'opagent demo') as one self-contained HTML"
          + " page: headline numbers, segmentation, insights, the segment distribution per"
          + " dimension, eligibility per campaign, actions delivered and not chosen by reason,"
          + " experiments with lift intervals and sample-ratio checks, bandit allocations per"
          + " round, and ROI per campaign.",
      "With --store instead of --summary, the page is drawn from the operating store: campaign"
          + " metrics and attribution outcomes of every delivery and ingested interaction of"
          + " every process and day, experiments (with recorded bandit rounds, or campaigns whose"
          + " actions carry variants), bandit allocations per round and ROI per campaign. Give"
          + " exactly one of --summary and --store.",
      "The page needs no network: styles, script and Chart.js are inlined. Sections the summary"
          + " lacks are shown as not available."
    },
    footer = {
      "",
      "Examples:",
      "  bin/opagent demo && bin/opagent report --summary opagent-demo/summary.json",
      "  bin/opagent report --summary /tmp/demo/summary.json --output /tmp/demo/run-1.html",
      "  bin/opagent report --store jdbc:h2:file:./.opagent/store --output feedback.html",
      "",
      "Exit codes: 0 written, 2 usage error, a summary that is missing, unreadable or not"
          + " a JSON object, or a store that cannot be opened."
    })
public final class ReportCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--summary",
      paramLabel = "FILE",
      description = "The run's summary JSON, e.g. opagent-demo/summary.json.")
  Path summary;

  @Mixin StoreOptions store;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description =
          "Where to write the page (default: report.html next to the summary, or in"
              + " the working directory with --store).")
  Path out;

  @Option(names = "--out", hidden = true, paramLabel = "FILE")
  void oldOut(Path file) {
    Renamed.note(spec, "--out", "--output");
    out = file;
  }

  @Override
  public Integer call() throws IOException {
    CommandLine cmd = spec.commandLine();
    boolean fromStore = cmd.getParseResult().hasMatchedOption("--store");
    if (fromStore == (summary != null)) {
      throw new CommandLine.ParameterException(
          cmd,
          "give exactly one of --summary FILE (a run's"
              + " summary.json) or --store JDBC_URL (what the operating store has learnt)");
    }
    JsonNode json;
    Path target;
    if (fromStore) {
      try (OperatingStore opened = store.open(cmd)) {
        json = StoreSummary.of(opened.feedback(), StoreSummary.today());
      } catch (AgentException e) {
        throw new CommandLine.ParameterException(
            cmd, "cannot read --store " + store.masked() + ": " + e.getMessage());
      }
      target = out != null ? out : Path.of("report.html");
    } else {
      OutputFile.refuseSameFile(cmd, "--output", out, "--summary", summary);
      json = readSummary();
      target = out != null ? out : summary.toAbsolutePath().resolveSibling("report.html");
    }
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ReportRenderer renderer = ReportRenderer.create();
    try (OutputFile page = OutputFile.create(target)) {
      page.writer().write(renderer.render(json));
      page.commit();
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(
        Locale.ROOT,
        "Wrote %s (%,d bytes, charts by %s); open it in any browser," + " no network needed.%n",
        target.toAbsolutePath(),
        Files.size(target),
        renderer.chartLibraryName());
    stdout.flush();
    return 0;
  }

  private JsonNode readSummary() throws IOException {
    if (!Files.isRegularFile(summary) || !Files.isReadable(summary)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "cannot read --summary " + summary + ": no such readable file");
    }
    JsonNode json;
    try {
      json = JsonLines.MAPPER.readTree(Files.readString(summary, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "cannot read --summary "
              + summary
              + ": not valid JSON (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "cannot read --summary " + summary + ": not UTF-8 text");
    }
    if (json == null || !json.isObject()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "cannot read --summary "
              + summary
              + ": expected a JSON object such as the summary.json 'opagent demo' writes");
    }
    return json;
  }
}
