package dev.opagent.segment.internal.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The SDK's shared, immutable Jackson configuration, and the bounds every JSON it reads must keep.
 * Thread-safe.
 *
 * <p>Reading is bounded ({@link StreamReadConstraints}): a number token has at most {@value
 * #MAX_NUMBER_LENGTH} characters, a string at most {@value #MAX_STRING_LENGTH}, a document at most
 * {@value #MAX_DOCUMENT_LENGTH} and nesting at most {@value #MAX_NESTING_DEPTH} levels. Jackson
 * does not bound a decimal's exponent ({@code 1e50000000} is ten characters), so every number of a
 * tree that was read is checked too ({@link #unboundedNumber(JsonNode)}): at most {@value
 * #MAX_NUMBER_DIGITS} digits before and after the decimal point. Such a check never turns a number
 * into a double, long or BigInteger first, which is what would cost unbounded work.
 */
public final class Json {
  /** Most characters of one number token. */
  public static final int MAX_NUMBER_LENGTH = 100;

  /** Most characters of one string value. */
  public static final int MAX_STRING_LENGTH = 20_000_000;

  /** Most levels of nested arrays and objects. */
  public static final int MAX_NESTING_DEPTH = 200;

  /** Most characters (or bytes) of one document: a payload of AgentCore's limit and a margin. */
  public static final long MAX_DOCUMENT_LENGTH = 128L * 1024 * 1024;

  /** Most digits a number may have before, and after, its decimal point. */
  public static final int MAX_NUMBER_DIGITS = 100;

  /** Why a number was refused; names the limit, never the value. */
  public static final String NUMBER_REASON =
      "must be a number with at most "
          + MAX_NUMBER_DIGITS
          + " digits before and "
          + MAX_NUMBER_DIGITS
          + " after the decimal point";

  private static final StreamReadConstraints READ_CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxNumberLength(MAX_NUMBER_LENGTH)
          .maxStringLength(MAX_STRING_LENGTH)
          .maxNestingDepth(MAX_NESTING_DEPTH)
          .maxDocumentLength(MAX_DOCUMENT_LENGTH)
          .build();

  /** Mapper for the wire: lenient on unknown members (they are preserved), strict on types. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder(JsonFactory.builder().streamReadConstraints(READ_CONSTRAINTS).build())
          .disable(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          // Money keeps its scale: 479.20 stays 479.20 and 75.0 is not sent back as 75.
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .enable(com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .build();

  /** Mapper whose output is canonical: object members sorted, so equal data hashes equally. */
  public static final ObjectMapper CANONICAL =
      JsonMapper.builder(JsonFactory.builder().streamReadConstraints(READ_CONSTRAINTS).build())
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  /** Longest member name quoted in a path; longer ones are cut, since names come from input. */
  private static final int MAX_PATH_NAME = 64;

  private Json() {}

  /**
   * JSON that could not be read within the bounds: {@link #path()} says where (for example {@code
   * .customer.productHistory[0].avgDaysBetween}, empty for the whole document) and {@link
   * #reason()} why. Neither ever contains a value of the input.
   */
  public static final class UnreadableJsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;

    UnreadableJsonException(String path, String reason) {
      super((path.isEmpty() ? "the document" : path) + " " + reason, null, false, false);
      this.path = path;
      this.reason = reason;
    }

    /** Where, relative to the document: {@code .name} and {@code [index]} steps. */
    public String path() {
      return path;
    }

    /** Why, naming the limit. */
    public String reason() {
      return reason;
    }
  }

  /**
   * Reads {@code json} into a tree within the bounds, every number included.
   *
   * @throws UnreadableJsonException naming where and why, when it is not JSON or breaks a bound
   */
  public static JsonNode readTree(String json) {
    try (JsonParser p = MAPPER.createParser(json)) {
      return readTree(p);
    } catch (IOException e) {
      throw new UnreadableJsonException("", "could not be read");
    }
  }

  /**
   * Reads {@code json} (UTF-8 or another encoding JSON allows) into a tree within the bounds.
   *
   * @throws UnreadableJsonException naming where and why, when it is not JSON or breaks a bound
   */
  public static JsonNode readTree(byte[] json) {
    try (JsonParser p = MAPPER.createParser(json)) {
      return readTree(p);
    } catch (IOException e) {
      throw new UnreadableJsonException("", "could not be read");
    }
  }

  private static JsonNode readTree(JsonParser p) {
    JsonNode node;
    try {
      node = MAPPER.readTree(p);
    } catch (StreamConstraintsException e) {
      throw new UnreadableJsonException(path(p.getParsingContext()), limitReason(e));
    } catch (JsonProcessingException e) {
      throw new UnreadableJsonException(
          "",
          "is not valid JSON"
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")"));
    } catch (IOException e) {
      throw new UnreadableJsonException("", "could not be read");
    } catch (NumberFormatException | ArithmeticException e) {
      // BigDecimal refuses an exponent beyond an int ("1e9999999999"): a number out of bounds.
      throw new UnreadableJsonException(path(p.getParsingContext()), NUMBER_REASON);
    }
    if (node == null || node.isMissingNode()) {
      throw new UnreadableJsonException("", "is empty");
    }
    String bad = unboundedNumber(node);
    if (bad != null) {
      throw new UnreadableJsonException(bad, NUMBER_REASON);
    }
    return node;
  }

  /**
   * The path of the first number in {@code node} (itself included) that is not finite or has more
   * than {@value #MAX_NUMBER_DIGITS} digits before or after its decimal point, or {@code null} when
   * every number is within bounds. Walks the tree without recursion; never expands a number.
   */
  public static @Nullable String unboundedNumber(JsonNode node) {
    Deque<Map.Entry<String, JsonNode>> todo = new ArrayDeque<>();
    todo.push(Map.entry("", node));
    while (!todo.isEmpty()) {
      Map.Entry<String, JsonNode> next = todo.pop();
      JsonNode n = next.getValue();
      if (n == null) {
        continue;
      }
      if (n.isNumber()) {
        if (!isBoundedNumber(n)) {
          return next.getKey();
        }
      } else if (n.isObject()) {
        List<Map.Entry<String, JsonNode>> children = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : n.properties()) {
          children.add(Map.entry(next.getKey() + "." + pathName(f.getKey()), f.getValue()));
        }
        Collections.reverse(children);
        children.forEach(todo::push);
      } else if (n.isArray()) {
        for (int i = n.size() - 1; i >= 0; i--) {
          todo.push(Map.entry(next.getKey() + "[" + i + "]", n.get(i)));
        }
      }
    }
    return null;
  }

  /**
   * Whether {@code value} has at most {@code maxIntegerDigits} digits before its decimal point and
   * at most {@code maxScale} after it. Cheap whatever the exponent: it reads the scale and the
   * unscaled value's length and never expands the number.
   */
  public static boolean isBounded(BigDecimal value, int maxIntegerDigits, int maxScale) {
    int scale = value.scale();
    if (scale > maxScale) {
      return false;
    }
    // More than 4 bits a digit is more digits than allowed; this bounds precision()'s work.
    if (value.unscaledValue().bitLength() > 4L * ((long) maxIntegerDigits + maxScale) + 4) {
      return false;
    }
    return (long) value.precision() - scale <= maxIntegerDigits;
  }

  private static boolean isBoundedNumber(JsonNode n) {
    if (n.isBigDecimal()) {
      return isBounded(n.decimalValue(), MAX_NUMBER_DIGITS, MAX_NUMBER_DIGITS);
    }
    if (n.isBigInteger()) {
      BigInteger v = n.bigIntegerValue();
      return v.bitLength() <= 4L * MAX_NUMBER_DIGITS
          && isBounded(new BigDecimal(v), MAX_NUMBER_DIGITS, 0);
    }
    if (n.isDouble() || n.isFloat()) {
      double d = n.doubleValue();
      return Double.isFinite(d) && Math.abs(d) < 1e100;
    }
    return true; // int, long, short: bounded by their type
  }

  private static String limitReason(StreamConstraintsException e) {
    String m = String.valueOf(e.getOriginalMessage());
    if (m.startsWith("Number value length")) {
      return "must be a number of at most " + MAX_NUMBER_LENGTH + " characters";
    }
    if (m.startsWith("String value length") || m.startsWith("Name length")) {
      return "must be a string of at most " + MAX_STRING_LENGTH + " characters";
    }
    if (m.startsWith("Document nesting depth")) {
      return "must be nested at most " + MAX_NESTING_DEPTH + " levels deep";
    }
    if (m.startsWith("Document length")) {
      return "must be at most " + MAX_DOCUMENT_LENGTH + " bytes long";
    }
    return "exceeds the reader's limits";
  }

  /** The path of {@code ctx}, root first, as {@code .name} and {@code [index]} steps. */
  static String path(@Nullable JsonStreamContext ctx) {
    List<String> steps = new ArrayList<>();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject()) {
        if (c.getCurrentName() != null) {
          steps.add("." + pathName(c.getCurrentName()));
        }
      } else if (c.inArray()) {
        steps.add("[" + Math.max(0, c.getCurrentIndex()) + "]");
      }
    }
    Collections.reverse(steps);
    return String.join("", steps);
  }

  /**
   * {@code name} as a step of an error's path: member names come from input, so a long one is cut
   * to {@value #MAX_PATH_NAME} characters.
   */
  public static String pathName(String name) {
    return name.length() <= MAX_PATH_NAME ? name : name.substring(0, MAX_PATH_NAME) + "…";
  }

  /** An unmodifiable, insertion-ordered copy of extra members; empty for {@code null}. */
  public static Map<String, JsonNode> extras(@Nullable Map<String, JsonNode> extra) {
    if (extra == null || extra.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  /** A new empty object node. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}
