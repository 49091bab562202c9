package dev.opagent.segment;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.opagent.segment.internal.Redactor;
import dev.opagent.segment.internal.SseParser;
import dev.opagent.segment.internal.wire.Json;
import dev.opagent.segment.spi.AgentResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds the segment analysis in whatever an LLM agent answered. In order:
 *
 * <ol>
 *   <li>a top-level {@code analysis} object (or a string holding one);
 *   <li>an object that itself has segment fields;
 *   <li>a string member {@code result}, {@code output}, {@code response}, {@code message} or {@code
 *       content} (or an object there) holding any of the above;
 *   <li>plain text containing such JSON, possibly in {@code ```} fences;
 *   <li>for an event stream: the last event whose data is an object with {@code analysis}, else the
 *       concatenation of the events' string data, read as text.
 * </ol>
 *
 * Anything else is a {@link MalformedResponseException} with a redacted excerpt, and so is an
 * analysis holding a number beyond {@link Json}'s bounds (such as {@code 1e50000000}) or an {@code
 * expectedEveryDays} beyond {@link CustomerDataValidator#MAX_AMOUNT}: what is returned can be
 * written back and computed with at a bounded cost. Never throws anything else. Stateless and
 * thread-safe.
 */
final class AnalysisExtractor {
  private static final Set<String> SEGMENT_FIELDS =
      Set.of(
          "ageSegment",
          "churnSegment",
          "valueSegment",
          "loyaltyTier",
          "affinityType",
          "diversityProfile",
          "missingRegulars");
  private static final List<String> TEXT_MEMBERS =
      List.of("result", "output", "response", "message", "content");
  private static final int MAX_DEPTH = 8;

  /** Opening braces tried in prose, so that a huge answer cannot make extraction quadratic. */
  private static final int MAX_EMBEDDED_OBJECTS = 64;

  /** Reads a whole text as one JSON value: trailing text means it is not JSON but prose. */
  private static final ObjectReader WHOLE =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The usual answer, {@code {"analysis": {…}}}, bound to the model without a tree between. */
  private static final ObjectReader ENVELOPE =
      Json.MAPPER.readerFor(Envelope.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private AnalysisExtractor() {}

  /** The shape of the usual answer; other members are ignored. */
  record Envelope(@Nullable SegmentAnalysis analysis) {}

  /**
   * The analysis in {@code response}.
   *
   * @throws MalformedResponseException when there is none
   */
  public static SegmentAnalysis extract(AgentResponse response, boolean revealExcerpt) {
    try {
      if (!response.isEventStream()) {
        SegmentAnalysis direct = direct(response.body());
        if (direct != null) {
          return direct;
        }
      }
      Budget budget = new Budget(response.body().length());
      SegmentAnalysis found =
          response.isEventStream()
              ? fromEvents(
                  response.events().isEmpty() ? reparse(response.body()) : response.events(),
                  budget)
              : fromText(response.body(), 0, budget);
      if (found != null) {
        return found;
      }
    } catch (RuntimeException | StackOverflowError e) {
      // fall through: any failure to read the answer is a malformed response
    }
    String what =
        response.body().isBlank()
            ? "the agent's answer was empty"
            : "the agent's answer held no segment analysis";
    throw new MalformedResponseException(
        what, Redactor.excerpt(response.body(), revealExcerpt), response.requestId());
  }

  /**
   * The analysis of an answer of the usual shape, read in one pass, or {@code null} to search the
   * answer the general way. Taken only where that search would find the same analysis: a JSON
   * object whose {@code analysis} member binds to the model with at least one segment, in which no
   * number has an exponent (so every number is within {@link Json}'s bounds by its length alone)
   * and any {@code expectedEveryDays} is a bounded amount.
   */
  private static @Nullable SegmentAnalysis direct(String body) {
    int first = 0;
    while (first < body.length() && Character.isWhitespace(body.charAt(first))) {
      first++;
    }
    if (first == body.length() || body.charAt(first) != '{' || mayHaveExponent(body)) {
      return null;
    }
    SegmentAnalysis analysis;
    try {
      Envelope envelope = ENVELOPE.readValue(body);
      analysis = envelope == null ? null : envelope.analysis();
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (analysis == null || !hasSegment(analysis)) {
      return null;
    }
    for (MissingRegular m : analysis.missingRegulars()) {
      BigDecimal every = m.expectedEveryDays();
      if (every != null && !CustomerDataValidator.isBoundedAmount(every)) {
        return null;
      }
    }
    return analysis;
  }

  /** Whether an {@code e} or {@code E} follows a digit or a point anywhere: maybe an exponent. */
  private static boolean mayHaveExponent(String text) {
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 'e' || c == 'E') {
        char before = text.charAt(i - 1);
        if (before >= '0' && before <= '9' || before == '.') {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasSegment(SegmentAnalysis a) {
    return a.ageSegment() != null
        || a.churnSegment() != null
        || a.valueSegment() != null
        || a.loyaltyTier() != null
        || a.affinityType() != null
        || a.diversityProfile() != null
        || !a.missingRegulars().isEmpty();
  }

  private static List<String> reparse(String body) {
    SseParser parser = new SseParser();
    parser.feed(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return parser.finish();
  }

  private static @Nullable SegmentAnalysis fromEvents(List<String> events, Budget budget) {
    for (int i = events.size() - 1; i >= 0; i--) {
      JsonNode node = parseWhole(events.get(i), budget);
      if (node != null && node.isObject() && node.has("analysis")) {
        SegmentAnalysis found = fromNode(node, 0, budget);
        if (found != null) {
          return found;
        }
      }
    }
    StringBuilder text = new StringBuilder();
    for (String event : events) {
      JsonNode node = parseWhole(event, budget);
      if (node == null) {
        text.append(event);
      } else if (node.isTextual()) {
        text.append(node.asText());
      } else if (node.isObject()) {
        JsonNode piece = firstText(node);
        if (piece != null) {
          text.append(piece.asText());
        } else {
          SegmentAnalysis direct = fromNode(node, 0, budget);
          if (direct != null) {
            return direct;
          }
        }
      }
    }
    return fromText(text.toString(), 0, budget);
  }

  private static @Nullable JsonNode firstText(JsonNode object) {
    for (String name : List.of("text", "delta", "content", "data", "message", "output", "result")) {
      JsonNode v = object.get(name);
      if (v != null && v.isTextual()) {
        return v;
      }
    }
    return null;
  }

  private static @Nullable SegmentAnalysis fromText(String text, int depth, Budget budget) {
    if (depth > MAX_DEPTH) {
      return null;
    }
    JsonNode whole = parseWhole(text, budget);
    if (whole != null) {
      if (whole.isTextual()) {
        return fromText(whole.asText(), depth + 1, budget);
      }
      SegmentAnalysis found = fromNode(whole, depth, budget);
      if (found != null) {
        return found;
      }
    }
    // JSON embedded in prose or fences: try every object that starts at a '{'.
    int tries = 0;
    for (int start = text.indexOf('{');
        start >= 0 && tries++ < MAX_EMBEDDED_OBJECTS;
        start = text.indexOf('{', start + 1)) {
      JsonNode node = parsePrefix(text, start, budget);
      if (node != null) {
        SegmentAnalysis found = fromNode(node, depth, budget);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static @Nullable SegmentAnalysis fromNode(JsonNode node, int depth, Budget budget) {
    if (depth > MAX_DEPTH || !node.isObject()) {
      return null;
    }
    JsonNode analysis = node.get("analysis");
    if (analysis != null) {
      if (analysis.isObject() && hasSegmentFields(analysis)) {
        return convert(analysis);
      }
      if (analysis.isTextual()) {
        SegmentAnalysis found = fromText(analysis.asText(), depth + 1, budget);
        if (found != null) {
          return found;
        }
      }
    }
    if (hasSegmentFields(node)) {
      return convert(node);
    }
    for (String member : TEXT_MEMBERS) {
      JsonNode v = node.get(member);
      if (v == null) {
        continue;
      }
      SegmentAnalysis found =
          v.isTextual() ? fromText(v.asText(), depth + 1, budget) : fromNode(v, depth + 1, budget);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static boolean hasSegmentFields(JsonNode node) {
    for (String field : SEGMENT_FIELDS) {
      if (node.has(field)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The analysis {@code node} holds, or {@code null} when it is not one the SDK can hand on: a
   * member of the wrong type, a number beyond {@link Json}'s bounds anywhere in it (its extra
   * members included, which are written back as plain JSON), or an {@code expectedEveryDays} beyond
   * the amounts {@link CustomerDataValidator} accepts.
   */
  private static @Nullable SegmentAnalysis convert(JsonNode node) {
    if (Json.unboundedNumber(node) != null) {
      return null;
    }
    SegmentAnalysis analysis;
    try {
      analysis = Json.MAPPER.treeToValue(node, SegmentAnalysis.class);
    } catch (JsonProcessingException | IllegalArgumentException | ArithmeticException e) {
      return null;
    }
    for (MissingRegular m : analysis.missingRegulars()) {
      BigDecimal every = m.expectedEveryDays();
      if (every != null && !CustomerDataValidator.isBoundedAmount(every)) {
        return null;
      }
    }
    return analysis;
  }

  /**
   * Parses {@code text} as one JSON value, or {@code null}. Text that cannot be one (it neither
   * starts nor ends like an object, array or string) is not handed to the parser at all.
   */
  private static @Nullable JsonNode parseWhole(String text, Budget budget) {
    String t = text.strip();
    if (t.length() < 2 || budget.spent()) {
      return null;
    }
    char first = t.charAt(0);
    char last = t.charAt(t.length() - 1);
    if (!(first == '{' && last == '}'
        || first == '[' && last == ']'
        || first == '"' && last == '"')) {
      return null;
    }
    budget.charge(t.length());
    try {
      return WHOLE.readTree(t);
    } catch (IOException | RuntimeException e) {
      budget.failed();
      return null;
    }
  }

  private static @Nullable JsonNode parsePrefix(String text, int start, Budget budget) {
    if (budget.spent()) {
      return null;
    }
    JsonParser p = null;
    try {
      p = Json.MAPPER.createParser(text.substring(start));
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      return Json.MAPPER.readTree(p);
    } catch (IOException | RuntimeException e) {
      budget.failed();
      return null;
    } finally {
      if (p != null) {
        budget.charge(Math.max(1, p.currentLocation().getCharOffset()));
        try {
          p.close();
        } catch (IOException e) {
          // nothing held
        }
      }
    }
  }

  /**
   * The work one extraction may do, so that no answer within the transport's size limit can stall
   * the caller: characters handed to the parser (a few times the answer's length, as nested and
   * embedded JSON is read again) and parse failures (each costs an exception). Once spent, nothing
   * more is parsed and the answer is malformed unless already found.
   */
  private static final class Budget {
    /** Parse failures allowed; a legitimate answer fails a handful of times. */
    private static final int MAX_FAILURES = 2_048;

    private long chars;
    private int failures = MAX_FAILURES;

    Budget(int length) {
      this.chars = 4L * length + (1 << 20);
    }

    boolean spent() {
      return chars <= 0 || failures <= 0;
    }

    void charge(long parsed) {
      chars -= parsed;
    }

    void failed() {
      failures--;
    }
  }
}
