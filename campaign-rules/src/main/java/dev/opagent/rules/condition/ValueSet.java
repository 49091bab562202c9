package dev.opagent.rules.condition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.rules.internal.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The operand of {@code $in}-like operators, indexed by type for allocation-free membership:
 * strings in a hash set, numbers in a sorted array. Membership is JavaScript's {@code includes}:
 * same type and value, no coercion. Immutable and thread-safe.
 */
final class ValueSet {
  /** Up to this many strings, a linear scan beats hashing. */
  private static final int SMALL = 4;

  private final Set<String> strings;
  private final String[] stringArray;
  private final double[] numbers;
  private final boolean hasTrue;
  private final boolean hasFalse;
  private final boolean hasNull;
  private final JsonNode[] containers;

  ValueSet(Iterable<JsonNode> values) {
    Set<String> s = new HashSet<>();
    List<String> sa = new ArrayList<>();
    List<Double> n = new ArrayList<>();
    List<JsonNode> c = new ArrayList<>();
    boolean t = false;
    boolean f = false;
    boolean nul = false;
    for (JsonNode v : values) {
      if (v.isTextual()) {
        String text = v.textValue().intern();
        if (s.add(text)) {
          sa.add(text);
        }
      } else if (v.isNumber()) {
        n.add(v.doubleValue() + 0.0);
      } else if (v.isBoolean()) {
        t |= v.booleanValue();
        f |= !v.booleanValue();
      } else if (v.isNull()) {
        nul = true;
      } else {
        c.add(v);
      }
    }
    this.strings = Set.copyOf(s);
    this.stringArray = sa.toArray(new String[0]);
    this.numbers = n.stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray();
    this.hasTrue = t;
    this.hasFalse = f;
    this.hasNull = nul;
    this.containers = c.toArray(new JsonNode[0]);
  }

  /** The members when every member is a string, else null. */
  String @Nullable [] onlyStrings() {
    boolean onlyStrings =
        numbers.length == 0 && !hasTrue && !hasFalse && !hasNull && containers.length == 0;
    return onlyStrings ? stringArray.clone() : null;
  }

  /** JavaScript {@code expected.includes(v)} (or case-insensitive for strings). */
  boolean contains(@Nullable Object v, boolean insensitive) {
    if (v == null) {
      return hasNull;
    }
    switch (Values.kind(v)) {
      case Values.STRING:
        {
          String text = Values.string(v);
          if (!insensitive) {
            if (stringArray.length <= SMALL) {
              for (String candidate : stringArray) {
                if (candidate.equals(text)) {
                  return true;
                }
              }
              return false;
            }
            return strings.contains(text);
          }
          for (String candidate : stringArray) {
            if (candidate.equalsIgnoreCase(text)) {
              return true;
            }
          }
          return false;
        }
      case Values.NUMBER:
        return numbers.length > 0 && Arrays.binarySearch(numbers, Values.number(v) + 0.0) >= 0;
      case Values.BOOLEAN:
        return Values.bool(v) ? hasTrue : hasFalse;
      case Values.NULL:
      case Values.ABSENT:
        return hasNull;
      default:
        for (JsonNode c : containers) {
          if (Values.jsonEquals(c, v)) {
            return true;
          }
        }
        return false;
    }
  }

  /** GrowthBook's isIn: intersection when the attribute is an array, membership otherwise. */
  boolean isIn(@Nullable Object actual, boolean insensitive) {
    if (actual != null && Values.kind(actual) == Values.ARRAY) {
      for (int i = 0, n = Values.size(actual); i < n; i++) {
        if (contains(Values.element(actual, i), insensitive)) {
          return true;
        }
      }
      return false;
    }
    return contains(actual, insensitive);
  }
}
