package dev.opagent.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalScope;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.budget.BudgetLimits;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.Region;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Amounts that overflow a double or are absurd never slip past a guardrail: the engine blocks the
 * action ({@link ReasonCode#INVALID_AMOUNT}) instead of comparing NaN or infinity, which every
 * comparison would let through, and never reserves less than the action costs.
 */
class NonFiniteAmountsPropertyTest {
  private static final Currency TRY = Currency.getInstance("TRY");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);

  private static DecisionEngine engine() {
    return DecisionEngine.builder()
        .clock(CLOCK)
        .policy(
            Scenarios.bare()
                .approval(
                    new ApprovalThresholds(
                        Double.POSITIVE_INFINITY,
                        new BigDecimal("50"),
                        Long.MAX_VALUE,
                        ApprovalScope.CAMPAIGN))
                .budgets(BudgetLimits.builder(TRY).global(new BigDecimal("0.02")).build())
                .build())
        .build();
  }

  /** A customer whose basket comes from the region's median basket. */
  private static CustomerContext customer(String id, BigDecimal medianBasket) {
    CustomerData data =
        new CustomerData(
            id, null, null, new Region("Marmara", null, medianBasket, null, Map.of()), null);
    return CustomerContext.builder(
            Scenarios.eligibility(
                id,
                Scenarios.campaign(
                    "winback",
                    50,
                    Scenarios.action("send_sms"),
                    Scenarios.action("create_discount", "discount", 0.2))))
        .customerData(data)
        .consents(List.of(Channel.SMS))
        .build();
  }

  @Provide
  Arbitrary<BigDecimal> baskets() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            new BigDecimal("1e400"),
            new BigDecimal("-1e400"),
            new BigDecimal("1e308"),
            new BigDecimal("2e308"),
            new BigDecimal("1e12"),
            BigDecimal.ZERO,
            new BigDecimal("-250")),
        Arbitraries.bigDecimals().between(new BigDecimal("-1e9"), new BigDecimal("1e9")).ofScale(2),
        Arbitraries.integers().between(300, 100_000).map(e -> BigDecimal.TEN.pow(e)));
  }

  @Property(tries = 400)
  void anyBasket_noActionIsChosenBeyondTheBudgetOrWithoutAFiniteCost(
      @ForAll("baskets") BigDecimal basket) {
    DecisionEngine engine = engine();
    DecisionRun run = engine.startRun(RunMode.LIVE);
    for (int i = 0; i < 5; i++) {
      Decision d = run.decide(customer("C-" + i, basket));
      for (PlannedAction a : d.chosen()) {
        assertThat(Double.isFinite(a.score().cost())).isTrue();
        assertThat(a.score().cost()).isLessThanOrEqualTo(DecisionRun.MAX_AMOUNT);
        assertThat(a.approvalReason() == null || engine.mayExecute(a)).isTrue();
      }
    }
    assertThat(
            engine
                .budgetLedger()
                .global()
                .committed()
                .add(engine.budgetLedger().global().reserved()))
        .isLessThanOrEqualTo(new BigDecimal("0.02"));
  }

  @Example
  void basketOverflowingADouble_isBlockedAsAnInvalidAmount() {
    DecisionEngine engine = engine();

    Decision d = engine.decide(customer("C-1", new BigDecimal("1e400")));

    assertThat(d.chosen()).isEmpty();
    assertThat(d.candidates())
        .isNotEmpty()
        .allSatisfy(
            a -> {
              assertThat(a.status()).isEqualTo(ActionStatus.BLOCKED);
              assertThat(a.reason()).isEqualTo(ReasonCode.INVALID_AMOUNT);
            });
  }
}
