package dev.opagent.examples.cli;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** Shared JSON-lines helpers of the command line. */
final class JsonLines {
  /** Keeps numbers as written: no {@code 3E+1} for 30 when records pass through JSON trees. */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .build();

  private JsonLines() {}

  /**
   * Customer data read lazily from JSON lines, one record per line (bare or wrapped as
   * {@code {"customerData": …}}); a line that cannot be read throws
   * {@link InvalidInputException} from {@code next()}, so that it fails alone.
   */
  static Iterator<CustomerData> customers(BufferedReader reader) {
    return new Iterator<>() {
      private String pending;
      private long line;

      @Override
      public boolean hasNext() {
        if (pending == null) {
          try {
            pending = reader.readLine();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return pending != null;
      }

      @Override
      public CustomerData next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        String text = pending;
        pending = null;
        line++;
        if (text.isBlank()) {
          throw new InvalidInputException("line " + line, "is empty; every line must hold one"
              + " customer-data JSON object");
        }
        return CustomerData.fromJson(text);
      }
    };
  }
}
