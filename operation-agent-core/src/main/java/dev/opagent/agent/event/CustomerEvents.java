package dev.opagent.agent.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.agent.internal.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes {@link CustomerEvent}s as JSON: one event ({@link #fromJson(String)}) or a file
 * of JSON lines ({@link #lines(BufferedReader)}), where a line that cannot be read fails alone and
 * every other line still yields its event. Errors name the line and the field, never the values
 * (events carry personal data). Thread-safe.
 *
 * <pre>{@code
 * try (BufferedReader in = Files.newBufferedReader(Path.of("events.jsonl"))) {
 *   Iterator<CustomerEvents.Line> lines = CustomerEvents.lines(in);
 *   while (lines.hasNext()) {
 *     CustomerEvents.Line line = lines.next();
 *     if (line.event() != null) {
 *       processor.accept(line.event());
 *     } else {
 *       log.warn("events.jsonl:{}: {}", line.number(), line.error().getMessage());
 *     }
 *   }
 * }
 * }</pre>
 */
public final class CustomerEvents {

  private CustomerEvents() {}

  /**
   * One line of a JSON-lines file: its event, or the error that kept it from being one.
   *
   * @param number the 1-based line number
   * @param event the event, or null when the line is invalid
   * @param error why the line is invalid, or null
   */
  public record Line(
      long number, @Nullable CustomerEvent event, @Nullable InvalidEventException error) {
    public Line {
      if ((event == null) == (error == null)) {
        throw new IllegalArgumentException("a line has either an event or an error");
      }
    }
  }

  /**
   * Reads one event: {@code {"type", "customerId", "at", "data"}}, {@code at} an ISO-8601 instant
   * ({@code 2026-03-15T09:00:00Z}) or date-time with an offset, {@code data} an optional object.
   * Other members are ignored.
   *
   * @throws InvalidEventException naming the field when the JSON is malformed or a value is missing
   *     or of the wrong kind
   */
  public static CustomerEvent fromJson(String json) {
    JsonNode node;
    try {
      node = Json.EXACT_DECIMALS.readTree(json);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new InvalidEventException(
          "",
          "is not valid JSON"
              + (loc == null ? "" : " (at column " + loc.getColumnNr() + ")")
              + ": expected an object {\"type\", \"customerId\", \"at\", \"data\"}");
    }
    return fromJson(node);
  }

  /** Reads one event from a JSON tree; see {@link #fromJson(String)}. */
  public static CustomerEvent fromJson(@Nullable JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new InvalidEventException(
          "", "must be a JSON object {\"type\", \"customerId\", \"at\", \"data\"}");
    }
    String type = text(node, "type");
    String customerId = text(node, "customerId");
    JsonNode atNode = node.get("at");
    if (atNode == null || !atNode.isTextual()) {
      throw new InvalidEventException(
          "at", "is required: an ISO-8601 instant such as 2026-03-15T09:00:00Z");
    }
    Instant at = instant(atNode.textValue());
    JsonNode data = node.get("data");
    Map<String, @Nullable Object> values = new LinkedHashMap<>();
    if (data != null && !data.isNull()) {
      if (!data.isObject()) {
        throw new InvalidEventException("data", "must be a JSON object");
      }
      data.properties().forEach(e -> values.put(e.getKey(), value(e.getValue())));
    }
    return new CustomerEvent(type, customerId, at, values);
  }

  /** The JSON object {@link #fromJson(String)} reads back to an equal event. */
  public static String toJson(CustomerEvent event) {
    ObjectNode o = Json.EXACT_DECIMALS.createObjectNode();
    o.put("type", event.type());
    o.put("customerId", event.customerId());
    o.put("at", event.at().toString());
    o.set("data", Json.EXACT_DECIMALS.valueToTree(event.data()));
    return o.toString();
  }

  /**
   * The lines of a JSON-lines reader, read lazily, blank lines skipped. The caller closes the
   * reader.
   *
   * @throws UncheckedIOException from {@code hasNext} when the reader fails
   */
  public static Iterator<Line> lines(BufferedReader reader) {
    Objects.requireNonNull(reader, "reader");
    return new Iterator<>() {
      private long number;
      private @Nullable Line next;

      @Override
      public boolean hasNext() {
        while (next == null) {
          String text;
          try {
            text = reader.readLine();
          } catch (IOException e) {
            throw new UncheckedIOException("could not read line " + (number + 1), e);
          }
          if (text == null) {
            return false;
          }
          number++;
          if (text.isBlank()) {
            continue;
          }
          try {
            next = new Line(number, fromJson(text), null);
          } catch (InvalidEventException e) {
            next = new Line(number, null, e);
          }
        }
        return true;
      }

      @Override
      public Line next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Line l = Objects.requireNonNull(next);
        next = null;
        return l;
      }
    };
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new InvalidEventException(field, "is required: a string");
    }
    return v.textValue();
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e2) {
        throw new InvalidEventException(
            "at", "must be an ISO-8601 instant such as 2026-03-15T09:00:00Z or with an offset");
      }
    }
  }

  /** JSON to strings, booleans, longs (or big integers), decimals, lists, maps and nulls. */
  private static @Nullable Object value(JsonNode n) {
    switch (n.getNodeType()) {
      case STRING:
        return n.textValue();
      case BOOLEAN:
        return n.booleanValue();
      case NUMBER:
        if (n.isIntegralNumber()) {
          return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        return n.isBigDecimal() ? n.decimalValue() : BigDecimal.valueOf(n.doubleValue());
      case ARRAY:
        List<@Nullable Object> list = new ArrayList<>(n.size());
        n.forEach(e -> list.add(value(e)));
        return list;
      case OBJECT:
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        n.properties().forEach(e -> map.put(e.getKey(), value(e.getValue())));
        return map;
      default:
        return null;
    }
  }
}
