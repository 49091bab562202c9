package dev.opagent.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Generates a JSON Schema (draft 2020-12) from an argument record: components become properties,
 * required unless annotated {@code @Nullable} or typed {@code Optional}; unknown properties are
 * rejected. Stateless and thread-safe.
 *
 * <p>Supported component types: {@code String}, {@code boolean}, integral and decimal numbers
 * ({@code BigDecimal}, {@code BigInteger} included), enums (their constant names), {@code List},
 * {@code Set} and arrays, {@code Map<String, V>}, {@code JsonNode} (any JSON), {@code Optional} and
 * nested records.
 */
final class RecordSchemas {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 8;

  private RecordSchemas() {}

  /**
   * The schema of {@code type}.
   *
   * @throws IllegalArgumentException if {@code type} is not a record or a component's type is not
   *     supported
   */
  public static ObjectNode forRecord(Class<?> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(
          type.getName() + " is not a record; give the tool's" + " input schema explicitly");
    }
    return record(type, new ArrayList<>());
  }

  private static ObjectNode record(Class<?> type, List<Class<?>> path) {
    if (path.contains(type) || path.size() >= MAX_DEPTH) {
      throw new IllegalArgumentException(
          "record " + type.getName() + " is recursive or nested too deeply for a generated schema");
    }
    path.add(type);
    ObjectNode s = F.objectNode();
    s.put("type", "object");
    Description d = type.getAnnotation(Description.class);
    if (d != null) {
      s.put("description", d.value());
    }
    ObjectNode props = s.putObject("properties");
    ArrayNode required = F.arrayNode();
    for (RecordComponent c : type.getRecordComponents()) {
      boolean optional =
          c.getType() == Optional.class
              || c.getAnnotatedType().isAnnotationPresent(Nullable.class)
              || c.isAnnotationPresent(Nullable.class);
      Type generic = c.getGenericType();
      if (c.getType() == Optional.class) {
        generic = typeArgument(generic, 0, c.getName());
      }
      ObjectNode p = schemaOf(generic, c.getName(), path);
      Description cd = c.getAnnotation(Description.class);
      if (cd != null) {
        p.put("description", cd.value());
      }
      props.set(c.getName(), p);
      if (!optional) {
        required.add(c.getName());
      }
    }
    if (!required.isEmpty()) {
      s.set("required", required);
    }
    s.put("additionalProperties", false);
    path.remove(path.size() - 1);
    return s;
  }

  private static ObjectNode schemaOf(Type t, String where, List<Class<?>> path) {
    ObjectNode s = F.objectNode();
    Class<?> raw = raw(t, where);
    if (raw == String.class || raw == CharSequence.class) {
      s.put("type", "string");
    } else if (raw == boolean.class || raw == Boolean.class) {
      s.put("type", "boolean");
    } else if (raw == int.class
        || raw == Integer.class
        || raw == long.class
        || raw == Long.class
        || raw == short.class
        || raw == Short.class
        || raw == byte.class
        || raw == Byte.class
        || raw == BigInteger.class) {
      s.put("type", "integer");
    } else if (raw == double.class
        || raw == Double.class
        || raw == float.class
        || raw == Float.class
        || raw == BigDecimal.class) {
      s.put("type", "number");
    } else if (raw.isEnum()) {
      s.put("type", "string");
      ArrayNode values = s.putArray("enum");
      for (Object e : raw.getEnumConstants()) {
        values.add(((Enum<?>) e).name());
      }
    } else if (raw.isArray()) {
      s.put("type", "array");
      s.set("items", schemaOf(raw.getComponentType(), where, path));
    } else if (Collection.class.isAssignableFrom(raw)) {
      s.put("type", "array");
      s.set("items", schemaOf(typeArgument(t, 0, where), where, path));
      if (java.util.Set.class.isAssignableFrom(raw)) {
        s.put("uniqueItems", true);
      }
    } else if (Map.class.isAssignableFrom(raw)) {
      if (raw(typeArgument(t, 0, where), where) != String.class) {
        throw new IllegalArgumentException("component '" + where + "': map keys must be strings");
      }
      s.put("type", "object");
      s.set("additionalProperties", schemaOf(typeArgument(t, 1, where), where, path));
    } else if (JsonNode.class.isAssignableFrom(raw)) {
      return s;
    } else if (raw.isRecord()) {
      return record(raw, path);
    } else {
      throw new IllegalArgumentException(
          "component '"
              + where
              + "' has type "
              + raw.getName()
              + ", which a generated schema does not support; use String, a number, boolean, an"
              + " enum, a list, a map, JsonNode or a record, or give the schema explicitly");
    }
    return s;
  }

  private static Class<?> raw(Type t, String where) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    }
    throw new IllegalArgumentException(
        "component '"
            + where
            + "' has type "
            + t.getTypeName()
            + ", which a generated schema does not support");
  }

  private static Type typeArgument(Type t, int i, String where) {
    if (t instanceof ParameterizedType p && p.getActualTypeArguments().length > i) {
      return p.getActualTypeArguments()[i];
    }
    throw new IllegalArgumentException("component '" + where + "' needs type arguments");
  }
}
