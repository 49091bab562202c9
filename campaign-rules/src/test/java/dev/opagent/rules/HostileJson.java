package dev.opagent.rules;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generates hostile JSON-ish text: random structure over a vocabulary of keys, wrong types, deep
 * nesting, numbers far outside double range, long strings and keys, duplicate keys, non-JSON tokens
 * (NaN, Infinity) and truncated documents.
 */
final class HostileJson {
  private HostileJson() {}

  static final List<String> HOSTILE_SCALARS =
      List.of(
          "null",
          "true",
          "false",
          "0",
          "-0",
          "-1",
          "1",
          "2.5",
          "100",
          "101",
          "1e400",
          "-1e400",
          "1e999999999",
          "-1e999999999",
          "1e-999999999",
          "1E+2147483647",
          "0.0000000000000000001",
          "123456789012345678901234567890",
          "9223372036854775808",
          "-9223372036854775809",
          "NaN",
          "Infinity",
          "-Infinity",
          "\"NaN\"",
          "\"1e999999999\"",
          "\"\"",
          "\" \"",
          "\"\\u0000\"",
          "\"\\ud800\"",
          "\"(\"",
          "\"(a+)+$\"",
          "\".*.*.*.*=.*\"",
          "\"(a)\\\\1\"",
          "\"(?=a)\"",
          "\"~/\"",
          "\"2026-03-01\"",
          "\"2026-02-30\"",
          "\"+999999999-12-31\"",
          "\"Europe/Istanbul\"",
          "\"Mars/Olympus\"",
          "\"PT5M\"",
          "\"P999999999999D\"",
          "\"-PT1M\"",
          "\"21:00\"",
          "\"25:61\"",
          "\"EUR\"",
          "\"XXX\"",
          "\"send_email\"",
          "\"sms\"",
          "\"high\"",
          "\"1.2.3\"",
          "\"string\"",
          "\"g\"",
          "\"CAMPAIGN\"",
          "[]",
          "{}");

  /**
   * Documents over {@code keys}, each {@code scalars} or {@link #HOSTILE_SCALARS} at the leaves.
   */
  static Arbitrary<String> documents(List<String> keys, List<String> scalars, int depth) {
    Arbitrary<String> doc = value(keys, scalars, depth);
    return Combinators.combine(
            doc,
            Arbitraries.integers().between(0, 9),
            Arbitraries.integers().between(0, Integer.MAX_VALUE))
        .as((text, mode, at) -> mangle(text, mode, at));
  }

  /** Sometimes truncates, nests deeply, or appends trailing garbage. */
  private static String mangle(String text, int mode, int at) {
    switch (mode) {
      case 0:
        return text.substring(0, text.isEmpty() ? 0 : at % text.length());
      case 1:
        return "[".repeat(250 + at % 400) + text + "]".repeat(250 + at % 400);
      case 2:
        return text + " " + text;
      default:
        return text;
    }
  }

  static Arbitrary<String> value(List<String> keys, List<String> scalars, int depth) {
    Arbitrary<String> leaves =
        Arbitraries.oneOf(
            Arbitraries.of(scalars.isEmpty() ? HOSTILE_SCALARS : scalars),
            Arbitraries.of(HOSTILE_SCALARS),
            Arbitraries.strings().ofMaxLength(12).map(HostileJson::quote),
            Arbitraries.integers().between(1, 6000).map(n -> quote("a".repeat(n))),
            Arbitraries.integers().between(1, 400).map(n -> "9".repeat(n)),
            Arbitraries.integers().between(150, 260).map(n -> deep(n, n % 2 == 0)));
    if (depth == 0) {
      return leaves;
    }
    Arbitrary<String> inner = Arbitraries.lazy(() -> value(keys, scalars, depth - 1));
    Arbitrary<String> key =
        Arbitraries.oneOf(
            Arbitraries.of(keys),
            Arbitraries.of(keys),
            Arbitraries.strings().ofMaxLength(8),
            Arbitraries.integers().between(900, 1100).map("k"::repeat));
    Arbitrary<String> objects =
        Combinators.combine(key, inner)
            .as((k, v) -> quote(k) + ": " + v)
            .list()
            .ofMaxSize(6)
            .map(members -> "{" + String.join(", ", members) + "}");
    Arbitrary<String> arrays =
        inner.list().ofMaxSize(5).map(items -> "[" + String.join(", ", items) + "]");
    return Arbitraries.frequencyOf(Tuple.of(3, leaves), Tuple.of(5, objects), Tuple.of(2, arrays));
  }

  /** {@code n} levels of nested arrays or single-key objects around 0. */
  static String deep(int n, boolean objects) {
    return objects
        ? "{\"a\":".repeat(n) + "0" + "}".repeat(n)
        : "[".repeat(n) + "0" + "]".repeat(n);
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
