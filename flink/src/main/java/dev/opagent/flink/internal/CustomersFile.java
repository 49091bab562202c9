package dev.opagent.flink.internal;

import dev.opagent.segment.CustomerData;
import dev.opagent.segment.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customers' data before any event, read from a file of JSON lines (each bare or wrapped as
 * {@code {"customerData": …}}): the ones a subtask owns, by id, as JSON. A line that is not a
 * customer is counted and logged by number, never by content. Immutable once read; thread-safe.
 */
public final class CustomersFile {
  private static final Logger LOG = LoggerFactory.getLogger(CustomersFile.class);

  private final Map<String, String> byId;
  private final long skipped;

  private CustomersFile(Map<String, String> byId, long skipped) {
    this.byId = byId;
    this.skipped = skipped;
  }

  /** No customers. */
  public static CustomersFile empty() {
    return new CustomersFile(Map.of(), 0);
  }

  /**
   * Reads the customers of {@code file} whose id {@code owned} accepts.
   *
   * @throws UncheckedIOException if the file cannot be read
   */
  public static CustomersFile read(Path file, Predicate<String> owned) {
    Map<String, String> byId = new HashMap<>();
    long skipped = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long number = 0;
      for (String text; (text = in.readLine()) != null; ) {
        number++;
        if (text.isBlank()) {
          continue;
        }
        try {
          CustomerData data = CustomerData.fromJson(text);
          if (owned.test(data.customerId())) {
            byId.put(data.customerId(), data.toJson());
          }
        } catch (InvalidInputException | IllegalArgumentException e) {
          skipped++;
          LOG.warn("customers file, line {}: not a customer ({})", number, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the customers file " + file, e);
    }
    return new CustomersFile(Map.copyOf(byId), skipped);
  }

  /** The JSON of the customer's data, or null when the file does not hold them. */
  public @Nullable String find(String customerId) {
    return byId.get(customerId);
  }

  /** Hands every customer read to {@code sink}. */
  public void forEach(Consumer<CustomerData> sink) {
    byId.values().forEach(json -> sink.accept(CustomerData.fromJson(json)));
  }

  /** How many customers were read. */
  public int size() {
    return byId.size();
  }

  /** How many lines were not customers. */
  public long skipped() {
    return skipped;
  }
}
