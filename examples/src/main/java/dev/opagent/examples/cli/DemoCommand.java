package dev.opagent.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.examples.report.ReportRenderer;
import dev.opagent.rules.CampaignEvaluator;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.attributes.CustomerView;
import dev.opagent.segment.BatchOptions;
import dev.opagent.segment.BatchSummary;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientStats;
import dev.opagent.segment.SegmentDimension;
import dev.opagent.segment.SegmentDistribution;
import dev.opagent.segment.SegmentOutcome;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.Latency;
import dev.opagent.testkit.PopulationGenerator;
import dev.opagent.testkit.SimulatorConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * {@code opagent demo}: the loop so far, on the embedded simulator and a synthetic population —
 * segmentation through the real client and AWS SDK over HTTP, distribution and insights, and
 * campaign eligibility under the bundled rules.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole loop on the embedded simulator: generates a seeded population, segments it"
          + " through the AgentCore wire protocol (with a request-rate quota, latency and faults),"
          + " prints the segment distribution and insights, evaluates the bundled campaigns, then"
          + " runs rounds of the operation loop on consecutive simulated days under a demo policy"
          + " that exercises every guardrail (consent, frequency caps, quiet hours, budget,"
          + " approval, holdout): decisions, delivery to actions.jsonl through the operating store"
          + " (a fresh H2 file in --output unless --store names another; a store of yours keeps its"
          + " history),"
          + " simulated responses, an A/B test per campaign whose traffic a Thompson sampler"
          + " shifts.",
      "Writes segments.jsonl, eligibility.jsonl, actions.jsonl, summary.json and report.html to"
          + " --output. No AWS account is needed.",
      "The simulated today is 2026-03-15 unless --as-of says otherwise, so that every run of the"
          + " demo gives the same population and results."
    },
    footer = {
      "",
      "Examples:",
      "  bin/opagent demo",
      "  bin/opagent demo --count 10000 --request-quota 50 --latency 'lognormal(500ms,0.5)' --output /tmp/demo",
      "",
      "Exit codes: 0 done, 2 usage error, 3 some customers could not be segmented."
    })
public final class DemoCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Population size (default: ${DEFAULT-VALUE}).")
  int customers = 2000;

  @Option(names = "--customers", hidden = true, paramLabel = "N")
  void oldCustomers(int n) {
    Renamed.note(spec, "--customers", "--count");
    customers = n;
  }

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "Seed of the population and the simulator's faults (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--as-of",
      defaultValue = "2026-03-15",
      paramLabel = "DATE",
      description =
          "The simulated today, such as 2026-03-15 (default: ${DEFAULT-VALUE}, fixed"
              + " so that the demo is reproducible).")
  LocalDate asOf;

  @Option(
      names = "--request-quota",
      paramLabel = "R",
      description =
          "The simulated agent's request-rate quota per second (default: 200;"
              + " AgentCore's real default is 25, time-scaled here so the demo is quick).")
  double rate = 200;

  @Option(names = "--rate", hidden = true, paramLabel = "R")
  void oldRate(double r) {
    Renamed.note(spec, "--rate", "--request-quota");
    rate = r;
  }

  @Option(
      names = "--latency",
      defaultValue = "lognormal(100ms,0.5)",
      paramLabel = "LATENCY",
      description =
          "Simulated agent latency: 200ms, 100ms..300ms or lognormal(MEDIAN,SIGMA)"
              + " (default: ${DEFAULT-VALUE}).")
  String latency;

  @Option(
      names = "--error-rate",
      defaultValue = "0.02",
      paramLabel = "P",
      description = "Share of requests answered 500, to show retries (default: ${DEFAULT-VALUE}).")
  double errorRate;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      paramLabel = "N",
      description =
          "Rounds of the operation loop, one simulated day each (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Mixin StoreOptions store;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Where to write the results (default: ./${DEFAULT-VALUE}/).")
  Path out = Path.of("opagent-demo");

  @Option(names = "--out", hidden = true, paramLabel = "DIR")
  void oldOut(Path dir) {
    Renamed.note(spec, "--out", "--output");
    out = dir;
  }

  @Override
  public Integer call() throws IOException {
    validate();
    Clock clock = Clock.fixed(asOf.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    SimulatorConfig simulatorConfig = simulatorConfig(clock);
    Files.createDirectories(out);
    printHeader();
    List<CustomerData> population =
        PopulationGenerator.builder().seed(seed).asOf(asOf).build().list(customers);
    long start = System.nanoTime();
    Segmented segmented;
    ObjectNode loopJson = JsonLines.MAPPER.createObjectNode();
    try (AgentSimulator simulator = AgentSimulator.start(simulatorConfig);
        SegmentClient client = client(simulator, clock)) {
      segmented = segmentAndEvaluate(client, population, clock);
      runRounds(client, segmented.rules(), population, segmented.matched(), loopJson);
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    ObjectNode json = writeSummaryAndReport(segmented, loopJson, elapsed);
    long actionFailures = json.path("decisions").path("failed").asLong();
    return segmented.summary().failed() == 0 && actionFailures == 0 ? 0 : 3;
  }

  /** What segmenting and evaluating the population gave. */
  private record Segmented(
      BatchSummary summary,
      SegmentClientStats stats,
      SegmentDistribution distribution,
      Map<String, Long> eligible,
      RuleSet rules,
      Map<String, List<String>> matched) {}

  private void validate() {
    if (customers < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--count must be positive but was " + customers);
    }
    if (rounds < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--rounds must be positive but was " + rounds);
    }
  }

  private SimulatorConfig simulatorConfig(Clock clock) {
    try {
      return SimulatorConfig.builder()
          .requestsPerSecond(rate)
          .latency(Latency.parse(latency))
          .internalErrorRate(errorRate)
          .seed(seed)
          .clock(clock)
          .build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private void printHeader() {
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(
        "opagent demo: %d synthetic customers, simulated agent with a %.0f/s quota,"
            + " %s latency and %.0f%% server errors%n",
        customers, rate, latency, errorRate * 100);
    stdout.flush();
  }

  private static SegmentClient client(AgentSimulator simulator, Clock clock) {
    return SegmentClient.builder()
        .agentRuntimeArn(simulator.agentRuntimeArn())
        .endpointOverride(simulator.endpoint())
        .region(Region.US_WEST_2)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("demo", "demo")))
        .fallback(new ReferenceSegmenter(clock))
        .build();
  }

  /**
   * Segments the population through the client, writing segments.jsonl and eligibility.jsonl as
   * outcomes arrive, and prints the distribution, insights and eligibility.
   */
  private Segmented segmentAndEvaluate(
      SegmentClient client, List<CustomerData> population, Clock clock) throws IOException {
    RuleSet rules = RuleSetLoader.defaults();
    CampaignEvaluator evaluator = CampaignEvaluator.builder().clock(clock).build();
    Map<String, Long> eligible = new TreeMap<>();
    rules.ids().forEach(id -> eligible.put(id, 0L));
    SegmentDistribution.Accumulator distribution = SegmentDistribution.accumulator();
    Map<Long, CustomerData> pending = new HashMap<>();
    Map<String, List<String>> matched = new HashMap<>();
    BatchSummary summary;
    try (BufferedWriter segments =
            Files.newBufferedWriter(out.resolve("segments.jsonl"), StandardCharsets.UTF_8);
        BufferedWriter verdicts =
            Files.newBufferedWriter(out.resolve("eligibility.jsonl"), StandardCharsets.UTF_8)) {
      Iterator<CustomerData> stream = remembering(population.iterator(), pending);
      ProgressPrinter progress = new ProgressPrinter(spec.commandLine().getErr(), customers);
      summary =
          client.analyzeStream(
              stream,
              outcome -> {
                CustomerData data = pending.remove(outcome.index());
                distribution.add(outcome);
                writeLine(segments, JsonLines.segmentLine(outcome));
                if (outcome instanceof SegmentOutcome.Success s && data != null) {
                  CustomerView view =
                      CustomerView.builder()
                          .customerData(JsonLines.MAPPER.<JsonNode>valueToTree(data))
                          .analysis(JsonLines.MAPPER.<JsonNode>valueToTree(s.analysis()))
                          .asOf(asOf)
                          .build();
                  Eligibility e = evaluator.evaluate(rules, view.customerId(), view);
                  e.eligible().forEach(id -> eligible.merge(id, 1L, Long::sum));
                  matched.put(view.customerId(), List.copyOf(e.eligible()));
                  writeLine(verdicts, JsonLines.MAPPER.valueToTree(e));
                }
              },
              BatchOptions.builder()
                  .progressListener(progress)
                  .progressInterval(Duration.ofMillis(200))
                  .build());
      progress.finish();
    }
    Segmented segmented =
        new Segmented(summary, client.stats(), distribution.build(), eligible, rules, matched);
    print(
        spec.commandLine().getOut(),
        summary,
        segmented.stats(),
        segmented.distribution(),
        eligible,
        rules);
    return segmented;
  }

  /** Rounds of the operation loop on consecutive simulated days; their results go to loopJson. */
  private void runRounds(
      SegmentClient client,
      RuleSet rules,
      List<CustomerData> population,
      Map<String, List<String>> matched,
      ObjectNode loopJson)
      throws IOException {
    new DemoLoop(
            client,
            rules,
            population,
            matched,
            asOf,
            seed,
            out,
            rounds,
            spec.commandLine().getOut(),
            store,
            spec.commandLine())
        .run(loopJson);
  }

  /** Writes summary.json and report.html and prints the loop's results and where they are. */
  private ObjectNode writeSummaryAndReport(Segmented s, ObjectNode loopJson, double elapsed)
      throws IOException {
    ObjectNode json = summaryJson(s.summary(), s.stats(), s.distribution(), s.eligible(), elapsed);
    json.setAll(loopJson);
    json.put("elapsedSeconds", Math.round(elapsed * 100) / 100.0);
    Path summaryFile = out.resolve("summary.json");
    Files.writeString(
        summaryFile, JsonLines.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    Path report = out.resolve("report.html");
    ReportRenderer.create().write(json, report);
    PrintWriter stdout = spec.commandLine().getOut();
    printLoop(stdout, json);
    stdout.printf(
        "%nWrote %s, %s, %s, %s and %s%nOpen the report: %s%n",
        out.resolve("segments.jsonl"),
        out.resolve("eligibility.jsonl"),
        out.resolve("actions.jsonl"),
        summaryFile,
        report,
        report.toUri());
    stdout.flush();
    return json;
  }

  /** Keeps each customer until its outcome arrives (at most the batch's buffer holds). */
  private static Iterator<CustomerData> remembering(
      Iterator<CustomerData> source, Map<Long, CustomerData> pending) {
    return new Iterator<>() {
      private long index;

      @Override
      public boolean hasNext() {
        return source.hasNext();
      }

      @Override
      public CustomerData next() {
        CustomerData data = source.next();
        pending.put(index++, data);
        return data;
      }
    };
  }

  private static void writeLine(BufferedWriter writer, JsonNode line) {
    try {
      writer.write(JsonLines.MAPPER.writeValueAsString(line));
      writer.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void print(
      PrintWriter out,
      BatchSummary s,
      SegmentClientStats stats,
      SegmentDistribution d,
      Map<String, Long> eligible,
      RuleSet rules) {
    out.println();
    out.println(SegmentCommand.summaryLine(s, stats));
    out.printf("retries %d · fallback answers %d%n", stats.retries(), s.fromFallback());
    out.println();
    out.println("Segment distribution (" + d.analysed() + " customers)");
    for (SegmentDimension dim : SegmentDimension.values()) {
      StringBuilder line = new StringBuilder(String.format("  %-17s", dim.field()));
      d.shares(dim)
          .forEach(
              (label, share) ->
                  line.append(
                      String.format(" %s %s%%", label, share.percentage().toPlainString())));
      out.println(line);
    }
    out.printf("  %-17s %d customers%n", "missingRegulars", d.withMissingRegulars());
    out.println();
    out.println("Insights");
    d.insights().forEach(i -> out.println("  " + i.code() + ": " + i.message()));
    out.println();
    out.println("Campaign eligibility (bundled rules " + rules.checksum().substring(0, 19) + "…)");
    eligible.forEach((id, n) -> out.printf("  %-16s %6d eligible%n", id, n));
    out.flush();
  }

  private static void printLoop(PrintWriter out, ObjectNode json) {
    JsonNode d = json.path("decisions");
    out.println();
    out.printf(
        "Actions over %d rounds: %d chosen, %d delivered, %d deferred, %d failed; distinct"
            + " customers: %d reached, %d held out, %d eligible but given nothing in a round;"
            + " actions not chosen by reason:%n",
        d.path("rounds").asLong(),
        d.path("planned").asLong(),
        d.path("executed").asLong(),
        d.path("deferred").asLong(),
        d.path("failed").asLong(),
        d.path("customers").path("reached").asLong(),
        d.path("heldOut").asLong(),
        d.path("customers").path("nothingChosen").asLong());
    d.path("suppressed")
        .properties()
        .forEach(e -> out.printf("  %-20s %d%n", e.getKey(), e.getValue().asLong()));
    out.println();
    out.println("Experiments");
    json.path("experiments")
        .forEach(
            e ->
                out.printf(
                    "  %-14s %s%n", e.path("campaign").asText(), e.path("verdict").asText()));
    JsonNode overall = json.path("roi").path("overall");
    String currency = json.path("currency").asText("");
    out.printf(
        Locale.ROOT,
        "%nGross: revenue %,.2f %s, cost %,.2f, ROI %s (all revenue of contacted customers)%n",
        overall.path("revenue").asDouble(),
        currency,
        overall.path("cost").asDouble(),
        overall.path("roi").isNumber()
            ? String.format(Locale.ROOT, "%.2f", overall.path("roi").asDouble())
            : "n/a");
    JsonNode incremental = json.path("incremental").path("overall").path("vsHoldout");
    if ("estimated".equals(incremental.path("state").asText())) {
      out.printf(
          Locale.ROOT,
          "Incremental over the holdout: revenue %,.2f (95%% interval %,.2f to %,.2f), ROI %s%n",
          incremental.path("incrementalRevenue").asDouble(),
          incremental.path("incrementalRevenueCi").path(0).asDouble(),
          incremental.path("incrementalRevenueCi").path(1).asDouble(),
          incremental.path("incrementalRoi").isNumber()
              ? String.format(
                  Locale.ROOT,
                  "%.2f (%.2f to %.2f)",
                  incremental.path("incrementalRoi").asDouble(),
                  incremental.path("incrementalRoiCi").path(0).asDouble(),
                  incremental.path("incrementalRoiCi").path(1).asDouble())
              : "n/a (nothing spent)");
    } else if (!incremental.isMissingNode()) {
      out.printf(
          "Incremental over the holdout: %s%n",
          incremental.path("reason").asText("not enough data"));
    }
  }

  private static ObjectNode summaryJson(
      BatchSummary s,
      SegmentClientStats stats,
      SegmentDistribution d,
      Map<String, Long> eligible,
      double elapsed) {
    ObjectNode json = JsonLines.MAPPER.createObjectNode();
    json.put("customers", s.total());
    ObjectNode seg = json.putObject("segmentation");
    seg.put("succeeded", s.succeeded())
        .put("failed", s.failed())
        .put("fallback", s.fromFallback())
        .put("requests", s.requests())
        .put("throttled", s.throttled())
        .put("retries", stats.retries())
        .put("cacheHits", s.fromCache());
    ObjectNode failedByCode = seg.putObject("failedByCode");
    s.failedByCode().forEach((code, n) -> failedByCode.put(code.name(), n));
    ObjectNode dist = json.putObject("distribution");
    for (SegmentDimension dim : SegmentDimension.values()) {
      ObjectNode shares = dist.putObject(dim.field());
      d.shares(dim)
          .forEach(
              (label, share) ->
                  shares
                      .putObject(label)
                      .put("count", share.count())
                      .put("percentage", share.percentage()));
    }
    ArrayNode insights = json.putArray("insights");
    d.insights().forEach(i -> insights.add(JsonLines.MAPPER.valueToTree(i)));
    ObjectNode el = json.putObject("eligibility");
    eligible.forEach(el::put);
    return json;
  }
}
