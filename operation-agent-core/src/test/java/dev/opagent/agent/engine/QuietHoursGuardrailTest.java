package dev.opagent.agent.engine;

import static dev.opagent.agent.engine.Scenarios.action;
import static dev.opagent.agent.engine.Scenarios.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.Channel;
import dev.opagent.agent.policy.QuietHours;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuietHoursGuardrailTest {
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  private static final List<Channel> ALL = List.of(Channel.EMAIL, Channel.SMS, Channel.PUSH);

  private final MutableClock clock = MutableClock.at("2026-03-14T19:00:00Z");

  private DecisionEngine engine(QuietHours hours) {
    return DecisionEngine.builder()
        .clock(clock)
        .policy(Scenarios.bare().addQuietHours(hours).build())
        .build();
  }

  private static QuietHours nights() {
    return new QuietHours(LocalTime.of(21, 0), LocalTime.of(9, 0), Set.of(Channel.SMS));
  }

  private PlannedAction sms(DecisionEngine engine, ZoneId zone) {
    return engine
        .decide(Scenarios.customer("C-1", zone, ALL, campaign("reminder", 50, action("send_sms"))))
        .candidates()
        .get(0);
  }

  @Test
  void crossingMidnight_lateEvening_defersToNineNextMorningLocal() {
    clock.set(Instant.parse("2026-03-14T19:30:00Z")); // 22:30 in Istanbul

    PlannedAction a = sms(engine(nights()), ISTANBUL);

    assertThat(a.status()).isEqualTo(ActionStatus.DEFERRED);
    assertThat(a.reason()).isEqualTo(ReasonCode.QUIET_HOURS);
    assertThat(a.until()).isEqualTo(Instant.parse("2026-03-15T06:00:00Z"));
  }

  @Test
  void crossingMidnight_earlyMorning_defersToNineTheSameDay() {
    clock.set(Instant.parse("2026-03-15T00:30:00Z")); // 03:30 in Istanbul

    assertThat(sms(engine(nights()), ISTANBUL).until())
        .isEqualTo(Instant.parse("2026-03-15T06:00:00Z"));
  }

  @Test
  void crossingMidnight_atTheEndMinute_allows() {
    clock.set(Instant.parse("2026-03-15T06:00:00Z")); // 09:00 in Istanbul

    assertThat(sms(engine(nights()), ISTANBUL).status()).isEqualTo(ActionStatus.CHOSEN);
  }

  @Test
  void crossingMidnight_atTheStartMinute_defers() {
    clock.set(Instant.parse("2026-03-14T18:00:00Z")); // 21:00 in Istanbul

    assertThat(sms(engine(nights()), ISTANBUL).status()).isEqualTo(ActionStatus.DEFERRED);
  }

  @Test
  void sameInstant_differentZones_onlyTheNightZoneDefers() {
    clock.set(Instant.parse("2026-03-14T19:30:00Z")); // 22:30 Istanbul, 15:30 New York

    DecisionEngine engine = engine(nights());

    assertThat(sms(engine, ISTANBUL).status()).isEqualTo(ActionStatus.DEFERRED);
    assertThat(sms(engine, ZoneId.of("America/New_York")).status()).isEqualTo(ActionStatus.CHOSEN);
  }

  @Test
  void quietHours_channelNotListed_isNotAffected() {
    clock.set(Instant.parse("2026-03-14T19:30:00Z"));

    Decision d =
        engine(nights())
            .decide(
                Scenarios.customer(
                    "C-1", ISTANBUL, ALL, campaign("retention", 50, action("send_email"))));

    assertThat(d.chosen()).hasSize(1);
  }

  @Test
  void windowWithinOneDay_defersToItsEnd() {
    clock.set(Instant.parse("2026-03-14T10:00:00Z")); // 13:00 in Istanbul
    QuietHours lunch =
        new QuietHours(LocalTime.of(12, 0), LocalTime.of(14, 0), Set.of(Channel.SMS));

    assertThat(sms(engine(lunch), ISTANBUL).until())
        .isEqualTo(Instant.parse("2026-03-14T11:00:00Z"));
  }

  @Test
  void delayedAction_sendTimeFallsIntoQuietHours_defers() {
    clock.set(Instant.parse("2026-03-14T17:30:00Z")); // 20:30, sent at 21:30 local
    DecisionEngine engine = engine(nights());

    PlannedAction a =
        engine
            .decide(
                Scenarios.customer(
                    "C-1",
                    ISTANBUL,
                    ALL,
                    campaign("reminder", 50, Scenarios.delayed("send_sms", Duration.ofHours(1)))))
            .candidates()
            .get(0);

    assertThat(a.plannedAt()).isEqualTo(Instant.parse("2026-03-14T18:30:00Z"));
    assertThat(a.status()).isEqualTo(ActionStatus.DEFERRED);
  }

  @Test
  void daylightSavingStart_endInsideTheGap_resolvesForward() {
    // Berlin skips 02:00–03:00 on 2026-03-29; quiet until 02:30 ends at 03:30 CEST = 01:30Z.
    clock.set(Instant.parse("2026-03-28T23:30:00Z")); // 00:30 CET
    QuietHours h = new QuietHours(LocalTime.of(22, 0), LocalTime.of(2, 30), Set.of(Channel.SMS));

    assertThat(sms(engine(h), ZoneId.of("Europe/Berlin")).until())
        .isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
  }

  @Test
  void quietHours_sameStartAndEnd_isRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new QuietHours(LocalTime.NOON, LocalTime.NOON, Set.of(Channel.SMS)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("quiet hours must not start and end at the same time (12:00)");
  }
}
