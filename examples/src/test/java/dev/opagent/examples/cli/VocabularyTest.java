package dev.opagent.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * One name for one thing in every command: renamed options keep their old spelling as a hidden
 * alias, usage errors are short, and bad dates, numbers and files are sentences, not exceptions.
 */
class VocabularyTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private CommandLine commandLine() {
    return OpagentCommand.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true));
  }

  private int execute(String... args) {
    return commandLine().execute(args);
  }

  private Object parse(String... args) {
    CommandLine.ParseResult r = commandLine().parseArgs(args);
    return r.subcommand().commandSpec().userObject();
  }

  /** Command, old spelling, new spelling, value, other required arguments, the field read back. */
  static Stream<Arguments> renamed() {
    return Stream.of(
        renamed(
            "segment",
            "--input",
            "--customers",
            "c.jsonl",
            List.of("--output", "o.jsonl"),
            c -> ((SegmentCommand) c).input,
            Path.of("c.jsonl")),
        renamed(
            "segment",
            "--concurrency",
            "--request-concurrency",
            "7",
            List.of("--customers", "c", "--output", "o"),
            c -> ((SegmentCommand) c).concurrency,
            7),
        renamed(
            "segment",
            "--max-rps",
            "--request-rate",
            "12.5",
            List.of("--customers", "c", "--output", "o"),
            c -> ((SegmentCommand) c).maxRps,
            12.5),
        renamed(
            "eligibility",
            "--input",
            "--segments",
            "r.jsonl",
            List.of("--output", "o"),
            c -> ((EligibilityCommand) c).input,
            Path.of("r.jsonl")),
        renamed(
            "feedback",
            "--input",
            "--interactions",
            "i.jsonl",
            List.of(),
            c -> ((FeedbackCommand) c).input,
            Path.of("i.jsonl")),
        renamed(
            "generate",
            "--customers",
            "--count",
            "25",
            List.of("--output", "o"),
            c -> ((GenerateCommand) c).customers,
            25L),
        renamed(
            "demo",
            "--customers",
            "--count",
            "120",
            List.of(),
            c -> ((DemoCommand) c).customers,
            120),
        renamed(
            "demo",
            "--rate",
            "--request-quota",
            "400",
            List.of(),
            c -> ((DemoCommand) c).rate,
            400.0),
        renamed(
            "demo", "--out", "--output", "d", List.of(), c -> ((DemoCommand) c).out, Path.of("d")),
        renamed(
            "simulate",
            "--rate",
            "--request-quota",
            "30",
            List.of(),
            c -> ((SimulateCommand) c).rate,
            30.0),
        renamed(
            "run",
            "--rate",
            "--delivery-rate",
            "40",
            List.of("--customers", "c"),
            c -> ((RunCommand) c).rate,
            40.0),
        renamed(
            "run",
            "--concurrency",
            "--delivery-concurrency",
            "2",
            List.of("--customers", "c"),
            c -> ((RunCommand) c).concurrency,
            2),
        renamed(
            "report",
            "--out",
            "--output",
            "r.html",
            List.of("--summary", "s.json"),
            c -> ((ReportCommand) c).out,
            Path.of("r.html")));
  }

  private static Arguments renamed(
      String command,
      String old,
      String now,
      String value,
      List<String> rest,
      Function<Object, Object> field,
      Object expected) {
    return Arguments.of(command, old, now, value, rest, field, expected);
  }

  private static String[] args(String command, String option, String value, List<String> rest) {
    List<String> args = new ArrayList<>(List.of(command, option, value));
    args.addAll(rest);
    return args.toArray(String[]::new);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("renamed")
  void renamedOption_bothSpellingsSetTheSameValue(
      String command,
      String old,
      String now,
      String value,
      List<String> rest,
      Function<Object, Object> field,
      Object expected) {
    assertThat(field.apply(parse(args(command, now, value, rest)))).isEqualTo(expected);
    assertThat(err.toString()).isEmpty();

    assertThat(field.apply(parse(args(command, old, value, rest)))).isEqualTo(expected);
    assertThat(err.toString()).contains(old + " is now " + now);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("renamed")
  void renamedOption_helpShowsOnlyTheNewSpelling(String command, String old, String now) {
    String help = commandLine().getSubcommands().get(command).getUsageMessage();
    assertThat(help).contains(now);
    assertThat(
            Pattern.compile("(?<![\\w-])" + Pattern.quote(old) + "(?![\\w-])").matcher(help).find())
        .as(help)
        .isFalse();
  }

  @Test
  void everyDateOption_statesItsDefaultInHelp() {
    int withDate = 0;
    for (CommandLine sub : commandLine().getSubcommands().values()) {
      CommandLine.Model.OptionSpec asOf = sub.getCommandSpec().findOption("--as-of");
      if (asOf != null) {
        withDate++;
        String description = String.join(" ", asOf.description());
        assertThat(description)
            .as(sub.getCommandName())
            .containsPattern("default: (today|2026-03-15|\\$\\{DEFAULT-VALUE\\})");
        assertThat(sub.getUsageMessage()).as(sub.getCommandName()).contains("default: ");
      }
    }
    assertThat(withDate).isGreaterThanOrEqualTo(6);
  }

  @Test
  void missingRequiredOption_isTheErrorAndOneUsageLineExitTwo() {
    int code = execute("segment", "--output", dir.resolve("o.jsonl").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                "opagent segment: Missing required option: '--customers=FILE'",
                "Usage: opagent segment --customers FILE --output FILE [OPTIONS]",
                "Try 'opagent segment --help' for every option.",
                ""));
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void unknownOption_isShortWithASuggestionExitTwo() {
    int code = execute("run", "--customers", "c.jsonl", "--delivery-rat", "5");

    assertThat(code).isEqualTo(2);
    String text = err.toString();
    assertThat(text)
        .startsWith("opagent run: Unknown options: '--delivery-rat'")
        .contains("--delivery-rate")
        .contains("Usage: opagent run --customers FILE [--channel SPEC]... [OPTIONS]")
        .doesNotContain("Exit codes")
        .doesNotContain("Deliveries per second");
    assertThat(text.lines().count()).isLessThanOrEqualTo(6);
  }

  @Test
  void subcommandMissing_isShortExitTwo() {
    assertThat(execute()).isEqualTo(2);
    assertThat(err.toString())
        .contains("a subcommand is required")
        .contains("Usage: opagent COMMAND [OPTIONS]")
        .doesNotContain("Exit codes");
  }

  @Test
  void badDate_namesTheFormatNotTheException() throws IOException {
    Path segments = Files.writeString(dir.resolve("r.jsonl"), "");

    int code =
        execute(
            "eligibility",
            "--segments",
            segments.toString(),
            "--output",
            dir.resolve("e.jsonl").toString(),
            "--as-of",
            "15/03/2026");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("--as-of")
        .contains("'15/03/2026' is not a date; write it as YYYY-MM-DD, such as 2026-03-15")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(err.toString().lines().count()).isLessThanOrEqualTo(4);
  }

  @Test
  void badDate_inDemoAndSimulate_sameMessage() {
    assertThat(execute("demo", "--as-of", "tomorrow")).isEqualTo(2);
    assertThat(execute("simulate", "--as-of", "2026-02-30")).isEqualTo(2);
    assertThat(err.toString())
        .contains("'tomorrow' is not a date")
        .contains("'2026-02-30' is not a date")
        .doesNotContain("Exception");
  }

  @Test
  void badNumbers_sayWhatANumberLooksLike() {
    assertThat(execute("generate", "--count", "lots", "--output", "x")).isEqualTo(2);
    assertThat(execute("demo", "--request-quota", "fast")).isEqualTo(2);
    assertThat(execute("demo", "--count", "99999999999")).isEqualTo(2);
    assertThat(err.toString())
        .contains("'lots' is not a whole number")
        .contains("'fast' is not a number")
        .contains("'99999999999' is too large")
        .doesNotContain("Exception")
        .doesNotContain("Usage: opagent generate [");
  }

  @Test
  void missingFile_namesTheOptionExitTwo() {
    assertThat(
            execute(
                "eligibility",
                "--segments",
                dir.resolve("absent.jsonl").toString(),
                "--output",
                dir.resolve("e.jsonl").toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("cannot read --segments")
        .contains("absent.jsonl")
        .doesNotContain("Exception");
  }

  @Test
  void unreadableFile_aDirectory_isOneSentenceExitTwo() throws IOException {
    Path directory = Files.createDirectories(dir.resolve("a-directory"));

    int code =
        execute(
            "eligibility",
            "--segments",
            directory.toString(),
            "--output",
            dir.resolve("e.jsonl").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("opagent eligibility: ")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }
}
