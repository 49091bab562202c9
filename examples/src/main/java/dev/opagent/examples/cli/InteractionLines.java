package dev.opagent.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionType;
import dev.opagent.examples.internal.Json;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads one interaction per JSON line for {@code opagent feedback}. Stateless and thread-safe.
 *
 * <p>Fields, each with the seed's spelling as an alias: {@code type} ({@code interaction_type}),
 * {@code customerId} ({@code customer_id}, {@code user_id}), {@code campaign}, {@code at} ({@code
 * timestamp}, an ISO-8601 instant or offset date-time), optional {@code idempotencyKey} ({@code
 * idempotency_key}, {@code action_id}), {@code revenue} (conversions only) and the seed's {@code
 * conversion: true} (a conversion, when {@code type} is absent). Types: {@code delivered}, {@code
 * open}/{@code opened}, {@code click}/{@code clicked}, {@code coupon_used}/{@code coupon_use},
 * {@code conversion}/{@code converted}, with or without a channel prefix such as {@code
 * email_open}. Other fields are ignored. A line that cannot be read throws {@link LineException}
 * whose message names the line and the field to fix, never a value.
 */
final class InteractionLines {
  /** The longest customer id, campaign or key the operating store keeps. */
  static final int MAX_TEXT = 200;

  /** Exact decimals; a field given twice or anything after the object is an error. */
  private static final ObjectMapper MAPPER = Json.STRICT_EXACT;

  private static final List<String> TYPE = List.of("type", "interaction_type", "interactionType");
  private static final List<String> CUSTOMER = List.of("customerId", "customer_id", "user_id");
  private static final List<String> CAMPAIGN = List.of("campaign");
  private static final List<String> AT = List.of("at", "timestamp");
  private static final List<String> KEY = List.of("idempotencyKey", "idempotency_key", "action_id");
  private static final List<String> REVENUE = List.of("revenue");
  private static final List<String> CHANNELS = List.of("email_", "sms_", "push_", "in_app_");
  private static final Map<String, InteractionType> TYPES =
      Map.ofEntries(
          Map.entry("delivered", InteractionType.DELIVERED),
          Map.entry("open", InteractionType.OPENED),
          Map.entry("opened", InteractionType.OPENED),
          Map.entry("click", InteractionType.CLICKED),
          Map.entry("clicked", InteractionType.CLICKED),
          Map.entry("coupon_used", InteractionType.COUPON_USED),
          Map.entry("coupon_use", InteractionType.COUPON_USED),
          Map.entry("conversion", InteractionType.CONVERTED),
          Map.entry("converted", InteractionType.CONVERTED));
  private static final String TYPES_HINT =
      "delivered, opened, clicked, coupon_used or"
          + " conversion (open, click, coupon_use, converted and channel prefixes such as email_open"
          + " are accepted too)";

  private InteractionLines() {}

  /**
   * The interaction on line {@code line}.
   *
   * @throws LineException naming the line and the field to fix
   */
  static Interaction parse(String text, long line) {
    if (text.isBlank()) {
      throw new LineException(
          line, "the line is empty; every line must hold one interaction as" + " a JSON object");
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new LineException(
          line,
          "not valid JSON"
              + (e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr())
              + " (a field given twice counts as"
              + " invalid)");
    }
    if (n == null || !n.isObject()) {
      throw new LineException(
          line,
          "not a JSON object such as {\"type\": \"opened\","
              + " \"customerId\": …, \"campaign\": …, \"at\": \"2026-03-15T10:00:00Z\"}");
    }
    InteractionType type = type(n, line);
    String customerId = text(n, CUSTOMER, line, true, "the customer's id");
    String campaign = text(n, CAMPAIGN, line, true, "the campaign id, such as winback");
    String key = text(n, KEY, line, false, null);
    Instant at = at(n, line);
    BigDecimal revenue = revenue(n, type, line);
    return new Interaction(key, customerId, campaign, type, at, revenue);
  }

  private static InteractionType type(JsonNode n, long line) {
    JsonNode conversion = n.get("conversion");
    boolean converted = false;
    if (conversion != null && !conversion.isNull()) {
      if (!conversion.isBoolean()) {
        throw new LineException(line, "field conversion must be true or false");
      }
      converted = conversion.booleanValue();
    }
    String field = present(n, TYPE, line);
    if (field == null) {
      if (converted) {
        return InteractionType.CONVERTED;
      }
      throw new LineException(line, "field type is missing: give " + TYPES_HINT);
    }
    JsonNode v = n.get(field);
    if (!v.isTextual()) {
      throw new LineException(line, "field " + field + " must be a string: " + TYPES_HINT);
    }
    String t = v.asText().strip().toLowerCase(Locale.ROOT).replace('-', '_');
    InteractionType type = TYPES.get(t);
    if (type == null) {
      for (String prefix : CHANNELS) {
        if (t.startsWith(prefix)) {
          type = TYPES.get(t.substring(prefix.length()));
          break;
        }
      }
    }
    if (type == null) {
      try {
        type = InteractionType.valueOf(t.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new LineException(line, "field " + field + " must be " + TYPES_HINT);
      }
    }
    if (converted && type != InteractionType.CONVERTED) {
      throw new LineException(
          line,
          "field conversion is true but "
              + field
              + " is not a"
              + " conversion; report the conversion on a line of its own");
    }
    return type;
  }

  private static @Nullable String text(
      JsonNode n, List<String> names, long line, boolean required, @Nullable String what) {
    String field = present(n, names, line);
    if (field == null) {
      if (required) {
        throw new LineException(line, "field " + names.get(0) + " is missing: give " + what);
      }
      return null;
    }
    JsonNode v = n.get(field);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new LineException(line, "field " + field + " must be a non-blank string");
    }
    if (v.asText().length() > MAX_TEXT) {
      throw new LineException(
          line, "field " + field + " is longer than " + MAX_TEXT + " characters");
    }
    return v.asText();
  }

  private static Instant at(JsonNode n, long line) {
    String field = present(n, AT, line);
    if (field == null) {
      throw new LineException(
          line,
          "field at is missing: give when it happened as an ISO-8601"
              + " instant such as 2026-03-15T10:00:00Z");
    }
    JsonNode v = n.get(field);
    if (v.isTextual()) {
      String s = v.asText().strip();
      try {
        return Instant.parse(s);
      } catch (DateTimeException e) {
        try {
          return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeException again) {
          // the message below
        }
      }
    }
    throw new LineException(
        line,
        "field "
            + field
            + " must be an ISO-8601 instant such as"
            + " 2026-03-15T10:00:00Z or 2026-03-15T13:00:00+03:00");
  }

  private static @Nullable BigDecimal revenue(JsonNode n, InteractionType type, long line) {
    String field = present(n, REVENUE, line);
    if (field == null) {
      return null;
    }
    if (type != InteractionType.CONVERTED) {
      throw new LineException(
          line, "field revenue is only for conversions; remove it or set" + " type to conversion");
    }
    JsonNode v = n.get(field);
    BigDecimal revenue;
    if (v.isNumber()) {
      revenue = v.decimalValue();
    } else if (v.isTextual()) {
      try {
        revenue = new BigDecimal(v.asText().strip());
      } catch (NumberFormatException e) {
        throw new LineException(line, "field revenue must be a number such as 249.90");
      }
    } else {
      throw new LineException(line, "field revenue must be a number such as 249.90");
    }
    if (revenue.signum() < 0) {
      throw new LineException(line, "field revenue must not be negative");
    }
    if (revenue.precision() - revenue.scale() > 30 || revenue.scale() > 30) {
      throw new LineException(
          line,
          "field revenue must have at most 30 digits before and after" + " the decimal point");
    }
    return revenue;
  }

  /** The one name of {@code names} present (not null) in {@code n}, or null when none is. */
  private static @Nullable String present(JsonNode n, List<String> names, long line) {
    List<String> found = new ArrayList<>(1);
    for (String name : names) {
      JsonNode v = n.get(name);
      if (v != null && !v.isNull()) {
        found.add(name);
      }
    }
    if (found.size() > 1) {
      throw new LineException(
          line,
          "fields " + String.join(" and ", found) + " say the same" + " thing; give only one");
    }
    return found.isEmpty() ? null : found.get(0);
  }

  /** A line that cannot be read; the message names the line and the field, never a value. */
  static final class LineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LineException(long line, String problem) {
      super("line " + line + ": " + problem);
    }
  }
}
