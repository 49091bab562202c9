package dev.opagent.examples.cli;

import dev.opagent.segment.CustomerData;
import dev.opagent.segment.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The inputs {@code plan} and {@code run} share: customers and time, besides agent, rules, policy
 * and consent.
 */
final class LoopOptions extends DecisionOptions {

  @Option(
      names = "--customers",
      required = true,
      paramLabel = "FILE",
      description = "JSON lines of customer data (bare or wrapped as {\"customerData\": …}).")
  Path customers;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description =
          "Decide as if it were this date, such as 2026-03-15, between 10:00 and 20:00"
              + " UTC (the time of day follows the wall clock, so a restarted round stays in order;"
              + " default: today, now).")
  LocalDate asOf;

  /**
   * The clock of decisions: real time; with --as-of, that date at 10:00 UTC plus the wall clock's
   * time modulo ten hours, so time moves forward across restarts (a resumed round finds its actions
   * due) and stays outside the default quiet hours.
   */
  Clock clock() {
    if (asOf == null) {
      return Clock.systemUTC();
    }
    Instant now = Instant.now();
    long intoWindow = Math.floorMod(now.getEpochSecond(), Duration.ofHours(10).getSeconds());
    Instant at =
        asOf.atTime(LocalTime.of(10, 0))
            .toInstant(ZoneOffset.UTC)
            .plusSeconds(intoWindow)
            .plusNanos(now.getNano());
    return Clock.offset(Clock.systemUTC(), Duration.between(now, at));
  }

  /** The customers of {@code --customers}; unreadable lines are reported in {@code bad}. */
  List<CustomerData> readCustomers(CommandLine cmd, List<String> bad) throws IOException {
    if (!Files.isReadable(customers)) {
      throw new CommandLine.ParameterException(
          cmd, "cannot read --customers " + customers + ": no such readable file");
    }
    List<CustomerData> out = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(customers, StandardCharsets.UTF_8)) {
      long line = 0;
      for (String text; (text = reader.readLine()) != null; ) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        try {
          out.add(CustomerData.fromJson(text));
        } catch (InvalidInputException | IllegalArgumentException e) {
          bad.add("line " + line + ": " + e.getMessage());
        }
      }
    }
    return out;
  }
}
