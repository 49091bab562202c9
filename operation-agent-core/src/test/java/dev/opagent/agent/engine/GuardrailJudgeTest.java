package dev.opagent.agent.engine;

import static dev.opagent.agent.engine.Scenarios.action;
import static dev.opagent.agent.engine.Scenarios.campaign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.Channel;
import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.agent.policy.CapWindow;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.policy.FrequencyCap;
import dev.opagent.agent.policy.QuietHours;
import dev.opagent.agent.spi.Contact;
import dev.opagent.rules.Verdict;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The guardrails of one decision, judged directly, without a run around them. */
class GuardrailJudgeTest {
  private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
  private static final Currency TRY = Currency.getInstance("TRY");
  private final MutableClock clock = MutableClock.at(NOW.toString());

  private DecisionEngine engine(DecisionPolicy policy) {
    return DecisionEngine.builder().clock(clock).policy(policy).build();
  }

  private static GuardrailJudge judge(DecisionEngine engine, List<Contact> earlier) {
    CustomerContext ctx = Scenarios.customer("C-1");
    return new GuardrailJudge(
        engine,
        RunMode.DRY_RUN,
        new HashMap<>(),
        ctx,
        NOW,
        engine.ledger.copy(),
        engine.counters,
        null,
        earlier);
  }

  /**
   * The first action of {@code campaign}, scored at {@code value} with expected cost {@code cost}.
   */
  private static Candidate candidate(
      DecisionEngine engine, Verdict.Eligible campaign, double value, double cost) {
    CompiledCampaign cc = engine.compiled(campaign.ruleId(), campaign.actions());
    Candidate c = new Candidate(cc, cc.candidates[0], campaign, 0);
    c.score = new Score(0.5, 1, 1, 0, 0, value, cost, value * 0.5 - cost);
    return c;
  }

  private static List<Guardrail> guardrails(Candidate c) {
    return c.toPlanned("C-1", 1, NOW).verdicts().stream().map(GuardrailVerdict::guardrail).toList();
  }

  @Test
  void judge_passingContact_meetsEveryGuardrailInOrderAndIsChosen() {
    DecisionEngine engine = engine(Scenarios.bare().build());
    GuardrailJudge judge = judge(engine, List.of());
    Candidate c = candidate(engine, campaign("retention", 50, action("send_email")), 100, 1);

    judge.judge(c);

    assertThat(c.status).isEqualTo(ActionStatus.CHOSEN);
    assertThat(guardrails(c))
        .containsExactly(
            Guardrail.SCORE,
            Guardrail.CONFLICT,
            Guardrail.CHANNEL,
            Guardrail.CONSENT,
            Guardrail.FREQUENCY,
            Guardrail.QUIET_HOURS,
            Guardrail.APPROVAL,
            Guardrail.EXECUTION_LIMIT,
            Guardrail.BUDGET);
    assertThat(judge.chosen()).containsExactly(c);
    assertThat(judge.newContacts())
        .singleElement()
        .satisfies(k -> assertThat(k.channel()).isEqualTo(Channel.EMAIL));
  }

  @Test
  void judge_nonFiniteCost_blocksAtTheFirstGuardrailSoNoOtherIsAsked() {
    DecisionEngine engine = engine(Scenarios.bare().build());
    GuardrailJudge judge = judge(engine, List.of());
    Candidate c =
        candidate(engine, campaign("retention", 50, action("send_email")), 100, Double.NaN);

    judge.judge(c);

    assertThat(c.status).isEqualTo(ActionStatus.BLOCKED);
    assertThat(guardrails(c)).containsExactly(Guardrail.SCORE);
    assertThat(c.toPlanned("C-1", 1, NOW).reason()).isEqualTo(ReasonCode.INVALID_AMOUNT);
    assertThat(judge.chosen()).isEmpty();
    assertThat(judge.newContacts()).isNull();
  }

  @Test
  void judge_contactPlannedEarlierInTheRun_countsAgainstTheFrequencyCap() {
    // Run caps high enough that only the frequency cap can stop the second email.
    DecisionEngine engine =
        engine(
            Scenarios.bare()
                .maxActionsPerCustomer(5)
                .maxActionsPerChannel(5)
                .addFrequencyCap(
                    FrequencyCap.of(Channel.EMAIL, 1, CapWindow.rolling(Duration.ofDays(1))))
                .build());
    Contact earlier = Contact.of(Channel.EMAIL, NOW.minusSeconds(60), "welcome", "send_email");
    Candidate c = candidate(engine, campaign("retention", 50, action("send_email")), 100, 1);

    judge(engine, List.of(earlier)).judge(c);

    assertThat(c.status).isEqualTo(ActionStatus.DEFERRED);
    assertThat(c.toPlanned("C-1", 1, NOW).reason()).isEqualTo(ReasonCode.FREQUENCY_CAP);
    assertThat(c.toPlanned("C-1", 1, NOW).until())
        .isEqualTo(NOW.minusSeconds(60).plus(Duration.ofDays(1)));
  }

  @Test
  void judge_secondContactBeyondTheRunCap_isSuppressedAsAConflict() {
    DecisionEngine engine = engine(Scenarios.bare().maxActionsPerCustomer(1).build());
    GuardrailJudge judge = judge(engine, List.of());
    Candidate first = candidate(engine, campaign("retention", 50, action("send_email")), 100, 1);
    Candidate second = candidate(engine, campaign("winback", 40, action("send_sms")), 100, 1);

    judge.judge(first);
    judge.judge(second);

    assertThat(first.status).isEqualTo(ActionStatus.CHOSEN);
    assertThat(second.status).isEqualTo(ActionStatus.SUPPRESSED);
    assertThat(guardrails(second)).containsExactly(Guardrail.SCORE, Guardrail.CONFLICT);
    assertThat(judge.chosen()).containsExactly(first);
  }

  @Test
  void judge_quietHoursAtTheCustomersTime_deferToTheWindowsEnd() {
    DecisionEngine engine =
        engine(
            Scenarios.bare()
                .addQuietHours(
                    new QuietHours(LocalTime.of(11, 0), LocalTime.of(13, 0), Set.of(Channel.EMAIL)))
                .build());
    Candidate c = candidate(engine, campaign("retention", 50, action("send_email")), 100, 1);

    judge(engine, List.of()).judge(c);

    assertThat(c.status).isEqualTo(ActionStatus.DEFERRED);
    assertThat(c.toPlanned("C-1", 1, NOW).until()).isEqualTo(Instant.parse("2026-03-15T13:00:00Z"));
  }

  @Test
  void judge_budgetTooSmall_blocksAndGivesBackTheExecutionSlotItTook() {
    DecisionEngine engine =
        engine(
            Scenarios.bare()
                .putExecutionLimit("send_email", 1)
                .budgets(
                    BudgetLimits.builder(TRY)
                        .putCampaign("retention", new BigDecimal("1.00"))
                        .build())
                .build());
    Candidate c = candidate(engine, campaign("retention", 50, action("send_email")), 100, 5);

    judge(engine, List.of()).judge(c);

    assertThat(c.status).isEqualTo(ActionStatus.BLOCKED);
    assertThat(c.toPlanned("C-1", 1, NOW).reason()).isEqualTo(ReasonCode.BUDGET_EXHAUSTED);
    assertThat(engine.executionsToday("send_email")).isZero();
  }
}
