package dev.opagent.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.LoadResult;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.rules.attributes.CustomerView;
import dev.opagent.rules.problem.Problem;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code opagent eligibility}: which campaigns each segmented customer is eligible for, and why.
 */
@Command(
    name = "eligibility",
    mixinStandardHelpOptions = true,
    customSynopsis = "opagent eligibility --segments FILE --output FILE [OPTIONS]",
    description = {
      "Evaluates campaign rules for every customer of a JSON-lines file and writes one line per"
          + " input line: {\"customerId\": …, \"eligible\": [...], \"details\": [...]}.",
      "Input lines are the output of 'opagent segment', or {\"customerData\": …, \"analysis\": …,"
          + " \"attributes\": …} objects."
    },
    footer = {
      "",
      "Examples:",
      "  bin/opagent eligibility --segments results.jsonl --output eligibility.jsonl",
      "  bin/opagent eligibility --rules campaigns.json --segments results.jsonl --output eligibility.jsonl",
      "",
      "Without --rules the bundled campaigns apply (winback, retention, loyalty, crosssell,"
          + " replenishment). A rules file that does not validate exits 2 with every error and its"
          + " location.",
      "Exit codes: 0 every line evaluated, 3 some lines could not be (failed segmentation,"
          + " unreadable line), 2 usage or rules error."
    })
public final class EligibilityCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description = "Campaign rules (default: the bundled ones).")
  Path rules;

  @Option(
      names = "--segments",
      paramLabel = "FILE",
      description = "Segmented customers, as JSON lines ('opagent segment' writes them; required).")
  Path input;

  @Option(names = "--input", hidden = true, paramLabel = "FILE")
  void oldInput(Path file) {
    Renamed.note(spec, "--input", "--segments");
    input = file;
  }

  @Option(
      names = "--output",
      required = true,
      paramLabel = "FILE",
      description = "Where to write one line per input line.")
  Path output;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description =
          "The date rules are evaluated at (validity windows, derived days), such as 2026-03-15 (default: today, UTC).")
  LocalDate asOf;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Renamed.required(spec, input, "--segments", "FILE");
    if (!Files.isReadable(input)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "cannot read --segments " + input + ": no such readable file");
    }
    OutputFile.refuseSameFile(spec.commandLine(), "--output", output, "--segments", input);
    OutputFile.refuseSameFile(spec.commandLine(), "--output", output, "--rules", rules);
    if (rules != null && !Files.isReadable(rules)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "cannot read --rules " + rules + ": no such readable file");
    }
    LoadResult loaded =
        RuleSetLoader.ofDefaults()
            .validate(rules == null ? RuleSource.defaults() : RuleSource.file(rules));
    if (loaded instanceof LoadResult.Invalid invalid) {
      err.println("opagent eligibility: " + invalid.source() + " does not validate:");
      for (Problem p : invalid.problems()) {
        err.println("  " + p);
      }
      err.flush();
      return 2;
    }
    RuleSet ruleSet = ((LoadResult.Loaded) loaded).ruleSet();
    LocalDate date = asOf != null ? asOf : LocalDate.now(ZoneOffset.UTC);
    Clock clock = Clock.fixed(date.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    CampaignEvaluator evaluator = CampaignEvaluator.builder().clock(clock).build();

    long lines = 0;
    long failed = 0;
    Map<String, Long> perCampaign = new TreeMap<>();
    ruleSet.ids().forEach(id -> perCampaign.put(id, 0L));
    try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8);
        OutputFile out = OutputFile.create(output)) {
      BufferedWriter writer = out.writer();
      for (String text; (text = reader.readLine()) != null; ) {
        lines++;
        ObjectNode result;
        try {
          CustomerView view = view(JsonLines.MAPPER.readTree(text), date);
          Eligibility e = evaluator.evaluate(ruleSet, view.customerId(), view);
          e.eligible().forEach(id -> perCampaign.merge(id, 1L, Long::sum));
          result = JsonLines.MAPPER.valueToTree(e);
        } catch (LineException | JsonProcessingException | IllegalArgumentException e) {
          failed++;
          result =
              failure(
                  text,
                  e instanceof JsonProcessingException
                      ? "line " + lines + " is not valid JSON"
                      : e.getMessage());
        }
        writer.write(JsonLines.MAPPER.writeValueAsString(result));
        writer.newLine();
      }
      out.commit();
    }
    err.printf(
        "evaluated %d customers against %d campaigns (%s): %d could not be evaluated%n",
        lines, ruleSet.ids().size(), ruleSet.checksum(), failed);
    perCampaign.forEach((id, n) -> err.printf("  %-16s %d eligible%n", id, n));
    err.flush();
    return failed == 0 ? 0 : 3;
  }

  /**
   * The attribute view of one input line: a segment result line or a customerData/analysis object.
   */
  static CustomerView view(JsonNode line, LocalDate asOf) {
    if (line == null || !line.isObject()) {
      throw new LineException("the line is not a JSON object");
    }
    if (line.has("customerData")) {
      return CustomerView.fromWire(line, asOf);
    }
    JsonNode status = line.get("status");
    JsonNode id = line.get("customerId");
    if (status == null || id == null || !id.isTextual()) {
      throw new LineException(
          "the line is neither a segment result nor a"
              + " {\"customerData\": …, \"analysis\": …} object");
    }
    if (!"SUCCESS".equals(status.asText())) {
      JsonNode code = line.path("error").path("code");
      throw new LineException("segmentation failed (" + code.asText("unknown") + ")");
    }
    ObjectNode wire = JsonLines.MAPPER.createObjectNode();
    wire.putObject("customerData").put("customerId", id.asText());
    wire.set("analysis", line.get("analysis"));
    return CustomerView.fromWire(wire, asOf);
  }

  private static ObjectNode failure(String text, String message) {
    ObjectNode out = JsonLines.MAPPER.createObjectNode();
    String customerId = null;
    try {
      JsonNode node = JsonLines.MAPPER.readTree(text);
      JsonNode id =
          node.has("customerId")
              ? node.get("customerId")
              : node.path("customerData").get("customerId");
      customerId = id != null && id.isTextual() ? id.asText() : null;
    } catch (JsonProcessingException e) {
      // no id to report
    }
    out.put("customerId", customerId);
    out.putArray("eligible");
    out.putArray("details");
    out.putObject("error").put("message", message);
    return out;
  }

  /** A line that cannot be evaluated; the message names the problem, never customer data. */
  static final class LineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LineException(String message) {
      super(message);
    }
  }
}
