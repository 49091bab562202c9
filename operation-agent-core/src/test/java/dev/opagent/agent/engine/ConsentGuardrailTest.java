package dev.opagent.agent.engine;

import static dev.opagent.agent.engine.Scenarios.action;
import static dev.opagent.agent.engine.Scenarios.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.Channel;
import dev.opagent.agent.policy.ConversionPrior;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsentGuardrailTest {
  private final MutableClock clock = MutableClock.at("2026-03-15T12:00:00Z");
  private final DecisionEngine engine =
      DecisionEngine.builder().policy(Scenarios.bare().build()).clock(clock).build();

  @Test
  void decide_unknownConsent_blocksWithConsentMissing() {
    Decision d =
        engine.decide(
            Scenarios.customer(
                "C-1",
                ZoneId.of("UTC"),
                List.of(),
                campaign("retention", 75, action("send_email"))));

    PlannedAction a = d.candidates().get(0);
    assertThat(a.status()).isEqualTo(ActionStatus.BLOCKED);
    assertThat(a.reason()).isEqualTo(ReasonCode.CONSENT_MISSING);
    assertThat(a.deciding().guardrail()).isEqualTo(Guardrail.CONSENT);
    assertThat(a.deciding().message()).isEqualTo("no opt-in for email").doesNotContain("C-1");
  }

  @Test
  void decide_optInOnOtherChannelOnly_blocksAndFallsBackToTheConsentedChannel() {
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(
                Scenarios.bare()
                    .putCampaignPrior("retention", ConversionPrior.ofMean(0.10, 100))
                    .build())
            .build();
    Decision d =
        engine.decide(
            Scenarios.customer(
                "C-1",
                ZoneId.of("UTC"),
                List.of(Channel.SMS),
                campaign("retention", 75, action("send_email")),
                campaign("replenishment", 50, action("send_sms"))));

    assertThat(d.candidates())
        .extracting(PlannedAction::actionType)
        .containsExactly("send_email", "send_sms");
    assertThat(d.chosen()).extracting(PlannedAction::actionType).containsExactly("send_sms");
    assertThat(d.withStatus(ActionStatus.BLOCKED))
        .extracting(PlannedAction::reason)
        .containsExactly(ReasonCode.CONSENT_MISSING);
  }

  @Test
  void decide_nonContactAction_needsNoConsent() {
    Decision d =
        engine.decide(
            Scenarios.customer(
                "C-1",
                ZoneId.of("UTC"),
                List.of(),
                campaign("service", 50, action("create_ticket"))));

    assertThat(d.chosen())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.channel()).isEqualTo(Channel.TICKET);
              assertThat(a.verdicts())
                  .extracting(GuardrailVerdict::guardrail)
                  .doesNotContain(Guardrail.CONSENT, Guardrail.FREQUENCY, Guardrail.QUIET_HOURS);
            });
  }

  @Test
  void decide_unmappedActionType_isBlockedNotGuessed() {
    Decision d =
        engine.decide(Scenarios.customer("C-1", campaign("custom", 50, action("fax_customer"))));

    assertThat(d.candidates())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.status()).isEqualTo(ActionStatus.BLOCKED);
              assertThat(a.reason()).isEqualTo(ReasonCode.UNMAPPED_ACTION_TYPE);
              assertThat(a.channel()).isNull();
            });
  }

  @Test
  void decide_channelParameterNamesAChannel_overridesTheTypeMapping() {
    Decision d =
        engine.decide(
            Scenarios.customer(
                "C-1",
                ZoneId.of("UTC"),
                List.of(Channel.SMS),
                campaign("retention", 75, action("send_retention_offer", "channel", "sms"))));

    assertThat(d.chosen())
        .singleElement()
        .satisfies(a -> assertThat(a.channel()).isEqualTo(Channel.SMS));
  }
}
