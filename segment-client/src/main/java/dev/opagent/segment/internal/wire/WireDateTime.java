package dev.opagent.segment.internal.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Date-times as the agent's payload carries them: the seed's zone-less form ({@code
 * 2026-01-15T00:00:00}, read as UTC), a plain date, or ISO-8601 with an offset. UTC values are
 * written back in the zone-less form the agent is known to accept; others keep their offset.
 */
public final class WireDateTime {
  /** Length of the zone-less form {@code uuuu-MM-dd'T'HH:mm:ss} of a four-digit year. */
  public static final int ZONELESS_LENGTH = 19;

  private static final DateTimeFormatter ZONELESS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  private WireDateTime() {}

  /**
   * Parses a wire date-time.
   *
   * @throws DateTimeParseException when the text is in none of the accepted forms
   */
  public static OffsetDateTime parse(String text) {
    String s = text.trim();
    // Try the form the text looks like first: a failed parse costs an exception.
    int time = s.indexOf('T');
    if (time < 0) {
      try {
        return LocalDate.parse(s).atStartOfDay().atOffset(ZoneOffset.UTC);
      } catch (DateTimeParseException notDate) {
        return parseInOrder(s);
      }
    }
    if (!hasOffset(s, time)) {
      try {
        return LocalDateTime.parse(s).atOffset(ZoneOffset.UTC);
      } catch (DateTimeParseException notZoneless) {
        return parseInOrder(s);
      }
    }
    return parseInOrder(s);
  }

  /**
   * Whether the time after index {@code time} carries a zone: {@code Z}, {@code +} or {@code -}.
   */
  private static boolean hasOffset(String s, int time) {
    for (int i = time + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 'Z' || c == 'z' || c == '+' || c == '-') {
        return true;
      }
    }
    return false;
  }

  private static OffsetDateTime parseInOrder(String s) {
    try {
      return OffsetDateTime.parse(s);
    } catch (DateTimeParseException withOffset) {
      try {
        return LocalDateTime.parse(s).atOffset(ZoneOffset.UTC);
      } catch (DateTimeParseException zoneless) {
        return LocalDate.parse(s).atStartOfDay().atOffset(ZoneOffset.UTC);
      }
    }
  }

  /** Formats a date-time for the wire. */
  public static String format(OffsetDateTime value) {
    char[] c = new char[ZONELESS_LENGTH];
    if (formatTo(value, c) > 0) {
      return new String(c);
    }
    if (value.getOffset().equals(ZoneOffset.UTC)) {
      return (value.getNano() == 0 ? ZONELESS : DateTimeFormatter.ISO_LOCAL_DATE_TIME)
          .format(value.toLocalDateTime());
    }
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value);
  }

  /**
   * Writes {@code value} into {@code into} as {@link #format(OffsetDateTime)} does and returns the
   * length, for the usual value (UTC, whole seconds, a year of four digits); returns 0 for any
   * other, which {@link #format(OffsetDateTime)} writes. {@code into} holds at least {@value
   * #ZONELESS_LENGTH} characters.
   */
  public static int formatTo(OffsetDateTime value, char[] into) {
    int year = value.getYear();
    if (value.getNano() != 0
        || year < 0
        || year > 9999
        || !value.getOffset().equals(ZoneOffset.UTC)) {
      return 0;
    }
    // As ZONELESS prints it, without the formatter's generic machinery.
    digits(into, 0, year, 4);
    into[4] = '-';
    digits(into, 5, value.getMonthValue(), 2);
    into[7] = '-';
    digits(into, 8, value.getDayOfMonth(), 2);
    into[10] = 'T';
    digits(into, 11, value.getHour(), 2);
    into[13] = ':';
    digits(into, 14, value.getMinute(), 2);
    into[16] = ':';
    digits(into, 17, value.getSecond(), 2);
    return ZONELESS_LENGTH;
  }

  /** Writes {@code value} (non-negative) as {@code width} zero-padded digits at {@code at}. */
  private static void digits(char[] into, int at, int value, int width) {
    int v = value;
    for (int i = at + width - 1; i >= at; i--) {
      into[i] = (char) ('0' + v % 10);
      v /= 10;
    }
  }

  /** Jackson deserializer for {@link #parse(String)}. */
  public static final class Deserializer extends JsonDeserializer<OffsetDateTime> {
    @Override
    public OffsetDateTime deserialize(JsonParser p, DeserializationContext ctxt)
        throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (OffsetDateTime)
            ctxt.handleUnexpectedToken(
                OffsetDateTime.class,
                p.currentToken(),
                p,
                "expected a date-time string such as 2026-01-15T00:00:00");
      }
      try {
        return parse(p.getText());
      } catch (DateTimeParseException e) {
        // The value itself is customer data: the message names the expected form, not the value.
        throw ctxt.weirdStringException(
            "",
            OffsetDateTime.class,
            "not a date-time; use 2026-01-15T00:00:00 or an ISO-8601 offset date-time");
      }
    }
  }

  /** Jackson serializer for {@link #format(OffsetDateTime)}. */
  public static final class Serializer extends JsonSerializer<OffsetDateTime> {
    @Override
    public void serialize(OffsetDateTime value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(format(value));
    }
  }
}
