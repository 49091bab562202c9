package dev.opagent.rules.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opagent.rules.spi.AttributePath;
import dev.opagent.rules.spi.Attributes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads JSON-like Java values (String, Number, Boolean, List, Map, JsonNode, null, ABSENT) without
 * allocating, and implements the JavaScript coercions GrowthBook's conditions rely on. Stateless
 * and thread-safe.
 */
public final class Values {
  public static final int ABSENT = 0;
  public static final int NULL = 1;
  public static final int BOOLEAN = 2;
  public static final int NUMBER = 3;
  public static final int STRING = 4;
  public static final int ARRAY = 5;
  public static final int OBJECT = 6;
  public static final int OTHER = 7;

  private Values() {}

  public static int kind(@Nullable Object v) {
    if (v == null) {
      return NULL;
    }
    if (v instanceof String) {
      return STRING;
    }
    if (v instanceof Number) {
      return NUMBER;
    }
    if (v instanceof Boolean) {
      return BOOLEAN;
    }
    if (v == Attributes.ABSENT) {
      return ABSENT;
    }
    if (v instanceof JsonNode n) {
      switch (n.getNodeType()) {
        case MISSING:
          return ABSENT;
        case NULL:
          return NULL;
        case BOOLEAN:
          return BOOLEAN;
        case NUMBER:
          return NUMBER;
        case STRING:
          return STRING;
        case ARRAY:
          return ARRAY;
        case OBJECT:
          return OBJECT;
        default:
          return OTHER;
      }
    }
    if (v instanceof List) {
      return ARRAY;
    }
    if (v instanceof Map) {
      return OBJECT;
    }
    if (v instanceof CharSequence || v instanceof Enum) {
      return STRING;
    }
    return OTHER;
  }

  /** The text of a STRING-kind value. */
  public static String string(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof JsonNode n) {
      return n.textValue();
    }
    if (v instanceof Enum<?> e) {
      return e.name();
    }
    return v.toString();
  }

  /** The value of a NUMBER-kind value. */
  public static double number(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    return ((JsonNode) v).doubleValue();
  }

  /** The value of a BOOLEAN-kind value. */
  public static boolean bool(Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    return ((JsonNode) v).booleanValue();
  }

  /** Size of an ARRAY-kind value. */
  public static int size(Object v) {
    if (v instanceof List<?> l) {
      return l.size();
    }
    return ((JsonNode) v).size();
  }

  /** Element {@code i} of an ARRAY-kind value. */
  public static @Nullable Object element(Object v, int i) {
    if (v instanceof List<?> l) {
      return l.get(i);
    }
    return ((JsonNode) v).get(i);
  }

  /** Field of an OBJECT-kind value, or ABSENT. */
  public static @Nullable Object field(Object v, String name) {
    if (v instanceof Map<?, ?> m) {
      Object r = m.get(name);
      if (r == null && !m.containsKey(name)) {
        return Attributes.ABSENT;
      }
      return r;
    }
    JsonNode r = ((JsonNode) v).get(name);
    return r == null ? Attributes.ABSENT : r;
  }

  /**
   * Follows {@code path} from {@code root} as GrowthBook's getPath does (objects and array
   * indexes).
   */
  public static @Nullable Object getPath(@Nullable Object root, AttributePath path) {
    Object current = root;
    for (int i = 0, n = path.size(); i < n; i++) {
      if (current instanceof Map<?, ?> m) {
        String name = path.segment(i);
        Object r = m.get(name);
        if (r == null && !m.containsKey(name)) {
          return Attributes.ABSENT;
        }
        current = r;
        continue;
      }
      if (current == null) {
        return Attributes.ABSENT;
      }
      int k = kind(current);
      if (k == OBJECT) {
        current = field(current, path.segment(i));
      } else if (k == ARRAY) {
        int index = arrayIndex(path.segment(i));
        if (index < 0 || index >= size(current)) {
          return Attributes.ABSENT;
        }
        current = element(current, index);
      } else {
        return Attributes.ABSENT;
      }
    }
    return current;
  }

  private static int arrayIndex(String s) {
    int n = s.length();
    if (n == 0 || n > 9 || (n > 1 && s.charAt(0) == '0')) {
      return -1;
    }
    int r = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      r = r * 10 + (c - '0');
    }
    return r;
  }

  /** JavaScript truthiness. */
  public static boolean truthy(@Nullable Object v) {
    if (v == null) {
      return false;
    }
    switch (kind(v)) {
      case ABSENT:
      case NULL:
        return false;
      case BOOLEAN:
        return bool(v);
      case NUMBER:
        double d = number(v);
        return d != 0 && !Double.isNaN(d);
      case STRING:
        return !string(v).isEmpty();
      default:
        return true;
    }
  }

  /**
   * JSON equality: same kind and value; numbers compare numerically, objects ignore key order, null
   * and absent are equal.
   */
  public static boolean jsonEquals(@Nullable Object a, @Nullable Object b) {
    int ka = kind(a);
    int kb = kind(b);
    if (ka == ABSENT) {
      ka = NULL;
    }
    if (kb == ABSENT) {
      kb = NULL;
    }
    if (ka != kb) {
      return false;
    }
    if (a == null || b == null) {
      return true; // both of kind NULL
    }
    switch (ka) {
      case NULL:
        return true;
      case BOOLEAN:
        return bool(a) == bool(b);
      case NUMBER:
        return number(a) == number(b);
      case STRING:
        return string(a).equals(string(b));
      case ARRAY:
        {
          int n = size(a);
          if (n != size(b)) {
            return false;
          }
          for (int i = 0; i < n; i++) {
            if (!jsonEquals(element(a, i), element(b, i))) {
              return false;
            }
          }
          return true;
        }
      case OBJECT:
        return objectEquals(a, b);
      default:
        return a.equals(b);
    }
  }

  private static boolean objectEquals(Object a, Object b) {
    if (fieldCount(a) != fieldCount(b)) {
      return false;
    }
    if (a instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object other = field(b, String.valueOf(e.getKey()));
        if (other == Attributes.ABSENT || !jsonEquals(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    for (Map.Entry<String, JsonNode> e : ((JsonNode) a).properties()) {
      Object other = field(b, e.getKey());
      if (other == Attributes.ABSENT || !jsonEquals(e.getValue(), other)) {
        return false;
      }
    }
    return true;
  }

  private static int fieldCount(Object o) {
    return o instanceof Map<?, ?> m ? m.size() : ((JsonNode) o).size();
  }

  /**
   * JavaScript ToNumber for the scalar kinds; null and absent are 0 (GrowthBook reads a missing
   * attribute as null); arrays of length 0 or 1 follow ToPrimitive; anything else is NaN.
   */
  public static double toNumber(@Nullable Object v) {
    if (v == null) {
      return 0;
    }
    switch (kind(v)) {
      case ABSENT:
      case NULL:
        return 0;
      case BOOLEAN:
        return bool(v) ? 1 : 0;
      case NUMBER:
        return number(v);
      case STRING:
        return stringToNumber(string(v));
      case ARRAY:
        {
          int n = size(v);
          if (n == 0) {
            return 0;
          }
          if (n == 1) {
            Object e = element(v, 0);
            int k = kind(e);
            return k == NULL || k == ABSENT
                ? 0
                : k == ARRAY || k == OBJECT ? Double.NaN : toNumber(e);
          }
          return Double.NaN;
        }
      default:
        return Double.NaN;
    }
  }

  /** JavaScript StringToNumber. */
  public static double stringToNumber(String raw) {
    int start = 0;
    int end = raw.length();
    while (start < end && isJsWhitespace(raw.charAt(start))) {
      start++;
    }
    while (end > start && isJsWhitespace(raw.charAt(end - 1))) {
      end--;
    }
    if (start == end) {
      return 0;
    }
    String s = (start == 0 && end == raw.length()) ? raw : raw.substring(start, end);
    if (s.length() > 2 && s.charAt(0) == '0') {
      char p = Character.toLowerCase(s.charAt(1));
      int radix = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
      if (radix != 0) {
        double r = 0;
        for (int i = 2; i < s.length(); i++) {
          int d = Character.digit(s.charAt(i), radix);
          if (d < 0) {
            return Double.NaN;
          }
          r = r * radix + d;
        }
        return r;
      }
    }
    int i = 0;
    boolean negative = false;
    if (s.charAt(0) == '+' || s.charAt(0) == '-') {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    if (s.startsWith("Infinity", i) && i + 8 == s.length()) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    int digits = 0;
    while (i < s.length() && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return Double.NaN;
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exp = 0;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
        exp++;
      }
      if (exp == 0) {
        return Double.NaN;
      }
    }
    if (i != s.length()) {
      return Double.NaN;
    }
    return Double.parseDouble(s);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isJsWhitespace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
  }

  /**
   * JavaScript's relational comparison of two values: both strings compare by UTF-16 code units,
   * anything else numerically after ToNumber. Returns {@code Integer.MIN_VALUE} when the values are
   * not comparable (a NaN is involved), otherwise a negative, zero or positive number.
   */
  public static int jsCompare(@Nullable Object a, @Nullable Object b) {
    if (a != null && b != null && kind(a) == STRING && kind(b) == STRING) {
      int c = string(a).compareTo(string(b));
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    double x = toNumber(a);
    double y = toNumber(b);
    if (Double.isNaN(x) || Double.isNaN(y)) {
      return Integer.MIN_VALUE;
    }
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /** JavaScript's String(number). */
  public static String numberToString(Object v) {
    if (v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Byte
        || v instanceof BigInteger) {
      return v.toString();
    }
    double d = number(v);
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e21) {
      return new BigDecimal(d).toBigInteger().toString();
    }
    return Double.toString(d);
  }

  /** The text GrowthBook's regex and version operators see for a value, or null when none. */
  public static @Nullable String scalarText(@Nullable Object v) {
    if (v == null) {
      return null;
    }
    switch (kind(v)) {
      case STRING:
        return string(v);
      case NUMBER:
        return numberToString(v);
      case BOOLEAN:
        return bool(v) ? "true" : "false";
      default:
        return null;
    }
  }

  /** GrowthBook's $type name of a value. */
  public static String typeName(@Nullable Object v) {
    switch (kind(v)) {
      case ABSENT:
      case NULL:
        return "null";
      case BOOLEAN:
        return "boolean";
      case NUMBER:
        return "number";
      case STRING:
        return "string";
      case ARRAY:
        return "array";
      case OBJECT:
        return "object";
      default:
        return "unknown";
    }
  }

  /** Copies a JSON-like value into a Jackson tree, for explanations; ABSENT becomes Java null. */
  /** The members of a saved group as a JSON array ({@code null} members become JSON null). */
  public static com.fasterxml.jackson.databind.node.ArrayNode toJsonArray(
      java.util.Collection<?> members) {
    com.fasterxml.jackson.databind.node.ArrayNode array =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    for (Object m : members) {
      JsonNode n = toJsonNode(m);
      array.add(
          n == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.nullNode() : n);
    }
    return array;
  }

  public static @Nullable JsonNode toJsonNode(@Nullable Object v) {
    return toJsonNode(v, 0);
  }

  private static @Nullable JsonNode toJsonNode(@Nullable Object v, int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (depth > 64) {
      return f.textNode("…");
    }
    if (v == null) {
      return f.nullNode();
    }
    switch (kind(v)) {
      case ABSENT:
        return null;
      case NULL:
        return f.nullNode();
      case BOOLEAN:
        return f.booleanNode(bool(v));
      case NUMBER:
        if (v instanceof JsonNode n) {
          return n;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
          return f.numberNode(((Number) v).intValue());
        }
        if (v instanceof Long l) {
          return f.numberNode(l);
        }
        if (v instanceof BigDecimal bd) {
          return f.numberNode(bd);
        }
        if (v instanceof BigInteger bi) {
          return f.numberNode(bi);
        }
        return f.numberNode(number(v));
      case STRING:
        return f.textNode(string(v));
      case ARRAY:
        {
          ArrayNode a = f.arrayNode();
          for (int i = 0, n = size(v); i < n; i++) {
            JsonNode e = toJsonNode(element(v, i), depth + 1);
            a.add(e == null ? f.nullNode() : e);
          }
          return a;
        }
      case OBJECT:
        {
          if (v instanceof JsonNode n) {
            return n;
          }
          ObjectNode o = f.objectNode();
          for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
            JsonNode c = toJsonNode(e.getValue(), depth + 1);
            if (c != null) {
              o.set(String.valueOf(e.getKey()), c);
            }
          }
          return o;
        }
      default:
        return f.textNode(String.valueOf(v));
    }
  }
}
