package dev.opagent.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalThresholds;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionPolicyTest {

  @Test
  void ofDefaults_documentedValues() {
    DecisionPolicy p = DecisionPolicy.ofDefaults();

    assertThat(p.maxActionsPerCustomer()).isEqualTo(1);
    assertThat(p.maxActionsPerChannel()).isEqualTo(1);
    assertThat(p.exclusiveCampaigns()).containsExactly(Set.of("winback", "loyalty"));
    assertThat(p.channels())
        .containsEntry("send_email", Channel.EMAIL)
        .containsEntry("create_discount", Channel.DISCOUNT)
        .containsEntry("send_product_recommendation", Channel.EMAIL)
        .containsEntry("trigger_service_followup", Channel.PHONE)
        .containsEntry("create_ticket", Channel.TICKET);
    assertThat(p.cost(Channel.SMS)).isEqualByComparingTo("0.05");
    assertThat(p.prior("winback", "send_email")).isEqualTo(new ConversionPrior(2, 98));
    assertThat(p.prior("winback", "unknown_type")).isEqualTo(new ConversionPrior(1, 99));
    assertThat(p.approval()).isEqualTo(ApprovalThresholds.ofDefaults());
    assertThat(p.globalHoldout()).isNull();
    assertThat(p.contactLookback()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void prior_campaignOverridesActionType() {
    DecisionPolicy p =
        DecisionPolicy.builder()
            .putCampaignPrior("winback", ConversionPrior.ofMean(0.1, 50))
            .build();

    assertThat(p.prior("winback", "send_email").mean()).isEqualTo(0.1);
  }

  @Test
  void toBuilder_roundTrips() {
    DecisionPolicy p = DecisionPolicy.builder().maxActionsPerCustomer(2).minScore(1).build();

    assertThat(p.toBuilder().build()).isEqualTo(p);
  }

  @Test
  void build_zeroMaxActions_failsWithTheName() {
    assertThatThrownBy(() -> DecisionPolicy.builder().maxActionsPerCustomer(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxActionsPerCustomer must be positive but was 0");
  }

  @Test
  void build_negativeExecutionLimit_failsWithTheType() {
    assertThatThrownBy(() -> DecisionPolicy.builder().putExecutionLimit("send_sms", -1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("execution limit of 'send_sms' must not be negative but was -1");
  }

  @Test
  void frequencyCap_onNonContactChannel_isRejected() {
    assertThatThrownBy(() -> FrequencyCap.of(Channel.DISCOUNT, 1, CapWindow.calendarDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("frequency caps apply to contact channels but 'discount' is not one");
  }

  @Test
  void exclusiveGroup_ofOne_isRejected() {
    assertThatThrownBy(() -> DecisionPolicy.builder().addExclusiveCampaigns(Set.of("winback")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an exclusive group needs at least 2 campaigns but had 1");
  }

  @Test
  void capWindow_zeroDays_isRejected() {
    assertThatThrownBy(() -> CapWindow.calendarDays(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("calendar days must be positive but was 0");
  }
}
