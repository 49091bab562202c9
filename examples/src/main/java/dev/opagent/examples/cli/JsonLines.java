package dev.opagent.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.examples.internal.Json;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.InvalidInputException;
import dev.opagent.segment.SegmentOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** Shared JSON-lines helpers of the command line. */
final class JsonLines {
  /** Keeps numbers as written: no {@code 3E+1} for 30 when records pass through JSON trees. */
  static final ObjectMapper MAPPER = Json.NUMBERS_AS_WRITTEN;

  private JsonLines() {}

  /**
   * Customer data read lazily from JSON lines, one record per line (bare or wrapped as {@code
   * {"customerData": …}}); a line that cannot be read throws {@link InvalidInputException} from
   * {@code next()}, so that it fails alone.
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
          throw new InvalidInputException(
              "line " + line, "is empty; every line must hold one" + " customer-data JSON object");
        }
        return CustomerData.fromJson(text);
      }
    };
  }

  /**
   * The result line of one customer, as {@code opagent segment} writes it: {@code {"customerId",
   * "status": "SUCCESS", "source", "attempts", "analysis"}} or {@code {"customerId", "status":
   * "FAILED", "error": {"code", "message", "retryable", "attempts"}}}.
   */
  static ObjectNode segmentLine(SegmentOutcome outcome) {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("customerId", outcome.customerId());
    if (outcome instanceof SegmentOutcome.Success s) {
      line.put("status", "SUCCESS").put("source", s.source().name()).put("attempts", s.attempts());
      line.set("analysis", MAPPER.valueToTree(s.analysis()));
    } else if (outcome instanceof SegmentOutcome.Failure f) {
      line.put("status", "FAILED");
      line.putObject("error")
          .put("code", f.code().name())
          .put("message", f.message())
          .put("retryable", f.retryable())
          .put("attempts", f.attempts());
    }
    return line;
  }
}
