package dev.opagent.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZoneDaysTest {
  /** Zones with daylight saving, changes at midnight, a skipped day and half-hour steps. */
  private static final List<ZoneId> ZONES =
      List.of(
          ZoneId.of("Europe/Istanbul"),
          ZoneId.of("Europe/Berlin"),
          ZoneId.of("America/Santiago"),
          ZoneId.of("America/Havana"),
          ZoneId.of("Pacific/Apia"),
          ZoneId.of("Australia/Lord_Howe"),
          ZoneId.of("Africa/Casablanca"),
          ZoneId.of("America/Sao_Paulo"),
          ZoneOffset.ofHours(3),
          ZoneOffset.UTC);

  @Test
  void epochDay_walkingThroughYearsOfTransitions_matchesTheUncachedDay() {
    ZoneDays days = new ZoneDays();
    long from = Instant.parse("2010-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("2027-01-01T00:00:00Z").getEpochSecond();
    for (ZoneId zone : ZONES) {
      for (long s = from; s < to; s += 7 * 60 + 13) {
        assertThat(days.epochDay(zone, s))
            .as("%s at %d", zone, s)
            .isEqualTo(ZoneDays.localEpochDay(zone, s));
      }
    }
  }

  @Test
  void epochDay_andStartOfDayBefore_inRandomOrderAroundTransitions_matchTheUncachedValues() {
    ZoneDays days = new ZoneDays();
    SplittableRandom random = new SplittableRandom(7);
    long from = Instant.parse("2010-01-01T00:00:00Z").getEpochSecond();
    for (ZoneId zone : ZONES) {
      var transitions = zone.getRules().getTransitions();
      for (int i = 0; i < 20_000; i++) {
        long s;
        if (!transitions.isEmpty() && random.nextBoolean()) {
          long t = transitions.get(random.nextInt(transitions.size())).toEpochSecond();
          s = t + random.nextLong(-2 * 86_400L, 2 * 86_400L);
        } else {
          s = from + random.nextLong(17L * 365 * 86_400);
        }
        long day = ZoneDays.localEpochDay(zone, s);
        assertThat(days.epochDay(zone, s)).as("%s at %d", zone, s).isEqualTo(day);
        int back = random.nextInt(40);
        assertThat(days.startOfDayBefore(zone, s, back))
            .as("%s at %d, %d back", zone, s, back)
            .isEqualTo(LocalDate.ofEpochDay(day - back).atStartOfDay(zone).toEpochSecond());
      }
    }
  }
}
