package dev.opagent.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.opagent.agent.engine.HostileJson;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile policy JSON (random structure, wrong types, deep nesting, 1e999999999, long strings and
 * keys, duplicate keys, NaN tokens, truncation) yields a policy or {@link InvalidPolicyException}
 * within a time bound — never a hang or another exception.
 */
class PolicyJsonPropertyTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final List<String> KEYS =
      List.of(
          "maxActionsPerCustomer",
          "maxActionsPerChannel",
          "exclusiveCampaigns",
          "channels",
          "channelCosts",
          "actionPriors",
          "campaignPriors",
          "defaultPrior",
          "frequencyCaps",
          "quietHours",
          "executionLimits",
          "approval",
          "budgets",
          "globalHoldout",
          "minScore",
          "defaultZone",
          "operatingZone",
          "id",
          "contact",
          "alpha",
          "beta",
          "channel",
          "max",
          "rolling",
          "calendarDays",
          "bypassFromPriority",
          "start",
          "end",
          "discountRateAtLeast",
          "spendAtLeast",
          "audienceAbove",
          "scope",
          "currency",
          "global",
          "perCampaign",
          "key",
          "percentage",
          "email",
          "sms",
          "send_email");

  @Provide
  Arbitrary<String> policies() {
    Arbitrary<String> member =
        Arbitraries.of(KEYS)
            .flatMap(k -> HostileJson.value(KEYS, List.of(), 3).map(v -> "\"" + k + "\": " + v));
    return Arbitraries.oneOf(
        HostileJson.documents(KEYS, List.of(), 4),
        member.list().ofMaxSize(6).map(ms -> "{" + String.join(", ", ms) + "}"));
  }

  @Example
  void fromJson_amountsBeyondTheLimitOrWithHugeExponents_areRejectedTyped() {
    for (String amount :
        List.of(
            "\"1e999999999\"",
            "\"1e-999999999\"",
            "1e999999999",
            "\"2e12\"",
            "\"0.0000000000001\"",
            "\"0e-999999999\"",
            "\"0E+999999999\"")) {
      assertThatThrownBy(
              () ->
                  DecisionPolicy.fromJson(
                      "{\"budgets\": {\"currency\": \"EUR\", \"global\": " + amount + "}}"))
          .as(amount)
          .isInstanceOf(InvalidPolicyException.class)
          .hasMessageContaining("/budgets/global");
    }
    assertThat(
            DecisionPolicy.fromJson(
                "{\"budgets\": {\"currency\": \"EUR\", \"global\": \"5000.50\"}}"))
        .isNotNull();
  }

  @Example
  void fromJson_nonFiniteNumbersAndOversizedDocuments_areRejectedTyped() {
    assertThatThrownBy(() -> DecisionPolicy.fromJson("{\"minScore\": -1e999}"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("/minScore");
    assertThatThrownBy(() -> DecisionPolicy.fromJson("{\"" + "k".repeat(1001) + "\": 1}"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("key is longer");
    assertThatThrownBy(() -> DecisionPolicy.fromJson("{\"channelCosts\": {\"\": \"1\"}}"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("/channelCosts/");
  }

  @Property(tries = 800)
  void fromJson_hostileJson_yieldsPolicyOrInvalidPolicyExceptionInTime(
      @ForAll("policies") String json) {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          try {
            assertThat(DecisionPolicy.fromJson(json)).isNotNull();
          } catch (InvalidPolicyException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).isNotBlank());
          }
        });
  }
}
