package dev.opagent.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.segment.BatchOptions;
import dev.opagent.segment.BatchSummary;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.segment.SegmentClientStats;
import dev.opagent.segment.SegmentOutcome;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** {@code opagent segment}: segments a JSON-lines file of customers through the agent. */
@Command(
    name = "segment",
    mixinStandardHelpOptions = true,
    customSynopsis = "opagent segment --customers FILE --output FILE [OPTIONS]",
    description = {
      "Segments every customer of a JSON-lines file through the segment agent and writes exactly"
          + " one result line per input line, in input order.",
      "Input lines hold customer-data objects, bare or wrapped as {\"customerData\": {...}}."
    },
    footer = {
      "",
      "Examples:",
      "  bin/opagent segment --customers customers.jsonl --output results.jsonl \\",
      "      --agent-arn arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/agent-abc",
      "  bin/opagent segment --customers customers.jsonl --output results.jsonl \\",
      "      --endpoint http://127.0.0.1:8099 --agent-arn <ARN printed by 'bin/opagent simulate'>",
      "",
      "Credentials and region come from the standard AWS chain unless given; against a loopback"
          + " --endpoint (such as the simulator) placeholder credentials are used.",
      "Exit codes: 0 every line succeeded, 3 some lines failed, 2 usage or configuration error."
    })
public final class SegmentCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--customers",
      paramLabel = "FILE",
      description = "JSON lines of customer data to segment (required).")
  Path input;

  @Option(names = "--input", hidden = true, paramLabel = "FILE")
  void oldInput(Path file) {
    Renamed.note(spec, "--input", "--customers");
    input = file;
  }

  @Option(
      names = "--output",
      required = true,
      paramLabel = "FILE",
      description = "Where to write one result line per input line.")
  Path output;

  @Option(
      names = "--agent-arn",
      paramLabel = "ARN",
      defaultValue = "${env:OPAGENT_AGENT_ARN}",
      description = "The agent runtime ARN (default: $OPAGENT_AGENT_ARN).")
  String agentArn;

  @Option(
      names = "--qualifier",
      defaultValue = "DEFAULT",
      description = "Endpoint qualifier (default: ${DEFAULT-VALUE}).")
  String qualifier;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "AWS region (default: the ARN's).")
  String region;

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "Any AgentCore-compatible endpoint: the simulator, a VPC endpoint, a proxy.")
  URI endpoint;

  @Option(
      names = "--request-concurrency",
      paramLabel = "N",
      description = "Most requests to the agent in flight (default: ${DEFAULT-VALUE}).")
  int concurrency = 1000;

  @Option(names = "--concurrency", hidden = true, paramLabel = "N")
  void oldConcurrency(int n) {
    Renamed.note(spec, "--concurrency", "--request-concurrency");
    concurrency = n;
  }

  @Option(
      names = "--request-rate",
      paramLabel = "R",
      description =
          "Most requests per second to the agent, such as its known quota; the adaptive"
              + " rate never exceeds it (default: no cap).")
  double maxRps = 0;

  @Option(names = "--max-rps", hidden = true, paramLabel = "R")
  void oldMaxRps(double r) {
    Renamed.note(spec, "--max-rps", "--request-rate");
    maxRps = r;
  }

  @Option(
      names = "--timeout",
      defaultValue = "5m",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Deadline of one request, e.g. 90s (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--no-cache", description = "Do not reuse answers for identical customers.")
  boolean noCache;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Renamed.required(spec, input, "--customers", "FILE");
    if (agentArn == null || agentArn.isBlank()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing --agent-arn (or set OPAGENT_AGENT_ARN)");
    }
    if (!Files.isReadable(input)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "cannot read --customers " + input + ": no such readable file");
    }
    OutputFile.refuseSameFile(spec.commandLine(), "--output", output, "--customers", input);
    SegmentClient client;
    try {
      client = buildClient();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    ProgressPrinter progress = new ProgressPrinter(err, 0);
    BatchSummary summary;
    try (client;
        BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8);
        OutputFile out = OutputFile.create(output)) {
      BufferedWriter writer = out.writer();
      summary =
          client.analyzeStream(
              JsonLines.customers(reader),
              outcome -> write(writer, outcome),
              BatchOptions.builder()
                  .bypassCache(noCache)
                  .progressListener(progress)
                  .progressInterval(Duration.ofMillis(500))
                  .build());
      progress.finish();
      out.commit();
      SegmentClientStats stats = client.stats();
      err.println(summaryLine(summary, stats));
    } catch (IOException | UncheckedIOException e) {
      err.println("opagent segment: " + e.getMessage());
      return 2;
    }
    err.flush();
    return summary.failed() == 0 ? 0 : 3;
  }

  private SegmentClient buildClient() {
    SegmentClientBuilder builder =
        SegmentClient.builder()
            .agentRuntimeArn(agentArn)
            .qualifier(qualifier)
            .maxConcurrency(concurrency)
            .maxRequestsPerSecond(maxRps)
            .attemptTimeout(timeout);
    if (region != null) {
      builder.region(Region.of(region));
    }
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
      if (isLoopback(endpoint)) {
        builder.credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
      }
    }
    if (noCache) {
      builder.disableCache();
    }
    return builder.build();
  }

  static boolean isLoopback(URI uri) {
    try {
      return uri.getHost() != null && InetAddress.getByName(uri.getHost()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static void write(BufferedWriter writer, SegmentOutcome outcome) {
    ObjectNode line = JsonLines.segmentLine(outcome);
    try {
      writer.write(JsonLines.MAPPER.writeValueAsString(line));
      writer.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String summaryLine(BatchSummary s, SegmentClientStats stats) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "segmented %d customers in %.1f s (%.1f/s): %d succeeded, %d failed",
            s.total(),
            s.elapsed().toNanos() / 1e9,
            s.customersPerSecond(),
            s.succeeded(),
            s.failed()));
    if (!s.failedByCode().isEmpty()) {
      sb.append(" (");
      boolean first = true;
      for (Map.Entry<ErrorCode, Long> e : new java.util.TreeMap<>(s.failedByCode()).entrySet()) {
        sb.append(first ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        first = false;
      }
      sb.append(')');
    }
    sb.append(
        String.format(
            "; %d requests, %d throttled, %d cache hits, %d fallback",
            s.requests(),
            s.throttled(),
            stats.cacheHits() + stats.deduplicated(),
            s.fromFallback()));
    return sb.toString();
  }
}
