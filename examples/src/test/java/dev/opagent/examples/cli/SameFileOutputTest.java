package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output that is the same file as an input is refused before anything is written, by whatever
 * name it is given, and an output is replaced only by a run that finishes: a run that fails
 * half-way leaves the previous output as it was.
 */
class SameFileOutputTest {
  private static final String CUSTOMER_LINE = "{\"customerData\":{\"customerId\":\"C-1\"}}\n";

  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    return OpagentCommand.commandLine()
        .setErr(new PrintWriter(err, true))
        .setOut(new PrintWriter(new StringWriter(), true))
        .execute(args);
  }

  private Path file(String name, String content) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void eligibility_inputIsOutput_exitsTwoNamingBothOptionsAndLeavesTheFile() throws IOException {
    Path f = file("results.jsonl", CUSTOMER_LINE);

    int code = execute("eligibility", "--segments", f.toString(), "--output", f.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("--segments")
        .contains("--output")
        .contains("are the same file");
    assertThat(Files.readString(f)).isEqualTo(CUSTOMER_LINE);
  }

  @Test
  void eligibility_outputThroughSymlinkAndDotDot_isTheSameFileAndRefused() throws IOException {
    Path f = file("results.jsonl", CUSTOMER_LINE);
    Files.createDirectories(dir.resolve("sub"));
    Path link = dir.resolve("link.jsonl");
    try {
      Files.createSymbolicLink(link, f);
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "symbolic links are not supported here");
    }

    assertThat(execute("eligibility", "--segments", f.toString(), "--output", link.toString()))
        .isEqualTo(2);
    assertThat(
            execute(
                "eligibility",
                "--segments",
                dir.resolve("sub/../results.jsonl").toString(),
                "--output",
                f.toString()))
        .isEqualTo(2);
    assertThat(Files.readString(f)).isEqualTo(CUSTOMER_LINE);
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  @Test
  void segment_inputIsOutput_exitsTwoAndLeavesTheFile() throws IOException {
    Path f = file("customers.jsonl", CUSTOMER_LINE);

    int code =
        execute(
            "segment",
            "--customers",
            f.toString(),
            "--output",
            f.toString(),
            "--agent-arn",
            "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/agent-x",
            "--endpoint",
            "http://127.0.0.1:9");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--customers").contains("--output");
    assertThat(Files.readString(f)).isEqualTo(CUSTOMER_LINE);
  }

  @Test
  void plan_customersOrSegmentsIsOutput_exitsTwoAndLeavesTheFile() throws IOException {
    Path f = file("customers.jsonl", CUSTOMER_LINE);
    Path other = file("segments.jsonl", "");

    assertThat(execute("plan", "--customers", f.toString(), "--output", f.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--customers").contains("--output");
    assertThat(
            execute(
                "plan",
                "--customers",
                other.toString(),
                "--segments",
                f.toString(),
                "--output",
                f.toString()))
        .isEqualTo(2);
    assertThat(Files.readString(f)).isEqualTo(CUSTOMER_LINE);
  }

  @Test
  void report_summaryIsOut_exitsTwoAndLeavesTheFile() throws IOException {
    Path f = file("summary.json", "{}");

    assertThat(execute("report", "--summary", f.toString(), "--output", f.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--summary").contains("--output");
    assertThat(Files.readString(f)).isEqualTo("{}");
  }

  @Test
  void eligibility_failsHalfway_leavesThePreviousOutputIntactAndNoTemporaryFile()
      throws IOException {
    Path input = dir.resolve("results.jsonl");
    byte[] good = CUSTOMER_LINE.getBytes(StandardCharsets.UTF_8);
    byte[] bad = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'}; // not UTF-8
    byte[] content = new byte[good.length * 2 + bad.length];
    System.arraycopy(good, 0, content, 0, good.length);
    System.arraycopy(good, 0, content, good.length, good.length);
    System.arraycopy(bad, 0, content, good.length * 2, bad.length);
    Files.write(input, content);
    Path output = file("eligibility.jsonl", "previous run\n");

    int code =
        execute("eligibility", "--segments", input.toString(), "--output", output.toString());

    assertThat(code).isNotZero();
    assertThat(Files.readString(output)).isEqualTo("previous run\n");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("results.jsonl", "eligibility.jsonl");
    }
  }

  @Test
  void eligibility_succeeds_replacesTheOutputWithoutLeavingTemporaryFiles() throws IOException {
    Path input = file("results.jsonl", CUSTOMER_LINE);
    Path output = file("eligibility.jsonl", "previous run\n");

    assertThat(
            execute("eligibility", "--segments", input.toString(), "--output", output.toString()))
        .isIn(0, 3);

    assertThat(Files.readAllLines(output)).hasSize(1).first().asString().contains("\"eligible\"");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).hasSize(2);
    }
  }

  @Test
  void generate_outputThroughSymlink_replacesTheTargetAndKeepsTheLink() throws IOException {
    Path target = file("population.jsonl", "old\n");
    Path link = dir.resolve("link.jsonl");
    try {
      Files.createSymbolicLink(link, target);
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "symbolic links are not supported here");
    }

    assertThat(execute("generate", "--count", "3", "--output", link.toString())).isZero();

    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readAllLines(target)).hasSize(3);
  }

  @Test
  void run_jsonlChannelIsTheCustomersFile_exitsTwoAndLeavesTheFile() throws IOException {
    String noTrailingNewline = CUSTOMER_LINE.strip();
    Path f = file("customers.jsonl", noTrailingNewline);

    int code =
        execute(
            "run",
            "--customers",
            f.toString(),
            "--channel",
            "jsonl:" + f,
            "--store",
            "jdbc:h2:mem:same-file-run");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--customers").contains("--channel jsonl:");
    assertThat(Files.readString(f)).isEqualTo(noTrailingNewline);
  }

  @Test
  void run_twoJsonlChannelsOnOneFileThroughALink_exitsTwoNamingTheChannel() throws IOException {
    Path customers = file("customers.jsonl", CUSTOMER_LINE);
    Path actions = dir.resolve("actions.jsonl");
    Files.createFile(actions);
    Path link = dir.resolve("link.jsonl");
    try {
      Files.createSymbolicLink(link, actions);
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "symbolic links are not supported here");
    }

    int code =
        execute(
            "run",
            "--customers",
            customers.toString(),
            "--channel",
            "jsonl:" + actions,
            "--channel",
            "jsonl:" + link,
            "--store",
            "jdbc:h2:mem:same-file-run-2");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--channel jsonl:" + link).contains("already open");
    try (var again = dev.opagent.agent.execution.channels.JsonLinesChannel.open(actions)) {
      assertThat(again.lineCount()).as("the first channel was closed").isZero();
    }
  }
}
