package dev.opagent.examples.cli;

import dev.opagent.segment.CustomerData;
import dev.opagent.segment.InvalidInputException;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The customers of a JSON-lines file, read one line at a time as they are asked for, so that a file
 * of any size is read with memory for one line. A line that is not a customer is skipped and
 * counted; the reasons of the first {@link #KEPT_REASONS} are kept for the summary.
 */
final class CustomerLines implements Iterator<CustomerData>, Closeable {
  /** Skipped lines whose reason is kept; the rest are only counted. */
  static final int KEPT_REASONS = 20;

  private final BufferedReader reader;
  private final List<String> reasons = new ArrayList<>();
  private long line;
  private long skipped;
  private long read;
  private CustomerData next;
  private boolean done;

  private CustomerLines(BufferedReader reader) {
    this.reader = reader;
  }

  /** Opens {@code file} for reading. */
  static CustomerLines open(Path file) throws IOException {
    return new CustomerLines(Files.newBufferedReader(file, StandardCharsets.UTF_8));
  }

  @Override
  public boolean hasNext() {
    while (next == null && !done) {
      String text;
      try {
        text = reader.readLine();
      } catch (IOException e) {
        throw new UncheckedIOException("reading the customers failed at line " + (line + 1), e);
      }
      if (text == null) {
        done = true;
        break;
      }
      line++;
      if (text.isBlank()) {
        continue;
      }
      try {
        next = CustomerData.fromJson(text);
      } catch (InvalidInputException | IllegalArgumentException e) {
        skipped++;
        if (reasons.size() < KEPT_REASONS) {
          reasons.add("line " + line + ": " + e.getMessage());
        }
      }
    }
    return next != null;
  }

  @Override
  public CustomerData next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more customers");
    }
    CustomerData out = next;
    next = null;
    read++;
    return out;
  }

  /** Customers handed out so far. */
  long read() {
    return read;
  }

  /** Lines skipped so far. */
  long skipped() {
    return skipped;
  }

  /** Why the first {@link #KEPT_REASONS} skipped lines were skipped. */
  List<String> reasons() {
    return List.copyOf(reasons);
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
