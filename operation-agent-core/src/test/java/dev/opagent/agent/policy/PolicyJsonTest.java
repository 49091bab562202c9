package dev.opagent.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalScope;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.rules.assignment.Holdout;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PolicyJsonTest {

  @Test
  void fromJson_bundledDefaultPolicy_equalsOfDefaults() throws IOException {
    String json;
    try (InputStream in =
        Objects.requireNonNull(
            getClass()
                .getClassLoader()
                .getResourceAsStream("dev/opagent/agent/default-policy.json"))) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(DecisionPolicy.fromJson(json)).isEqualTo(DecisionPolicy.ofDefaults());
  }

  @Test
  void fromJson_emptyObject_isTheDefaults() {
    assertThat(DecisionPolicy.fromJson("{}")).isEqualTo(DecisionPolicy.ofDefaults());
  }

  @Test
  void fromJson_everySection_isRead() {
    DecisionPolicy p =
        DecisionPolicy.fromJson(
            """
        {"maxActionsPerCustomer": 2,
         "channels": {"send_whatsapp": {"id": "whatsapp", "contact": true}},
         "channelCosts": {"whatsapp": "0.03"},
         "frequencyCaps": [{"channel": "whatsapp", "max": 1, "calendarDays": 1},
                           {"max": 3, "rolling": "P7D", "bypassFromPriority": 100}],
         "quietHours": [{"start": "22:00", "end": "08:00", "channels": ["whatsapp"]}],
         "executionLimits": {"create_discount": null, "send_whatsapp": 500},
         "approval": {"spendAtLeast": null, "audienceAbove": 2000, "scope": "ACTION"},
         "budgets": {"currency": "EUR", "global": "5000", "perCampaign": {"winback": 1500}},
         "globalHoldout": {"key": "global-control-2026", "percentage": 5},
         "defaultZone": "Europe/Istanbul"}""");

    Channel whatsapp = Channel.contact("whatsapp");
    assertThat(p.maxActionsPerCustomer()).isEqualTo(2);
    assertThat(p.channels())
        .containsEntry("send_whatsapp", whatsapp)
        .containsEntry("send_email", Channel.EMAIL);
    assertThat(p.cost(whatsapp)).isEqualByComparingTo("0.03");
    assertThat(p.frequencyCaps())
        .containsExactly(
            FrequencyCap.of(whatsapp, 1, CapWindow.calendarDays(1)),
            FrequencyCap.overall(3, CapWindow.rolling(Duration.ofDays(7))).bypassFrom(100));
    assertThat(p.quietHours())
        .singleElement()
        .satisfies(q -> assertThat(q.channels()).containsExactly(whatsapp));
    assertThat(p.executionLimits()).containsOnlyKeys("send_whatsapp");
    assertThat(p.approval())
        .isEqualTo(new ApprovalThresholds(0.20, null, 2000, ApprovalScope.ACTION));
    assertThat(p.budgets().global()).isEqualByComparingTo("5000");
    assertThat(p.budgets().perCampaign().get("winback"))
        .isEqualByComparingTo(new BigDecimal("1500"));
    assertThat(p.budgets().currency().getCurrencyCode()).isEqualTo("EUR");
    assertThat(p.globalHoldout()).isEqualTo(Holdout.of("global-control-2026", 5));
    assertThat(p.defaultZone()).isEqualTo(ZoneId.of("Europe/Istanbul"));
  }

  @Test
  void fromJson_problems_areAllListedWithPointers() {
    assertThatThrownBy(
            () ->
                DecisionPolicy.fromJson(
                    """
        {"maxActionsPerCustomer": 0,
         "frequencyCaps": [{"channel": "fax", "max": 1, "calendarDays": 1},
                           {"max": 1, "rolling": "7 days"}],
         "quietHours": [{"start": "25:00", "end": "08:00", "channels": ["sms"]}],
         "defaultZone": "Mars/Olympus",
         "budget": {}}"""))
        .isInstanceOfSatisfying(
            InvalidPolicyException.class,
            e ->
                assertThat(
                        e.problems().stream()
                            .map(p -> p.replaceFirst("^policy:\\d+:\\d+: ", ""))
                            .toList())
                    .anySatisfy(p -> assertThat(p).startsWith("/budget: unknown member"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith("/frequencyCaps/0/channel: unknown channel" + " 'fax'"))
                    .contains(
                        "/frequencyCaps/1/rolling: must be an ISO-8601 duration such as P7D or"
                            + " PT72H",
                        "/quietHours/0/start: must be a local time such as 21:00",
                        "/defaultZone: must be a time zone id such as Europe/Istanbul"));
  }

  @Test
  void fromJson_invalidValueCaughtByTheBuilder_isReported() {
    assertThatThrownBy(() -> DecisionPolicy.fromJson("{\"maxActionsPerCustomer\": 0}"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage(
            "invalid decision policy:"
                + System.lineSeparator()
                + "  policy:1:1: maxActionsPerCustomer must be positive but was 0");
  }

  @Test
  void fromJson_notJson_isReportedWithoutEchoingTheInput() {
    assertThatThrownBy(() -> DecisionPolicy.fromJson("{\"secret-customer\": "))
        .isInstanceOf(InvalidPolicyException.class)
        .message()
        .doesNotContain("secret-customer");
  }

  @Property(tries = 300)
  void fromJson_arbitraryText_failsOnlyWithInvalidPolicy(@ForAll String text) {
    try {
      DecisionPolicy.fromJson(text);
    } catch (InvalidPolicyException expected) {
      assertThat(expected.problems()).isNotEmpty();
    }
  }

  @Property(tries = 300)
  void fromJson_arbitraryMemberValues_failOnlyWithInvalidPolicy(
      @ForAll("members") String member, @ForAll("values") String value) {
    try {
      DecisionPolicy.fromJson("{\"" + member + "\": " + value + "}");
    } catch (InvalidPolicyException expected) {
      assertThat(expected.problems()).isNotEmpty();
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> members() {
    return net.jqwik.api.Arbitraries.of(
        "maxActionsPerCustomer",
        "exclusiveCampaigns",
        "channels",
        "channelCosts",
        "actionPriors",
        "defaultPrior",
        "frequencyCaps",
        "quietHours",
        "executionLimits",
        "approval",
        "budgets",
        "globalHoldout",
        "minScore",
        "operatingZone");
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> values() {
    return net.jqwik.api.Arbitraries.of(
        "null",
        "0",
        "-1",
        "1.5",
        "\"x\"",
        "[]",
        "{}",
        "[1]",
        "[{}]",
        "[[\"a\"]]",
        "{\"a\": null}",
        "{\"a\": {}}",
        "{\"a\": \"email\"}",
        "true",
        "[{\"max\": 1}]",
        "{\"currency\": \"XXX\"}",
        "{\"key\": \"k\", \"percentage\": 101}",
        "{\"alpha\": 0, \"beta\": 1}",
        "[{\"start\": \"10:00\", \"end\": \"10:00\"}]");
  }
}
