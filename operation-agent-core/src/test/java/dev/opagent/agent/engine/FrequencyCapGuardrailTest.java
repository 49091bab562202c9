package dev.opagent.agent.engine;

import static dev.opagent.agent.engine.Scenarios.action;
import static dev.opagent.agent.engine.Scenarios.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.Channel;
import dev.opagent.agent.policy.CapWindow;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.policy.FrequencyCap;
import dev.opagent.agent.spi.Contact;
import dev.opagent.rules.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrequencyCapGuardrailTest {
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final List<Channel> ALL = List.of(Channel.EMAIL, Channel.SMS, Channel.PUSH);

  private final MutableClock clock = MutableClock.at("2026-03-14T21:30:00Z");
  private final InMemoryContactHistory history = new InMemoryContactHistory();

  private DecisionEngine engine(FrequencyCap... caps) {
    DecisionPolicy.Builder p = Scenarios.bare().maxActionsPerCustomer(3);
    for (FrequencyCap c : caps) {
      p.addFrequencyCap(c);
    }
    return DecisionEngine.builder().policy(p.build()).clock(clock).contactHistory(history).build();
  }

  private void sent(String customer, Channel channel, String at) {
    history.record(customer, Contact.of(channel, Instant.parse(at), "earlier", "send_x"));
  }

  private static Verdict.Eligible email(int priority) {
    return campaign("retention", priority, action("send_email"));
  }

  @Test
  void calendarDay_contactBeforeLocalMidnight_allowsAfterLocalMidnight() {
    // 20:30Z is 23:30 on the 14th in Istanbul; now (21:30Z) is 00:30 on the 15th there.
    sent("C-1", Channel.EMAIL, "2026-03-14T20:30:00Z");
    DecisionEngine engine = engine(FrequencyCap.of(Channel.EMAIL, 1, CapWindow.calendarDays(1)));

    Decision d = engine.decide(Scenarios.customer("C-1", ISTANBUL, ALL, email(50)));

    assertThat(d.chosen()).hasSize(1);
  }

  @Test
  void calendarDay_sameInstantsInUtc_defersToNextUtcMidnight() {
    sent("C-1", Channel.EMAIL, "2026-03-14T20:30:00Z");
    DecisionEngine engine = engine(FrequencyCap.of(Channel.EMAIL, 1, CapWindow.calendarDays(1)));

    PlannedAction a =
        engine
            .decide(Scenarios.customer("C-1", ZoneId.of("UTC"), ALL, email(50)))
            .candidates()
            .get(0);

    assertThat(a.status()).isEqualTo(ActionStatus.DEFERRED);
    assertThat(a.reason()).isEqualTo(ReasonCode.FREQUENCY_CAP);
    assertThat(a.until()).isEqualTo(Instant.parse("2026-03-15T00:00:00Z"));
  }

  @Test
  void rolling_contactBeforeLocalMidnight_defersUntilTheWindowPassesIt() {
    sent("C-1", Channel.EMAIL, "2026-03-14T20:30:00Z");
    DecisionEngine engine =
        engine(FrequencyCap.of(Channel.EMAIL, 1, CapWindow.rolling(Duration.ofHours(24))));

    PlannedAction a =
        engine.decide(Scenarios.customer("C-1", ISTANBUL, ALL, email(50))).candidates().get(0);

    assertThat(a.status()).isEqualTo(ActionStatus.DEFERRED);
    assertThat(a.until()).isEqualTo(Instant.parse("2026-03-15T20:30:00Z"));
  }

  @Test
  void rolling_contactOlderThanTheWindow_allows() {
    sent("C-1", Channel.EMAIL, "2026-03-13T21:29:59Z");
    DecisionEngine engine =
        engine(FrequencyCap.of(Channel.EMAIL, 1, CapWindow.rolling(Duration.ofHours(24))));

    assertThat(engine.decide(Scenarios.customer("C-1", ISTANBUL, ALL, email(50))).chosen())
        .hasSize(1);
  }

  @Test
  void calendarDay_onDaylightSavingDay_defersToTheExactLocalMidnight() {
    // 2026-03-08 in New York has 23 hours: EST until 02:00, EDT after.
    clock.set(Instant.parse("2026-03-08T20:00:00Z"));
    sent("C-1", Channel.EMAIL, "2026-03-08T05:30:00Z");
    DecisionEngine engine = engine(FrequencyCap.of(Channel.EMAIL, 1, CapWindow.calendarDays(1)));

    PlannedAction a =
        engine.decide(Scenarios.customer("C-1", NEW_YORK, ALL, email(50))).candidates().get(0);

    assertThat(a.until()).isEqualTo(Instant.parse("2026-03-09T04:00:00Z"));
  }

  @Test
  void calendarDays_twoDayWindow_countsYesterdayAndFreesTheDayAfterTomorrow() {
    sent("C-1", Channel.SMS, "2026-03-14T06:00:00Z"); // 09:00 on the 14th in Istanbul
    DecisionEngine engine = engine(FrequencyCap.of(Channel.SMS, 1, CapWindow.calendarDays(2)));

    PlannedAction a =
        engine
            .decide(
                Scenarios.customer(
                    "C-1", ISTANBUL, ALL, campaign("reminder", 50, action("send_sms"))))
            .candidates()
            .get(0);

    assertThat(a.status()).isEqualTo(ActionStatus.DEFERRED);
    assertThat(a.until()).isEqualTo(Instant.parse("2026-03-15T21:00:00Z")); // 16th, 00:00 local
  }

  @Test
  void rolling_maxTwo_defersUntilTheOldestCountedContactLeaves() {
    sent("C-1", Channel.EMAIL, "2026-03-10T10:00:00Z");
    sent("C-1", Channel.EMAIL, "2026-03-12T10:00:00Z");
    sent("C-1", Channel.EMAIL, "2026-03-13T10:00:00Z");
    DecisionEngine engine =
        engine(FrequencyCap.of(Channel.EMAIL, 2, CapWindow.rolling(Duration.ofDays(7))));

    PlannedAction a =
        engine.decide(Scenarios.customer("C-1", ISTANBUL, ALL, email(50))).candidates().get(0);

    // three in the window, two allowed: two must leave, the second oldest leaves last
    assertThat(a.until()).isEqualTo(Instant.parse("2026-03-19T10:00:00Z"));
    assertThat(a.deciding().message()).isEqualTo("3 of 2 email contacts in the last PT168H");
  }

  @Test
  void overall_countsEveryContactChannel() {
    sent("C-1", Channel.EMAIL, "2026-03-13T10:00:00Z");
    sent("C-1", Channel.SMS, "2026-03-14T10:00:00Z");
    DecisionEngine engine = engine(FrequencyCap.overall(2, CapWindow.rolling(Duration.ofDays(7))));

    PlannedAction a =
        engine
            .decide(
                Scenarios.customer("C-1", ISTANBUL, ALL, campaign("app", 50, action("send_push"))))
            .candidates()
            .get(0);

    assertThat(a.reason()).isEqualTo(ReasonCode.FREQUENCY_CAP);
    assertThat(a.until()).isEqualTo(Instant.parse("2026-03-20T10:00:00Z"));
  }

  @Test
  void bypass_priorityAtThreshold_passesWithBypassVerdict_lowerPriorityDefers() {
    sent("C-1", Channel.EMAIL, "2026-03-14T21:00:00Z");
    sent("C-2", Channel.EMAIL, "2026-03-14T21:00:00Z");
    DecisionEngine engine =
        engine(FrequencyCap.of(Channel.EMAIL, 1, CapWindow.calendarDays(1)).bypassFrom(75));

    PlannedAction high =
        engine
            .decide(Scenarios.customer("C-1", ZoneId.of("UTC"), ALL, email(75)))
            .candidates()
            .get(0);
    PlannedAction low =
        engine
            .decide(Scenarios.customer("C-2", ZoneId.of("UTC"), ALL, email(74)))
            .candidates()
            .get(0);

    assertThat(high.status()).isEqualTo(ActionStatus.CHOSEN);
    assertThat(high.verdicts())
        .extracting(GuardrailVerdict::reason)
        .contains(ReasonCode.CAP_BYPASSED);
    assertThat(low.status()).isEqualTo(ActionStatus.DEFERRED);
  }

  @Test
  void withinOneRun_plannedContactsCountAgainstLaterDecisions() {
    DecisionEngine engine = engine(FrequencyCap.of(Channel.EMAIL, 1, CapWindow.calendarDays(1)));
    DecisionRun run = engine.startRun(RunMode.LIVE);

    Decision first = run.decide(Scenarios.customer("C-1", ISTANBUL, ALL, email(50)));
    Decision second =
        run.decide(
            Scenarios.customer(
                "C-1", ISTANBUL, ALL, campaign("replenishment", 50, action("send_email"))));

    assertThat(first.chosen()).hasSize(1);
    assertThat(run.plannedContacts("C-1")).hasSize(1);
    assertThat(second.candidates().get(0).reason())
        .isIn(ReasonCode.RUN_CAP_CHANNEL, ReasonCode.FREQUENCY_CAP);
  }

  @Test
  void withinOneDecision_chosenContactCountsForTheOverallCap() {
    DecisionEngine engine = engine(FrequencyCap.overall(1, CapWindow.rolling(Duration.ofDays(1))));

    Decision d =
        engine.decide(
            Scenarios.customer(
                "C-1",
                ISTANBUL,
                ALL,
                campaign("retention", 75, action("send_email")),
                campaign("app", 50, action("send_push"))));

    assertThat(d.chosen()).extracting(PlannedAction::actionType).containsExactly("send_email");
    assertThat(d.withStatus(ActionStatus.DEFERRED))
        .extracting(PlannedAction::reason)
        .containsExactly(ReasonCode.FREQUENCY_CAP);
  }

  @Test
  void release_deliveredContactInHistory_isCountedOnceForTheCustomersNextDecision() {
    DecisionEngine engine = engine(FrequencyCap.of(Channel.EMAIL, 2, CapWindow.calendarDays(1)));
    DecisionRun run = engine.startRun(RunMode.LIVE);
    PlannedAction first =
        run.decide(Scenarios.customer("C-1", ISTANBUL, ALL, email(50))).chosen().get(0);
    assertThat(run.plannedContacts("C-1")).hasSize(1);
    // Delivered: the contact is in the history now.
    engine.settle(first, null);
    assertThat(history.contactsSince("C-1", Instant.EPOCH)).hasSize(1);

    run.release(List.of("C-1"));

    assertThat(run.plannedContacts("C-1")).isEmpty();
    Decision again =
        run.decide(
            Scenarios.customer(
                "C-1", ISTANBUL, ALL, campaign("winback", 40, action("send_email"))));
    assertThat(again.chosen()).hasSize(1);
  }
}
