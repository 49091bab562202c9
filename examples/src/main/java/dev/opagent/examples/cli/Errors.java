package dev.opagent.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * How the command line reports what went wrong: a usage error is the message, the one usage line of
 * the command and where the full help is, never the whole help; a bad date, number or file is a
 * sentence naming the option and the fix, never an exception class or a stack trace. Usage and
 * configuration errors exit with 2.
 */
final class Errors {
  /** The exit code of a usage or configuration error. */
  static final int USAGE = 2;

  private Errors() {}

  /** Installs the converters and handlers on a command line and its subcommands. */
  static void configure(CommandLine cmd) {
    cmd.registerConverter(LocalDate.class, Errors::date);
    cmd.registerConverter(Integer.class, v -> (int) whole(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
    cmd.registerConverter(Integer.TYPE, v -> (int) whole(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
    cmd.registerConverter(Long.class, v -> whole(v, Long.MIN_VALUE, Long.MAX_VALUE));
    cmd.registerConverter(Long.TYPE, v -> whole(v, Long.MIN_VALUE, Long.MAX_VALUE));
    cmd.registerConverter(Double.class, Errors::number);
    cmd.registerConverter(Double.TYPE, Errors::number);
    cmd.setParameterExceptionHandler(Errors::onUsageError);
    cmd.setExecutionExceptionHandler(Errors::onFailure);
  }

  /** A date such as 2026-03-15. */
  static LocalDate date(String value) {
    try {
      return LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a date; write it as YYYY-MM-DD, such as 2026-03-15");
    }
  }

  private static long whole(String value, long min, long max) {
    long n;
    try {
      n = Long.parseLong(value.strip().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a whole number; write it as digits, such as 100");
    }
    if (n < min || n > max) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is too large; the most is " + max);
    }
    return n;
  }

  private static double number(String value) {
    double d;
    try {
      d = Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a number; write it such as 25 or 0.5");
    }
    if (!Double.isFinite(d)) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a finite number; write it such as 25 or 0.5");
    }
    return d;
  }

  /** The error, the command's one usage line and where its help is; exit code 2. */
  static int onUsageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    CommandSpec spec = cmd.getCommandSpec();
    err.println(spec.qualifiedName() + ": " + ex.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Usage: " + usageLine(spec));
    err.println("Try '" + spec.qualifiedName() + " --help' for every option.");
    err.flush();
    return USAGE;
  }

  /**
   * The command's usage in one line: its custom synopsis when it has one, else its name, required
   * options and parameters.
   */
  static String usageLine(CommandSpec spec) {
    String[] custom = spec.usageMessage().customSynopsis();
    if (custom.length > 0) {
      return String.join(" ", custom).strip().replaceAll("\\s+", " ");
    }
    List<String> parts = new ArrayList<>();
    parts.add(spec.qualifiedName());
    if (!spec.subcommands().isEmpty()) {
      parts.add("COMMAND");
    }
    for (OptionSpec o : spec.options()) {
      if (o.required() && !o.hidden()) {
        parts.add(o.longestName() + (o.arity().max() > 0 ? " " + o.paramLabel() : ""));
      }
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (!p.hidden()) {
        parts.add(p.paramLabel());
      }
    }
    parts.add("[OPTIONS]");
    return String.join(" ", parts);
  }

  /**
   * A failure while a command runs: a file that cannot be read or written is a configuration error
   * (exit 2) named in one sentence; anything else is reported by its message (exit 1), with the
   * stack trace only when {@code OPAGENT_DEBUG} is set.
   */
  static int onFailure(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    Throwable cause = ex instanceof UncheckedIOException u ? u.getCause() : ex;
    if (cause instanceof IOException io) {
      err.println(
          name + ": " + describe(io, ex instanceof UncheckedIOException ? ex.getMessage() : null));
      err.flush();
      return USAGE;
    }
    err.println(
        name + ": failed: " + (ex.getMessage() == null ? "an unexpected error" : ex.getMessage()));
    if (System.getenv("OPAGENT_DEBUG") != null) {
      ex.printStackTrace(err);
    } else {
      err.println("Set OPAGENT_DEBUG=1 to see where it failed.");
    }
    err.flush();
    return 1;
  }

  /** A file-system failure as a sentence: what happened to which file. */
  static String describe(IOException e, String context) {
    String prefix =
        context != null && !context.isBlank() && !context.contains("Exception")
            ? context + ": "
            : "";
    if (e instanceof NoSuchFileException f) {
      return prefix + "no such file or directory: " + f.getFile();
    }
    if (e instanceof AccessDeniedException f) {
      return prefix
          + "permission denied: "
          + f.getFile()
          + " (check the file's permissions or choose another path)";
    }
    if (e instanceof NotDirectoryException f) {
      return prefix + "not a directory: " + f.getFile();
    }
    if (e instanceof FileSystemException f) {
      return prefix
          + "cannot use "
          + f.getFile()
          + (f.getReason() == null ? "" : ": " + f.getReason());
    }
    return prefix + (e.getMessage() == null ? "an input or output failed" : e.getMessage());
  }
}
