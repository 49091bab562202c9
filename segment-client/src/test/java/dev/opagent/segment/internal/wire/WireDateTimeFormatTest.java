package dev.opagent.segment.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Date-times are written as the formatters of the wire form write them: zone-less {@code
 * uuuu-MM-dd'T'HH:mm:ss} for UTC values without a fraction, ISO local with a fraction, ISO with the
 * offset otherwise, for every year a date-time can have (padded, signed beyond 9999, negative).
 */
class WireDateTimeFormatTest {
  private static final DateTimeFormatter ZONELESS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  @Property(tries = 5000)
  void format_anyDateTime_asTheFormattersWriteIt(@ForAll long seed) {
    Random r = new Random(seed);
    int year =
        switch (r.nextInt(5)) {
          case 0 -> r.nextInt(10);
          case 1 -> 9990 + r.nextInt(20);
          case 2 -> -r.nextInt(3000);
          case 3 -> r.nextInt(999_999);
          default -> 1 + r.nextInt(9999);
        };
    OffsetDateTime t =
        OffsetDateTime.of(
            year,
            1 + r.nextInt(12),
            1 + r.nextInt(28),
            r.nextInt(24),
            r.nextInt(60),
            r.nextInt(60),
            r.nextBoolean() ? 0 : r.nextInt(1_000_000_000),
            r.nextInt(3) == 0 ? ZoneOffset.ofHours(r.nextInt(25) - 12) : ZoneOffset.UTC);
    String expected =
        !t.getOffset().equals(ZoneOffset.UTC)
            ? DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t)
            : t.getNano() == 0
                ? ZONELESS.format(t.toLocalDateTime())
                : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t.toLocalDateTime());
    assertThat(WireDateTime.format(t)).isEqualTo(expected);
    char[] into = new char[WireDateTime.ZONELESS_LENGTH];
    int length = WireDateTime.formatTo(t, into);
    if (length > 0) {
      assertThat(new String(into, 0, length)).isEqualTo(expected);
    } else {
      assertThat(
              t.getNano() != 0
                  || t.getYear() < 0
                  || t.getYear() > 9999
                  || !t.getOffset().equals(ZoneOffset.UTC))
          .isTrue();
    }
  }
}
