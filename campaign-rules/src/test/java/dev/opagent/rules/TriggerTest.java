package dev.opagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.rules.attributes.MapAttributes;
import dev.opagent.rules.problem.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriggerTest {
  private static final Instant NOW = Instant.parse("2026-03-15T09:00:00Z");
  private static final CampaignEvaluator EVALUATOR =
      CampaignEvaluator.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

  private static final String CART_RULES =
      """
      {"rules": [
        {"rule_id": "cart_recovery", "name": "Cart recovery",
         "conditions": {"consent.email": true},
         "trigger": {"event": "cart_abandoned", "within": "PT1H", "cancel_on": ["purchase"]},
         "actions": [{"type": "send_email", "template": "cart_reminder", "delay_minutes": 60}]},
        {"rule_id": "newsletter", "conditions": {}, "actions": [{"type": "send_email"}]}
      ]}""";

  private static RuleSet cartRules() {
    return RuleSetLoader.ofDefaults().load(RuleSource.string("cart", CART_RULES));
  }

  private static final MapAttributes CONSENTING =
      MapAttributes.of(Map.of("consent", Map.of("email", true)));

  @Test
  void load_trigger_readsEventWithinAndCancelOn() {
    Rule r = cartRules().rule("cart_recovery").orElseThrow();
    assertThat(r.trigger())
        .isEqualTo(new Trigger("cart_abandoned", Duration.ofHours(1), List.of("purchase")));
    assertThat(r.actions().get(0).delay()).isEqualTo(Duration.ofMinutes(60));
    assertThat(cartRules().rule("newsletter").orElseThrow().trigger()).isNull();
  }

  @Test
  void evaluate_inARound_triggeredRuleAwaitsItsEvent_otherRulesAsBefore() {
    Eligibility e = EVALUATOR.evaluate(cartRules(), "C-1", CONSENTING);
    assertThat(e.eligible()).containsExactly("newsletter");
    Verdict.Inactive v = (Verdict.Inactive) e.verdict("cart_recovery").orElseThrow();
    assertThat(v.cause()).isEqualTo(Verdict.InactiveCause.AWAITING_EVENT);
    assertThat(v.detail())
        .isEqualTo("applies on a 'cart_abandoned' event at most PT1H old, not in rounds");
  }

  @Test
  void evaluateEvent_freshMatchingEvent_triggeredRuleEligible_roundRulesInactive() {
    Eligibility e =
        EVALUATOR.evaluateEvent(
            cartRules(), "C-1", CONSENTING, "cart_abandoned", NOW.minusSeconds(600));
    assertThat(e.eligible()).containsExactly("cart_recovery");
    Verdict.Inactive round = (Verdict.Inactive) e.verdict("newsletter").orElseThrow();
    assertThat(round.cause()).isEqualTo(Verdict.InactiveCause.ROUNDS_ONLY);
  }

  @Test
  void evaluateEvent_conditionStillApplies() {
    MapAttributes noConsent = MapAttributes.of(Map.of("consent", Map.of("email", false)));
    Eligibility e = EVALUATOR.evaluateEvent(cartRules(), "C-1", noConsent, "cart_abandoned", NOW);
    assertThat(e.verdict("cart_recovery").orElseThrow()).isInstanceOf(Verdict.Ineligible.class);
  }

  @Test
  void evaluateEvent_otherTypeOrTooOld_awaitsWithTheReason() {
    Verdict other =
        EVALUATOR
            .evaluateEvent(cartRules(), "C-1", CONSENTING, "page_view", NOW)
            .verdict("cart_recovery")
            .orElseThrow();
    assertThat(((Verdict.Inactive) other).detail()).endsWith("not on 'page_view'");

    Instant old = NOW.minus(Duration.ofHours(1)).minusSeconds(1);
    Verdict late =
        EVALUATOR
            .evaluateEvent(cartRules(), "C-1", CONSENTING, "cart_abandoned", old)
            .verdict("cart_recovery")
            .orElseThrow();
    assertThat(late).isInstanceOf(Verdict.Inactive.class);
    assertThat(((Verdict.Inactive) late).cause()).isEqualTo(Verdict.InactiveCause.AWAITING_EVENT);
    assertThat(((Verdict.Inactive) late).detail())
        .endsWith("this one happened at 2026-03-15T07:59:59Z, now 2026-03-15T09:00:00Z");
  }

  @Test
  void firedBy_edgeOfTheWindowAndAProducerClockAhead() {
    Trigger t = Trigger.on("cart_abandoned", Duration.ofHours(1));
    assertThat(t.firedBy("cart_abandoned", NOW.minus(Duration.ofHours(1)), NOW)).isTrue();
    assertThat(t.firedBy("cart_abandoned", NOW.plusSeconds(5), NOW)).isTrue();
    assertThat(t.firedBy("purchase", NOW, NOW)).isFalse();
    assertThat(
            new Trigger("cart_abandoned", Duration.ofHours(1), List.of("purchase"))
                .cancelledBy("purchase"))
        .isTrue();
    assertThat(t.cancelledBy("purchase")).isFalse();
  }

  @Test
  void validate_badTriggers_reportEachFieldWithItsPointer() {
    LoadResult r =
        RuleSetLoader.ofDefaults()
            .validate(
                RuleSource.string(
                    "bad",
                    """
                    {"rules": [
                      {"rule_id": "a", "conditions": {}, "actions": [], "trigger": "cart"},
                      {"rule_id": "b", "conditions": {}, "actions": [],
                       "trigger": {"event": "Cart Abandoned", "within": "-PT1H"}},
                      {"rule_id": "c", "conditions": {}, "actions": [],
                       "trigger": {"within": "PT0S", "cancel_on": ["purchase", 7], "evnt": "x"}},
                      {"rule_id": "d", "conditions": {}, "actions": [],
                       "trigger": {"event": "purchase", "cancel_on": "purchase"}}
                    ]}"""));
    assertThat(r).isInstanceOf(LoadResult.Invalid.class);
    List<Problem> errors = ((LoadResult.Invalid) r).errors();
    assertThat(errors)
        .extracting(Problem::pointer)
        .containsExactly(
            "/rules/0/trigger",
            "/rules/1/trigger/event",
            "/rules/1/trigger/within",
            "/rules/2/trigger",
            "/rules/2/trigger/within",
            "/rules/2/trigger/cancel_on/1",
            "/rules/2/trigger/evnt",
            "/rules/3/trigger",
            "/rules/3/trigger/cancel_on");
    assertThat(errors.get(1).message())
        .isEqualTo(
            "event must be an event type of lowercase letters, digits and _ (such as"
                + " cart_abandoned) but was the string \"Cart Abandoned\"");
    assertThat(errors.get(3).message()).contains("needs an 'event'");
    assertThat(errors.get(6).message()).startsWith("unknown field 'evnt'; known: event, within");
    assertThat(errors.get(7).message()).contains("needs 'within'");
  }

  @Test
  void constructor_badValues_failWithTheFieldAndTheRule() {
    assertThatThrownBy(() -> Trigger.on("Cart", Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trigger event must match");
    assertThatThrownBy(() -> Trigger.on("cart", Duration.ZERO))
        .hasMessage("trigger within must be positive but was PT0S");
    assertThatThrownBy(() -> new Trigger("cart", Duration.ofHours(1), List.of("Purchase!")))
        .hasMessageContaining("cancel_on event must match");
  }

  @Test
  void builder_trigger_keptOnTheRule() {
    Rule r =
        Rule.builder("cart")
            .condition("{}")
            .trigger(Trigger.on("cart_abandoned", Duration.ofMinutes(30)))
            .build();
    assertThat(r.trigger()).isEqualTo(Trigger.on("cart_abandoned", Duration.ofMinutes(30)));
  }
}
