package dev.opagent.examples.cli;

import dev.opagent.segment.CustomerData;
import dev.opagent.testkit.PopulationGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code opagent generate}: a seeded synthetic population as JSON lines. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    customSynopsis = "opagent generate --output FILE [OPTIONS]",
    description =
        "Writes a reproducible synthetic customer population (ages, Turkish cities and"
            + " regions, purchase histories with cadences) as JSON lines of {\"customerData\": …}.",
    footer = {
      "",
      "Examples:",
      "  bin/opagent generate --count 400 --output customers.jsonl",
      "  bin/opagent generate --count 1000000 --seed 7 --as-of 2026-03-15 --output big.jsonl",
      "",
      "Exit codes: 0 written, 2 usage error."
    })
public final class GenerateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "How many customers (default: ${DEFAULT-VALUE}).")
  long customers = 1000;

  @Option(names = "--customers", hidden = true, paramLabel = "N")
  void oldCustomers(long n) {
    Renamed.note(spec, "--customers", "--count");
    customers = n;
  }

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "Random seed; the same seed and --as-of give the same population"
              + " (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description = "The date the histories lead up to, such as 2026-03-15 (default: today, UTC).")
  LocalDate asOf;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the JSON lines.")
  Path output;

  @Override
  public Integer call() throws IOException {
    if (customers < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--count must not be negative but was " + customers);
    }
    LocalDate asOf = this.asOf != null ? this.asOf : LocalDate.now(ZoneOffset.UTC);
    PopulationGenerator generator = PopulationGenerator.builder().seed(seed).asOf(asOf).build();
    try (OutputFile out = OutputFile.create(output)) {
      BufferedWriter writer = out.writer();
      Iterator<CustomerData> it = generator.iterator(customers);
      while (it.hasNext()) {
        writer.write("{\"customerData\":");
        writer.write(it.next().toJson());
        writer.write('}');
        writer.newLine();
      }
      out.commit();
    }
    spec.commandLine()
        .getErr()
        .printf("wrote %d customers (seed %d, as of %s) to %s%n", customers, seed, asOf, output);
    return 0;
  }
}
