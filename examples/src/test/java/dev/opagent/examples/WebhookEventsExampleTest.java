package dev.opagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.execution.spi.ActionRequest;
import org.junit.jupiter.api.Test;

class WebhookEventsExampleTest {

  @Test
  void run_remindsTheCustomerWhoDidNotBuy_andAttributesTheirPurchase() throws Exception {
    Output out = new Output();

    WebhookEventsExample.Result result = WebhookEventsExample.run(out.stream);

    assertThat(result.responses())
        .containsExactly(
            "202 {\"stage\":\"ACTIONS_PLANNED\",\"scheduled\":1,\"withdrawn\":0,\"attributed\":false}",
            "202 {\"stage\":\"ACTIONS_PLANNED\",\"scheduled\":1,\"withdrawn\":0,\"attributed\":false}",
            "202 {\"stage\":\"NO_TRIGGER\",\"scheduled\":0,\"withdrawn\":1,\"attributed\":false}",
            "400 {\"field\":\"customerId\",\"error\":\"customerId is required: a string\"}",
            "202 {\"stage\":\"NO_ACTION_CHOSEN\",\"scheduled\":0,\"withdrawn\":0,\"attributed\":false}",
            "202 {\"stage\":\"NO_TRIGGER\",\"scheduled\":0,\"withdrawn\":0,\"attributed\":true}");
    assertThat(result.delivered())
        .extracting(ActionRequest::customerId, ActionRequest::campaign)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("C-1001", "cart_recovery"));
    assertThat(result.cartRecovery().delivered()).isEqualTo(1);
    assertThat(result.cartRecovery().conversions()).isEqualTo(1);
    assertThat(out.text()).contains("scheduler: 1 reminder(s) delivered");
  }
}
