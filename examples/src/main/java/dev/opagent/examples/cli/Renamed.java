package dev.opagent.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Options renamed so that one name means one thing in every command. The old spelling stays a
 * hidden option for one release: it still works, is absent from {@code --help} and prints a
 * one-line note with the new name.
 */
final class Renamed {
  private Renamed() {}

  /** Notes on standard error that {@code old} is now {@code now}. */
  static void note(CommandSpec spec, String old, String now) {
    spec.commandLine()
        .getErr()
        .println(
            spec.qualifiedName()
                + ": "
                + old
                + " is now "
                + now
                + "; the old name will be removed in the next release");
    spec.commandLine().getErr().flush();
  }

  /**
   * The value of a required option that also has an old spelling (picocli cannot require one of two
   * options by itself); a usage error naming the new spelling when neither was given.
   */
  static <T> T required(CommandSpec spec, T value, String option, String label) {
    if (value == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing required option: '" + option + "=" + label + "'");
    }
    return value;
  }
}
