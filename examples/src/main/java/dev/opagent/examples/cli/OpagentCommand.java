package dev.opagent.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code opagent} command line: one subcommand per job. */
@Command(
    name = "opagent",
    mixinStandardHelpOptions = true,
    versionProvider = OpagentCommand.Version.class,
    description = "Marketing operations as a closed, safe loop around a customer-segment agent.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      EventsCommand.class,
      ReceiveCommand.class,
      PlanCommand.class,
      SimulateCommand.class,
      GenerateCommand.class,
      SegmentCommand.class,
      EligibilityCommand.class,
      FeedbackCommand.class,
      ReportCommand.class,
      ApprovalsCommand.class,
      ConsoleCommand.class,
      McpCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  bin/opagent segment --customers customers.jsonl --output results.jsonl \\",
      "      --agent-arn arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/agent-abc",
      "",
      "Exit codes: 0 success, 2 usage or configuration error, 3 some records failed."
    })
public final class OpagentCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (for tests and embedding). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /**
   * The configured command line: short usage errors, friendly messages for bad dates, numbers and
   * files, and no stack traces for expected failures. Tests set its output and error writers.
   */
  public static CommandLine commandLine() {
    CommandLine cmd =
        new CommandLine(new OpagentCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    Errors.configure(cmd);
    return cmd;
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = OpagentCommand.class.getPackage().getImplementationVersion();
      return new String[] {"opagent " + (v == null ? "development build" : v)};
    }
  }
}
