package dev.opagent.segment.internal;

/**
 * Makes short excerpts of agent answers safe for error messages: punctuation and the member names
 * of the agent protocol are kept, so the shape is visible, while letters become {@code x} and
 * digits {@code #} everywhere else (other member names included, as an agent may key by customer
 * data). Stateless and thread-safe.
 */
public final class Redactor {
  private static final java.util.Set<String> PROTOCOL_NAMES =
      java.util.Set.of(
          "analysis",
          "ageSegment",
          "churnSegment",
          "valueSegment",
          "loyaltyTier",
          "affinityType",
          "diversityProfile",
          "missingRegulars",
          "productId",
          "category",
          "expectedEveryDays",
          "daysSinceLastPurchase",
          "daysOverdue",
          "lastPurchase",
          "result",
          "output",
          "response",
          "message",
          "content",
          "text",
          "delta",
          "data",
          "error",
          "errors",
          "status",
          "type",
          "event",
          "id",
          "code",
          "reason",
          "detail",
          "details",
          "customerId",
          "customerData",
          "customer",
          "name",
          "age");

  /** Characters of the answer an excerpt shows at most. */
  public static final int EXCERPT_CHARS = 80;

  private Redactor() {}

  /** A redacted excerpt of the start of {@code text}; the raw start when {@code reveal} is on. */
  public static String excerpt(String text, boolean reveal) {
    String head = text.strip();
    boolean cut = head.length() > EXCERPT_CHARS;
    if (cut) {
      head = head.substring(0, EXCERPT_CHARS);
    }
    String shown = reveal ? head : mask(head);
    return shown + (cut ? "…" : "");
  }

  /** Masks values but keeps JSON member names (a quoted string followed by a colon). */
  static String mask(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        int end = closingQuote(s, i + 1);
        String body = s.substring(i + 1, Math.min(end, s.length()));
        boolean isKey = end < s.length() && nextNonSpace(s, end + 1) == ':';
        out.append('"').append(isKey && PROTOCOL_NAMES.contains(body) ? body : maskChars(body));
        if (end < s.length()) {
          out.append('"');
        }
        i = end + 1;
      } else {
        out.append(maskChar(c));
        i++;
      }
    }
    return out.toString();
  }

  private static int closingQuote(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i;
      }
    }
    return s.length();
  }

  private static char nextNonSpace(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (!Character.isWhitespace(s.charAt(i))) {
        return s.charAt(i);
      }
    }
    return 0;
  }

  private static String maskChars(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      out.append(maskChar(s.charAt(i)));
    }
    return out.toString();
  }

  private static char maskChar(char c) {
    if (Character.isDigit(c)) {
      return '#';
    }
    if (Character.isLetter(c)) {
      return 'x';
    }
    return c;
  }
}
