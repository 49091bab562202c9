package dev.opagent.examples.cli;

import dev.opagent.testkit.Latency;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Converts option values such as {@code 500ms}, {@code 30s}, {@code 2m} or ISO {@code PT30S} to
 * durations, with the same syntax as the simulator's latencies.
 */
public final class Durations implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Latency.parseDuration(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
