package dev.opagent.converse.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

/**
 * Converts between the AWS SDK's {@link Document}s (tool inputs, tool results, input schemas) and
 * Jackson trees, bounded in depth. Stateless and thread-safe.
 */
public final class Documents {
  /** The deepest nesting converted; deeper values are refused, not recursed into. */
  public static final int MAX_DEPTH = 200;

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Documents() {}

  /** A value nested deeper than {@link #MAX_DEPTH}. */
  public static final class TooDeepException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    TooDeepException() {
      super("the value nests deeper than " + MAX_DEPTH + " levels");
    }
  }

  /**
   * {@code document} as a Jackson tree.
   *
   * @throws TooDeepException when it nests deeper than {@link #MAX_DEPTH}
   */
  public static JsonNode toJson(Document document) {
    return toJson(document, 0);
  }

  /**
   * {@code node} as a document.
   *
   * @throws TooDeepException when it nests deeper than {@link #MAX_DEPTH}
   */
  public static Document fromJson(JsonNode node) {
    return fromJson(node, 0);
  }

  private static JsonNode toJson(Document d, int depth) {
    if (depth > MAX_DEPTH) {
      throw new TooDeepException();
    }
    if (d.isNull()) {
      return F.nullNode();
    }
    if (d.isBoolean()) {
      return F.booleanNode(d.asBoolean());
    }
    if (d.isString()) {
      return F.textNode(d.asString());
    }
    if (d.isNumber()) {
      return number(d.asNumber());
    }
    if (d.isList()) {
      ArrayNode array = F.arrayNode();
      for (Document e : d.asList()) {
        array.add(toJson(e, depth + 1));
      }
      return array;
    }
    ObjectNode object = F.objectNode();
    for (Map.Entry<String, Document> e : d.asMap().entrySet()) {
      object.set(e.getKey(), toJson(e.getValue(), depth + 1));
    }
    return object;
  }

  private static JsonNode number(SdkNumber n) {
    String text = n.stringValue();
    if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
      try {
        BigInteger i = new BigInteger(text);
        return i.bitLength() < 64 ? F.numberNode(i.longValue()) : F.numberNode(i);
      } catch (NumberFormatException e) {
        // NaN or Infinity: below
      }
    }
    try {
      return F.numberNode(new BigDecimal(text));
    } catch (NumberFormatException e) {
      return F.textNode(text);
    }
  }

  private static Document fromJson(JsonNode n, int depth) {
    if (depth > MAX_DEPTH) {
      throw new TooDeepException();
    }
    if (n.isObject()) {
      Map<String, Document> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        map.put(e.getKey(), fromJson(e.getValue(), depth + 1));
      }
      return Document.fromMap(map);
    }
    if (n.isArray()) {
      List<Document> list = new ArrayList<>(n.size());
      for (JsonNode e : n) {
        list.add(fromJson(e, depth + 1));
      }
      return Document.fromList(list);
    }
    if (n.isBoolean()) {
      return Document.fromBoolean(n.booleanValue());
    }
    if (n.isIntegralNumber()) {
      return Document.fromNumber(n.bigIntegerValue());
    }
    if (n.isNumber()) {
      return Document.fromNumber(n.decimalValue());
    }
    if (n.isTextual()) {
      return Document.fromString(n.textValue());
    }
    if (n.isBinary()) {
      return Document.fromString(n.asText());
    }
    return Document.fromNull();
  }
}
