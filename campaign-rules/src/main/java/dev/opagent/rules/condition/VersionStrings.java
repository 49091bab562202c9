package dev.opagent.rules.condition;

import dev.opagent.rules.internal.Values;
import org.jspecify.annotations.Nullable;

/**
 * GrowthBook's padded version strings: {@code v1.2.3-rc.1+build} becomes {@code " 1- 2- 3-rc- 1"},
 * so that version order is string order. Thread-safe; the evaluation-time variant writes into a
 * per-thread buffer instead of allocating.
 */
final class VersionStrings {
  private static final ThreadLocal<StringBuilder> BUFFER =
      ThreadLocal.withInitial(() -> new StringBuilder(64));

  private VersionStrings() {}

  /** The padded form of {@code input} as a new string (used at compile time). */
  public static String padded(@Nullable Object input) {
    StringBuilder sb = new StringBuilder();
    pad(input, sb);
    return sb.toString();
  }

  /**
   * Compares the padded form of {@code actual} with an already padded {@code expected}, without
   * allocating once the thread's buffer is warm.
   */
  public static int compare(@Nullable Object actual, String expectedPadded) {
    StringBuilder sb = BUFFER.get();
    sb.setLength(0);
    pad(actual, sb);
    int n = Math.min(sb.length(), expectedPadded.length());
    for (int i = 0; i < n; i++) {
      char a = sb.charAt(i);
      char b = expectedPadded.charAt(i);
      if (a != b) {
        return a < b ? -1 : 1;
      }
    }
    return Integer.compare(sb.length(), expectedPadded.length());
  }

  private static void pad(@Nullable Object input, StringBuilder out) {
    String s;
    int k = Values.kind(input);
    if (input != null && k == Values.NUMBER) {
      s = Values.numberToString(input);
    } else if (input != null && k == Values.STRING) {
      s = Values.string(input);
    } else {
      s = null;
    }
    if (s == null || s.isEmpty()) {
      s = "0";
    }
    int start = s.startsWith("v") ? 1 : 0;
    int end = s.indexOf('+', start);
    if (end < 0) {
      end = s.length();
    }
    int parts = 0;
    int partStart = start;
    for (int i = start; i <= end; i++) {
      if (i == end || s.charAt(i) == '-' || s.charAt(i) == '.') {
        if (parts > 0) {
          out.append('-');
        }
        appendPart(s, partStart, i, out);
        parts++;
        partStart = i + 1;
      }
    }
    if (parts == 3) {
      out.append("-~");
    }
  }

  private static void appendPart(String s, int from, int to, StringBuilder out) {
    boolean numeric = to > from;
    for (int i = from; i < to && numeric; i++) {
      char c = s.charAt(i);
      numeric = c >= '0' && c <= '9';
    }
    if (numeric) {
      for (int pad = 5 - (to - from); pad > 0; pad--) {
        out.append(' ');
      }
    }
    out.append(s, from, to);
  }
}
