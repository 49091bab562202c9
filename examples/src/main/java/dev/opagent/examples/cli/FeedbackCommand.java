package dev.opagent.examples.cli;

import dev.opagent.agent.AgentException;
import dev.opagent.agent.feedback.Attribution;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.store.FeedbackStore;
import dev.opagent.store.Ingested;
import dev.opagent.store.OperatingStore;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code opagent feedback}: ingests a JSON-lines file of interactions into the operating store. Not
 * thread-safe (picocli fills its fields).
 */
@Command(
    name = "feedback",
    mixinStandardHelpOptions = true,
    customSynopsis = "opagent feedback --interactions FILE [OPTIONS]",
    description = {
      "Ingests customer interactions (deliveries confirmed, opens, clicks, coupons used,"
          + " conversions with revenue) into the operating store and attributes each to the"
          + " action that caused it: by idempotency key, else to the customer's last delivery of"
          + " the campaign within the conversion window. Prints how many lines ended in each"
          + " attribution outcome.",
      "One JSON object per line: {\"type\": \"opened\", \"customerId\": \"C-1001\", \"campaign\":"
          + " \"winback\", \"at\": \"2026-03-15T10:00:00Z\", \"idempotencyKey\": \"ik-…\"} or"
          + " {\"type\": \"conversion\", …, \"revenue\": 249.90}. Types: delivered, open(ed),"
          + " click(ed), coupon_used, conversion; the seed's interaction_type, user_id,"
          + " action_id, timestamp and conversion: true are accepted too.",
      "An interaction is stored once (keyed by a hash of its content), so ingesting a file"
          + " again counts nothing twice; one that arrived before its delivery was journalled is"
          + " attributed when it is ingested again. A line that cannot be read fails alone, with"
          + " its number and the field to fix; every other line is ingested."
    },
    footer = {
      "",
      "Examples:",
      "  bin/opagent feedback --interactions interactions.jsonl",
      "  OPAGENT_STORE_PASSWORD=… bin/opagent feedback --interactions shop-orders.jsonl \\",
      "      --store jdbc:postgresql://db/opagent --store-user opagent --conversion-window 3d",
      "",
      "Exit codes: 0 every line ingested, 3 some lines failed, 2 usage error or a store that"
          + " cannot be opened."
    })
public final class FeedbackCommand implements Callable<Integer> {
  /** Lines per transaction. */
  static final int BATCH = 500;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin StoreOptions store;

  @Option(
      names = "--interactions",
      paramLabel = "FILE",
      description = "Interactions, one JSON object per line (required).")
  Path input;

  @Option(names = "--input", hidden = true, paramLabel = "FILE")
  void oldInput(Path file) {
    Renamed.note(spec, "--input", "--interactions");
    input = file;
  }

  @Option(
      names = "--conversion-window",
      defaultValue = "7d",
      paramLabel = "DURATION",
      converter = WindowConverter.class,
      description =
          "How long after a delivery an interaction still counts for it, such as 7d,"
              + " 48h or P7D (default: ${DEFAULT-VALUE}). Give every process of a store the same.")
  Duration window;

  @Override
  public Integer call() throws IOException {
    CommandLine cmd = spec.commandLine();
    Renamed.required(spec, input, "--interactions", "FILE");
    if (!Files.isRegularFile(input) || !Files.isReadable(input)) {
      throw new CommandLine.ParameterException(
          cmd, "cannot read --interactions " + input + ": no such readable file");
    }
    PrintWriter out = cmd.getOut();
    PrintWriter err = cmd.getErr();
    Map<Attribution.Outcome, Long> outcomes = new EnumMap<>(Attribution.Outcome.class);
    for (Attribution.Outcome o : Attribution.Outcome.values()) {
      outcomes.put(o, 0L);
    }
    long lines = 0;
    long duplicates = 0;
    long failed = 0;
    try (OperatingStore opened = store.open(cmd);
        InputStream in = new BufferedInputStream(Files.newInputStream(input))) {
      FeedbackStore feedback = FeedbackStore.builder(opened).conversionWindow(window).build();
      List<Interaction> batch = new ArrayList<>(BATCH);
      List<Long> numbers = new ArrayList<>(BATCH);
      ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
      for (byte[] bytes; (bytes = nextLine(in, buffer)) != null; ) {
        lines++;
        try {
          batch.add(InteractionLines.parse(utf8(bytes, lines), lines));
          numbers.add(lines);
        } catch (InteractionLines.LineException e) {
          failed++;
          err.println("opagent feedback: " + e.getMessage());
        }
        if (batch.size() == BATCH) {
          long[] counts = ingest(feedback, batch, numbers, outcomes, err);
          duplicates += counts[0];
          failed += counts[1];
        }
      }
      long[] counts = ingest(feedback, batch, numbers, outcomes, err);
      duplicates += counts[0];
      failed += counts[1];
    }
    long ingested = lines - failed;
    out.printf(
        Locale.ROOT,
        "Ingested %,d of %,d lines from %s into %s: %,d new, %,d already"
            + " ingested (counted once), %,d failed.%n",
        ingested,
        lines,
        input,
        store.masked(),
        ingested - duplicates,
        duplicates,
        failed);
    out.println("New interactions by attribution outcome:");
    outcomes.forEach((o, n) -> out.printf(Locale.ROOT, "  %-26s %,d%n", o.name(), n));
    out.flush();
    err.flush();
    return failed == 0 ? 0 : 3;
  }

  /**
   * Ingests {@code batch} in one transaction and clears it; returns duplicates and failed lines. A
   * failing store fails the batch's lines, not the command: ingesting the file again stores what is
   * missing and counts nothing twice.
   */
  private static long[] ingest(
      FeedbackStore feedback,
      List<Interaction> batch,
      List<Long> numbers,
      Map<Attribution.Outcome, Long> outcomes,
      PrintWriter err) {
    if (batch.isEmpty()) {
      return new long[2];
    }
    long duplicates = 0;
    long failed = 0;
    try {
      for (Ingested r : feedback.ingest(batch)) {
        if (r.duplicate()) {
          duplicates++;
        } else {
          outcomes.merge(r.attribution().outcome(), 1L, Long::sum);
        }
      }
    } catch (AgentException e) {
      failed = batch.size();
      err.println(
          "opagent feedback: lines "
              + numbers.get(0)
              + " to "
              + numbers.get(numbers.size() - 1)
              + " were not ingested: "
              + e.getMessage()
              + "; ingest the file again once the store is back (nothing is counted twice)");
    }
    batch.clear();
    numbers.clear();
    return new long[] {duplicates, failed};
  }

  /** The next line's bytes without its line break, or null at the end of the input. */
  private static byte @Nullable [] nextLine(InputStream in, ByteArrayOutputStream buffer)
      throws IOException {
    buffer.reset();
    int b = in.read();
    if (b < 0) {
      return null;
    }
    while (b >= 0 && b != '\n') {
      buffer.write(b);
      b = in.read();
    }
    byte[] line = buffer.toByteArray();
    int n = line.length;
    return n > 0 && line[n - 1] == '\r' ? Arrays.copyOf(line, n - 1) : line;
  }

  /** The line as text; a line that is not UTF-8 fails alone. */
  private static String utf8(byte[] bytes, long line) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InteractionLines.LineException(line, "not UTF-8 text");
    }
  }

  /** Durations such as {@code 7d}, {@code 48h}, {@code 90m} or ISO-8601 {@code P7D}. */
  static final class WindowConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern DAYS = Pattern.compile("(\\d{1,5})\\s*d");

    @Override
    public Duration convert(String value) {
      Matcher m = DAYS.matcher(value.strip().toLowerCase(Locale.ROOT));
      Duration d =
          m.matches()
              ? Duration.ofDays(Long.parseLong(m.group(1)))
              : new Durations().convert(value);
      if (d.isZero() || d.isNegative()) {
        throw new CommandLine.TypeConversionException(
            "--conversion-window must be positive," + " such as 7d");
      }
      return d;
    }
  }
}
