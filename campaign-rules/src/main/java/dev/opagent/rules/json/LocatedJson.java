package dev.opagent.rules.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.rules.problem.Problem;
import dev.opagent.rules.problem.ProblemList;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses JSON into a Jackson tree while remembering, for every value, the line and column where it
 * starts. Positions are kept in a tree parallel to the JSON (one small record per value, keyed by
 * the object's own key strings or the array index), never as a pointer string per value, so memory
 * grows with the document's size and not with its size times its depth; pointer strings are built
 * only for the problems reported. Duplicate object keys are reported. Documents beyond the limits
 * below are rejected with a located problem. Thread-safe (stateless; each parse builds its own
 * result).
 */
public final class LocatedJson {
  /** Deepest nesting accepted; deeper documents are rejected with a located problem. */
  public static final int MAX_DEPTH = 200;

  /** Longest document accepted, in characters (4 MiB). */
  public static final int MAX_DOCUMENT_LENGTH = 4 * 1024 * 1024;

  /** Longest object key accepted, in characters. */
  public static final int MAX_KEY_LENGTH = 1000;

  /** Longest string value accepted, in characters (1 MiB). */
  public static final int MAX_STRING_LENGTH = 1024 * 1024;

  /** Longest number accepted, in characters (digits, sign, point and exponent). */
  public static final int MAX_NUMBER_LENGTH = 100;

  /** Most tokens (values, keys, brackets) accepted in one document. */
  public static final long MAX_TOKEN_COUNT = 1_000_000;

  /** Longest rendering of a string value in a message. */
  private static final int MAX_RENDER = 200;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH + 10)
                  .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                  .maxNameLength(MAX_KEY_LENGTH)
                  .maxStringLength(MAX_STRING_LENGTH)
                  .maxNumberLength(MAX_NUMBER_LENGTH)
                  .maxTokenCount(MAX_TOKEN_COUNT)
                  .build())
          .build();

  private final JsonNode root;
  private final @Nullable Loc locations;

  private LocatedJson(JsonNode root, @Nullable Loc locations) {
    this.root = root;
    this.locations = locations;
  }

  /** A tree without source positions (for conditions built in code). */
  public static LocatedJson unlocated(JsonNode root) {
    return new LocatedJson(root, null);
  }

  public JsonNode root() {
    return root;
  }

  /**
   * Where one value starts; for a container also where each child starts. Object children are keyed
   * by the tree's own key strings, so no text is copied; an array's scalar elements cost one packed
   * {@code long} each.
   */
  private static final class Loc {
    final long start;
    @Nullable Map<String, Loc> fields;
    long @Nullable [] itemStarts;
    @Nullable Loc @Nullable [] itemContainers;
    int itemCount;

    Loc(long start) {
      this.start = start;
    }

    void addItem(long itemStart, @Nullable Loc container) {
      if (itemStarts == null) {
        itemStarts = new long[4];
      } else if (itemCount == itemStarts.length) {
        itemStarts = Arrays.copyOf(itemStarts, itemCount * 2);
        if (itemContainers != null) {
          itemContainers = Arrays.copyOf(itemContainers, itemCount * 2);
        }
      }
      itemStarts[itemCount] = itemStart;
      if (container != null) {
        Loc[] containers = itemContainers;
        if (containers == null) {
          containers = new Loc[itemStarts.length];
          itemContainers = containers;
        }
        containers[itemCount] = container;
      }
      itemCount++;
    }
  }

  private static long pack(JsonLocation loc) {
    return ((long) Math.max(0, loc.getLineNr()) << 32) | Math.max(0, loc.getColumnNr());
  }

  /**
   * The line and column where the value at {@code pointer} starts; for a pointer that names
   * nothing, the position of its nearest existing ancestor; {@code {0, 0}} when unknown.
   */
  public long[] location(String pointer) {
    long found = find(pointer);
    return new long[] {found >>> 32, found & 0xFFFF_FFFFL};
  }

  private long find(String pointer) {
    Loc at = locations;
    if (at == null) {
      return 0;
    }
    int i = 0;
    int n = pointer.length();
    while (i < n && pointer.charAt(i) == '/') {
      int end = pointer.indexOf('/', i + 1);
      if (end < 0) {
        end = n;
      }
      String token = unescape(pointer.substring(i + 1, end));
      Loc next = null;
      if (at.fields != null) {
        next = at.fields.get(token);
      } else if (at.itemStarts != null) {
        int index = index(token);
        if (index < 0 || index >= at.itemCount) {
          break;
        }
        next = at.itemContainers == null ? null : at.itemContainers[index];
        if (next == null) {
          return at.itemStarts[index];
        }
      }
      if (next == null) {
        break;
      }
      at = next;
      i = end;
    }
    return at.start;
  }

  private static String unescape(String token) {
    if (token.indexOf('~') < 0) {
      return token;
    }
    return token.replace("~1", "/").replace("~0", "~");
  }

  private static int index(String token) {
    if (token.isEmpty() || token.length() > 9) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** A problem located at {@code pointer}. */
  public Problem problem(Problem.Severity severity, String pointer, String message) {
    long[] loc = location(pointer);
    return new Problem(severity, pointer, (int) loc[0], (int) loc[1], message);
  }

  /**
   * How a value reads in a message: {@code an object}, {@code an array}, {@code the string "x"}
   * (cut after 200 characters), {@code the number 5}, {@code true}, {@code null}. For "must be an
   * integer but was the string \"x\""-style messages, so every reader words a wrong type alike.
   */
  public static String describe(JsonNode n) {
    switch (n.getNodeType()) {
      case OBJECT:
        return "an object";
      case ARRAY:
        return "an array";
      case STRING:
        String s = n.toString();
        return "the string " + (s.length() <= MAX_RENDER ? s : s.substring(0, MAX_RENDER) + "…");
      case NUMBER:
        return "the number " + n;
      case BOOLEAN:
        return n.toString();
      case NULL:
        return "null";
      default:
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Appends a JSON-pointer token, escaped. */
  public static String child(String pointer, String token) {
    if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
      return pointer + "/" + token;
    }
    return pointer + "/" + Pointer.escape(token);
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
    ProblemList problems = new ProblemList();
    if (text.length() > MAX_DOCUMENT_LENGTH) {
      problems.add(
          new Problem(
              Problem.Severity.ERROR,
              "",
              1,
              1,
              "document is "
                  + text.length()
                  + " characters long, more than the "
                  + MAX_DOCUMENT_LENGTH
                  + " allowed; split it"));
      return new Parsed(null, problems.withSummary());
    }
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        problems.add(new Problem(Problem.Severity.ERROR, "", 1, 1, "document is empty"));
        return new Parsed(null, problems.withSummary());
      }
      Loc locations = new Loc(pack(p.currentTokenLocation()));
      JsonNode root = read(p, Pointer.of(""), locations, 0, problems, duplicateKeySeverity);
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
        return new Parsed(null, problems.withSummary());
      }
      return new Parsed(new LocatedJson(root, locations), problems.withSummary());
    } catch (DepthException e) {
      problems.add(
          new Problem(
              Problem.Severity.ERROR,
              e.pointer,
              e.line,
              e.column,
              "nesting deeper than " + MAX_DEPTH + " levels"));
      return new Parsed(null, problems.withSummary());
    } catch (StreamConstraintsException e) {
      JsonLocation loc = e.getLocation();
      problems.add(
          new Problem(
              Problem.Severity.ERROR,
              "",
              loc == null ? 0 : Math.max(0, loc.getLineNr()),
              loc == null ? 0 : Math.max(0, loc.getColumnNr()),
              limitMessage(e.getOriginalMessage())));
      return new Parsed(null, problems.withSummary());
    } catch (JsonProcessingException e) {
      // No pointer: the parser's context names the keys read so far, and a key may be data.
      JsonLocation loc = e.getLocation();
      problems.add(
          new Problem(
              Problem.Severity.ERROR,
              "",
              loc == null ? 0 : Math.max(0, loc.getLineNr()),
              loc == null ? 0 : Math.max(0, loc.getColumnNr()),
              "malformed JSON: "
                  + syntaxMessage(e.getOriginalMessage())
                  + "; fix the JSON at this line and column"));
      return new Parsed(null, problems.withSummary());
    } catch (IOException e) {
      problems.add(
          new Problem(Problem.Severity.ERROR, "", 0, 0, "cannot read JSON: " + e.getMessage()));
      return new Parsed(null, problems.withSummary());
    }
  }

  /** Says which limit a document broke and what to do, in the project's own terms. */
  private static String limitMessage(@Nullable String jackson) {
    String m = jackson == null ? "" : jackson;
    if (m.contains("Name length")) {
      return "an object key is longer than " + MAX_KEY_LENGTH + " characters; shorten it";
    }
    if (m.contains("String value length")) {
      return "a string is longer than " + MAX_STRING_LENGTH + " characters; shorten it";
    }
    if (m.contains("Number value length")) {
      return "a number is longer than "
          + MAX_NUMBER_LENGTH
          + " characters; write it with fewer"
          + " digits";
    }
    if (m.contains("nesting depth")) {
      return "nesting deeper than " + MAX_DEPTH + " levels";
    }
    if (m.contains("Document length")) {
      return "document is longer than " + MAX_DOCUMENT_LENGTH + " characters; split it";
    }
    if (m.contains("Token count")) {
      return "document has more than " + MAX_TOKEN_COUNT + " JSON tokens; split it";
    }
    return "document exceeds a size limit: " + firstLine(m);
  }

  /** Jackson's first line, without the text it quotes from the document or its source notes. */
  private static String syntaxMessage(@Nullable String jackson) {
    String m = firstLine(jackson);
    m = m.replaceAll("\\s*\\(start marker at \\[.*?\\]\\)", "");
    m = m.replaceAll("(?i)(unrecognized token|non-standard token) '[^']*'", "$1");
    m = m.replaceAll("\\s*at \\[Source: .*$", "");
    return m;
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
      Pointer pointer,
      Loc loc,
      int depth,
      ProblemList problems,
      Problem.Severity dupSeverity)
      throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT:
        {
          if (depth >= MAX_DEPTH) {
            throw new DepthException(pointer.toString(), (int) (loc.start >>> 32), (int) loc.start);
          }
          ObjectNode o = f.objectNode();
          Map<String, Loc> fields = new HashMap<>();
          loc.fields = fields;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonLocation keyLoc = p.currentTokenLocation();
            p.nextToken();
            Loc child = new Loc(pack(p.currentTokenLocation()));
            if (o.has(name)) {
              ProblemList.report(
                  problems,
                  dupSeverity,
                  () ->
                      new Problem(
                          dupSeverity,
                          pointer.child(name).toString(),
                          keyLoc.getLineNr(),
                          keyLoc.getColumnNr(),
                          "duplicate key '" + name + "'"));
            }
            JsonNode value = read(p, pointer.child(name), child, depth + 1, problems, dupSeverity);
            o.set(name, value);
            fields.put(name, child);
          }
          return o;
        }
      case START_ARRAY:
        {
          if (depth >= MAX_DEPTH) {
            throw new DepthException(pointer.toString(), (int) (loc.start >>> 32), (int) loc.start);
          }
          ArrayNode a = f.arrayNode();
          int i = 0;
          JsonToken item;
          while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
            long start = pack(p.currentTokenLocation());
            Loc child =
                item == JsonToken.START_OBJECT || item == JsonToken.START_ARRAY
                    ? new Loc(start)
                    : null;
            loc.addItem(start, child);
            a.add(
                read(
                    p,
                    pointer.child(i++),
                    child == null ? loc : child,
                    depth + 1,
                    problems,
                    dupSeverity));
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
      case VALUE_NUMBER_FLOAT:
        {
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
