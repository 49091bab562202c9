package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockagentcore.model.BedrockAgentCoreException;
import software.amazon.awssdk.services.bedrockagentcore.model.ValidationException;

/**
 * The simulator reads customer data within the same bounds as the client: a hostile payload gets a
 * 400 {@code ValidationException} naming the field, never a 500 or a stalled handler.
 */
class SimulatorHostilePayloadTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final AgentSimulator SIM = AgentSimulator.start();
  private static final Sdk SDK = Sdk.against(SIM);

  @AfterContainer
  static void close() {
    SDK.close();
    SIM.close();
  }

  private static String payload(String field, String value) {
    return Sdk.payload(
        "{\"customerId\":\"C-1\",\"customer\":{\"customerId\":\"C-1\","
            + "\"productHistory\":[{\"productId\":\"P-1\",\"orderCount\":5,"
            + "\"lastPurchase\":\"2025-01-01T00:00:00\",\""
            + field
            + "\":"
            + value
            + "}]},"
            + "\"region\":{\"medianBasket\":75.0}}");
  }

  private static BedrockAgentCoreException validationFailure(String payload) {
    Throwable failure =
        assertTimeoutPreemptively(BOUND, () -> SDK.failure(SDK.request(payload, Sdk.SESSION)));
    assertThat(failure).isInstanceOf(ValidationException.class);
    BedrockAgentCoreException e = (BedrockAgentCoreException) failure;
    assertThat(e.statusCode()).isEqualTo(400);
    return e;
  }

  @Test
  void invoke_amountWithExponentBeyondAnInt_validationException400NamingTheField() {
    BedrockAgentCoreException e = validationFailure(payload("avgDaysBetween", "1e9999999999"));

    assertThat(e.awsErrorDetails().errorMessage())
        .contains("customerData.customer.productHistory[0].avgDaysBetween")
        .doesNotContain("9999999999");
  }

  @Test
  void invoke_extraMemberWithHugeExponent_validationException400NamingTheMember() {
    BedrockAgentCoreException e = validationFailure(payload("loyaltyPoints", "1e50000000"));

    assertThat(e.awsErrorDetails().errorMessage())
        .contains("customerData.customer.productHistory[0].loyaltyPoints")
        .doesNotContain("50000000");
  }

  @Test
  void invoke_dateBeyondTheCalendar_validationException400NamingTheField() {
    BedrockAgentCoreException e =
        validationFailure(
            payload("avgDaysBetween", "30")
                .replace("2025-01-01T00:00:00", "-999999999-01-01T00:00:00"));

    assertThat(e.awsErrorDetails().errorMessage())
        .contains("customerData.customer.productHistory[0].lastPurchase");
  }

  @Provide
  Arbitrary<String> body() {
    return Arbitraries.oneOf(
        HostileJson.customerData().map(Sdk::payload),
        HostileJson.value(3).map(Sdk::payload),
        HostileJson.value(3),
        HostileJson.deep());
  }

  @Property(tries = 300)
  void invoke_hostilePayload_answersOrRefusesWithValidationException(@ForAll("body") String body) {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          try {
            assertThat(SDK.invoke(SDK.request(body, Sdk.SESSION)).response().statusCode())
                .isEqualTo(200);
          } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(ValidationException.class);
          }
        });
    assertThat(SIM.stats().count(Outcome.INTERNAL_ERROR)).isZero();
  }
}
