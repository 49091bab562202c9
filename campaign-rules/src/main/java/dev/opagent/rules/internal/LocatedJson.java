package dev.opagent.rules.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.rules.Problem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses JSON into a Jackson tree while remembering, for every value, the line and column where it
 * starts, keyed by JSON pointer. Duplicate object keys are reported. Thread-safe (stateless; each
 * parse builds its own result).
 */
public final class LocatedJson {
  /** Deepest nesting accepted; deeper documents are rejected with a located problem. */
  public static final int MAX_DEPTH = 200;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 10).build())
          .build();

  private final JsonNode root;
  private final Map<String, long[]> locations;

  private LocatedJson(JsonNode root, Map<String, long[]> locations) {
    this.root = root;
    this.locations = locations;
  }

  /** A tree without source positions (for conditions built in code). */
  public static LocatedJson unlocated(JsonNode root) {
    return new LocatedJson(root, Map.of());
  }

  public JsonNode root() {
    return root;
  }

  /**
   * The line and column where the value at {@code pointer} starts; for a pointer that names nothing,
   * the position of its nearest existing ancestor; {@code {0, 0}} when unknown.
   */
  public long[] location(String pointer) {
    String p = pointer;
    while (true) {
      long[] loc = locations.get(p);
      if (loc != null) {
        return loc;
      }
      if (p.isEmpty()) {
        return new long[] {0, 0};
      }
      int slash = p.lastIndexOf('/');
      p = slash <= 0 ? "" : p.substring(0, slash);
    }
  }

  /** A problem located at {@code pointer}. */
  public Problem problem(Problem.Severity severity, String pointer, String message) {
    long[] loc = location(pointer);
    return new Problem(severity, pointer, (int) loc[0], (int) loc[1], message);
  }

  /** Appends a JSON-pointer token, escaped. */
  public static String child(String pointer, String token) {
    if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
      return pointer + "/" + token;
    }
    return pointer + "/" + token.replace("~", "~0").replace("/", "~1");
  }

  public static String child(String pointer, int index) {
    return pointer + "/" + index;
  }

  /** Outcome of a parse: a tree, or the problems that prevented one. */
  public record Parsed(@Nullable LocatedJson json, List<Problem> problems) {}

  /**
   * Parses {@code text}. Syntax errors are returned as one located problem; duplicate keys as one
   * problem each (with {@code duplicateKeySeverity}), keeping the last value as JSON parsers do.
   */
  public static Parsed parse(String text, Problem.Severity duplicateKeySeverity) {
    List<Problem> problems = new ArrayList<>();
    Map<String, long[]> locations = new HashMap<>();
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        problems.add(new Problem(Problem.Severity.ERROR, "", 1, 1, "document is empty"));
        return new Parsed(null, problems);
      }
      JsonNode root = read(p, "", 0, locations, problems, duplicateKeySeverity);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        JsonLocation loc = p.currentTokenLocation();
        problems.add(
            new Problem(
                Problem.Severity.ERROR,
                "",
                loc.getLineNr(),
                loc.getColumnNr(),
                "unexpected content after the end of the document"));
        return new Parsed(null, problems);
      }
      return new Parsed(new LocatedJson(root, locations), problems);
    } catch (DepthException e) {
      problems.add(
          new Problem(
              Problem.Severity.ERROR,
              e.pointer,
              e.line,
              e.column,
              "nesting deeper than " + MAX_DEPTH + " levels"));
      return new Parsed(null, problems);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String pointer = "";
      if (e.getProcessor() instanceof JsonParser jp) {
        pointer = jp.getParsingContext().pathAsPointer().toString();
      }
      String message = e.getOriginalMessage();
      problems.add(
          new Problem(
              Problem.Severity.ERROR,
              pointer,
              loc == null ? 0 : Math.max(0, loc.getLineNr()),
              loc == null ? 0 : Math.max(0, loc.getColumnNr()),
              "malformed JSON: " + firstLine(message)));
      return new Parsed(null, problems);
    } catch (IOException e) {
      problems.add(
          new Problem(Problem.Severity.ERROR, "", 0, 0, "cannot read JSON: " + e.getMessage()));
      return new Parsed(null, problems);
    }
  }

  private static String firstLine(@Nullable String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static JsonNode read(
      JsonParser p,
      String pointer,
      int depth,
      Map<String, long[]> locations,
      List<Problem> problems,
      Problem.Severity dupSeverity)
      throws IOException {
    JsonLocation loc = p.currentTokenLocation();
    locations.put(pointer, new long[] {loc.getLineNr(), loc.getColumnNr()});
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT: {
        if (depth >= MAX_DEPTH) {
          throw new DepthException(pointer, loc.getLineNr(), loc.getColumnNr());
        }
        ObjectNode o = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonLocation keyLoc = p.currentTokenLocation();
          String childPointer = child(pointer, name);
          p.nextToken();
          if (o.has(name)) {
            problems.add(
                new Problem(
                    dupSeverity,
                    childPointer,
                    keyLoc.getLineNr(),
                    keyLoc.getColumnNr(),
                    "duplicate key '" + name + "'"));
          }
          o.set(name, read(p, childPointer, depth + 1, locations, problems, dupSeverity));
        }
        return o;
      }
      case START_ARRAY: {
        if (depth >= MAX_DEPTH) {
          throw new DepthException(pointer, loc.getLineNr(), loc.getColumnNr());
        }
        ArrayNode a = f.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(read(p, child(pointer, i++), depth + 1, locations, problems, dupSeverity));
        }
        return a;
      }
      case VALUE_STRING:
        return f.textNode(p.getText());
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return f.numberNode(p.getIntValue());
          case LONG:
            return f.numberNode(p.getLongValue());
          default:
            return f.numberNode(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT: {
        double d = p.getDoubleValue();
        if (Double.isInfinite(d)) {
          return f.numberNode(p.getDecimalValue());
        }
        return f.numberNode(d);
      }
      case VALUE_TRUE:
        return f.booleanNode(true);
      case VALUE_FALSE:
        return f.booleanNode(false);
      case VALUE_NULL:
        return f.nullNode();
      default:
        throw new IOException("unexpected token " + t);
    }
  }

  private static final class DepthException extends IOException {
    private static final long serialVersionUID = 1L;
    final String pointer;
    final int line;
    final int column;

    DepthException(String pointer, int line, int column) {
      super("too deep", null);
      this.pointer = pointer;
      this.line = line;
      this.column = column;
    }
  }
}
