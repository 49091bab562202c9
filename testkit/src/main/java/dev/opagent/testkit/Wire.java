package dev.opagent.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.opagent.segment.Customer;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.internal.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The bytes the simulator sends: error bodies, event-stream events, malformed answers. */
final class Wire {
  /** How many kinds of malformed answer there are. */
  static final int MALFORMED_VARIANTS = 4;

  private static final String HTML =
      "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title>"
          + "</head><body><h1>502 Bad Gateway</h1><p>The upstream agent did not answer.</p></body>"
          + "</html>\n";

  private Wire() {}

  /** A body with its content type. */
  record Body(String contentType, byte[] bytes) {}

  /** An AWS JSON error body: {@code {"message": "..."}}. */
  static byte[] errorBody(String message) {
    return ("{\"message\":" + quote(message) + "}").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code progress} progress events about {@code data}, then, unless {@code finalData} is empty, a
   * final event carrying it.
   */
  static List<byte[]> events(@Nullable CustomerData data, String finalData, int progress) {
    List<byte[]> events = new ArrayList<>(progress + 1);
    for (int i = 0; i < progress; i++) {
      events.add(event(quote(progressMessage(data, i, progress))));
    }
    if (!finalData.isEmpty()) {
      events.add(event(finalData));
    }
    return events;
  }

  /** An event stream without a readable analysis. */
  static List<byte[]> malformedEvents(int variant, int progress) {
    List<byte[]> events = events(null, "", progress);
    switch (variant) {
      case 0 -> events.add(event("{\"analysis\": {\"ageSegment\": \"25-34\", \"churnSeg"));
      case 1 -> {} // the stream ends without a final event
      case 2 ->
          events.add(event("{\"analysis\": null, \"error\": \"model invocation timed out\"}"));
      default -> events.clear();
    }
    return events;
  }

  /** A 200 body without a readable analysis. */
  static Body malformedBody(int variant) {
    return switch (variant) {
      case 0 ->
          new Body(
              "application/json",
              utf8("{\"analysis\": {\"ageSegment\": \"25-34\", \"churnSegment\": \"Ak"));
      case 1 -> new Body("text/html; charset=utf-8", utf8(HTML));
      case 2 ->
          new Body(
              "application/json",
              utf8("{\"result\": \"Müşteri analizi şu anda yapılamadı. Lütfen tekrar deneyin.\"}"));
      default -> new Body("application/json", new byte[0]);
    };
  }

  private static String progressMessage(@Nullable CustomerData data, int i, int of) {
    if (data == null) {
      return "Analysing customer (step " + (i + 1) + " of " + of + ")";
    }
    Customer customer = data.customer();
    int products = customer == null ? 0 : customer.productHistory().size();
    return switch (i % 3) {
      case 0 -> "Analysing customer " + data.customerId();
      case 1 -> "Reading purchase history: " + products + " products";
      default ->
          "Comparing with region "
              + (data.region() == null || data.region().name() == null
                  ? "unknown"
                  : data.region().name());
    };
  }

  private static byte[] event(String data) {
    return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String quote(String text) {
    try {
      return Json.MAPPER.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
