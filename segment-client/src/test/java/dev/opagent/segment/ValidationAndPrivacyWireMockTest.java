package dev.opagent.segment;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static dev.opagent.segment.AgentWire.customer;
import static dev.opagent.segment.AgentWire.invocations;
import static dev.opagent.segment.AgentWire.invoke;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreAsyncClient;

/** Validation before any call (nothing invalid is sent) and no customer data in messages. */
@WireMockTest
class ValidationAndPrivacyWireMockTest {
  private static BedrockAgentCoreAsyncClient sdk;

  @BeforeAll
  static void startSdk(WireMockRuntimeInfo wm) {
    sdk = AgentWire.sdk(wm);
  }

  @AfterAll
  static void closeSdk() {
    sdk.close();
  }

  @BeforeEach
  void resetWire() {
    WireMock.reset();
    stubFor(invoke().willReturn(okJson(AgentWire.ANSWER)));
  }

  private static CustomerData withAge(int age) {
    CustomerData c = customer("C-1001");
    Customer p = c.customer();
    return new CustomerData(
        "C-1001",
        c.city(),
        new Customer("C-1001", age, p.gender(), p.registeredAt(), p.productHistory()),
        c.region(),
        c.currentSeason());
  }

  private static CustomerData withProduct(ProductHistory product) {
    CustomerData c = customer("C-1001");
    Customer p = c.customer();
    return new CustomerData(
        "C-1001",
        c.city(),
        new Customer("C-1001", p.age(), p.gender(), p.registeredAt(), List.of(product)),
        c.region(),
        c.currentSeason());
  }

  private static InvalidInputException rejected(CustomerData data) {
    try (SegmentClient client = AgentWire.client(sdk)) {
      Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> client.analyze(data));
      assertThat(t).isInstanceOf(InvalidInputException.class);
      assertThat(invocations()).as("invalid input is never sent").isZero();
      return (InvalidInputException) t;
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 131, 777})
  void analyze_ageOutOfRange_rejectedWithFieldAndNoValue(int age) {
    InvalidInputException e = rejected(withAge(age));
    assertThat(e.errors())
        .extracting(FieldError::field)
        .containsExactly("customerData.customer.age");
    assertThat(e.getMessage()).doesNotContain(Integer.toString(age)).doesNotContain("C-1001");
    assertThat(e.customerId()).isEqualTo("C-1001");
    assertThat(e.attempts()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 130})
  void validate_ageAtBounds_isValid(int age) {
    assertThat(CustomerDataValidator.problems(withAge(age))).isEmpty();
  }

  @Test
  void analyze_blankCustomerId_rejected() {
    assertThat(rejected(new CustomerData(" ", null, null, null, null)).errors())
        .extracting(FieldError::field)
        .containsExactly("customerData.customerId");
  }

  @Test
  void analyze_amountsBeyondADoubleOrTooPrecise_reportsEveryFieldWithoutTheValue() {
    CustomerData data =
        new CustomerData(
            "C-1",
            null,
            new Customer(
                "C-1",
                30,
                "F",
                null,
                List.of(
                    new ProductHistory(
                        "P-1",
                        "X",
                        1,
                        new BigDecimal("1e400"),
                        1,
                        null,
                        new BigDecimal("0.0000000000001")))),
            new Region("R", null, new BigDecimal("2e12"), null, Map.of()),
            null);
    InvalidInputException e = rejected(data);
    assertThat(e.errors())
        .extracting(FieldError::field)
        .containsExactly(
            "customerData.customer.productHistory[0].totalSpent",
            "customerData.customer.productHistory[0].avgDaysBetween",
            "customerData.region.medianBasket");
    assertThat(e.getMessage()).doesNotContain("400").doesNotContain("2E+12");
    assertThat(
            CustomerDataValidator.problems(
                new CustomerData(
                    "C-2",
                    null,
                    null,
                    new Region("R", null, new BigDecimal("1000000000000.50"), null, Map.of()),
                    null)))
        .hasSize(1);
    assertThat(
            CustomerDataValidator.problems(
                new CustomerData(
                    "C-3",
                    null,
                    null,
                    new Region(
                        "R", null, new BigDecimal("999999999999.999999999999"), null, Map.of()),
                    null)))
        .isEmpty();
  }

  @Test
  void analyze_negativeCountsAndAmounts_reportsEveryField() {
    InvalidInputException e =
        rejected(
            withProduct(
                new ProductHistory(
                    "P-1", "X", -1, new BigDecimal("-479.20"), -8, null, new BigDecimal("-30"))));
    assertThat(e.errors())
        .extracting(FieldError::field)
        .containsExactly(
            "customerData.customer.productHistory[0].totalQuantity",
            "customerData.customer.productHistory[0].orderCount",
            "customerData.customer.productHistory[0].totalSpent",
            "customerData.customer.productHistory[0].avgDaysBetween");
    assertThat(e.getMessage()).doesNotContain("479").doesNotContain("-8");
  }

  @Test
  void analyze_payloadOver100MB_rejectedBeforeSending() {
    CustomerData big =
        new CustomerData(
            "C-1", null, null, null, null, Map.of("notes", new TextNode("x".repeat(100_000_000))));
    InvalidInputException e = rejected(big);
    assertThat(e.getMessage()).contains("100000000");
  }

  @Test
  void fromJson_unparseableDate_namesFieldNotValue() {
    assertThatThrownBy(
            () ->
                CustomerData.fromJson(
                    "{\"customerId\":\"C-1\",\"customer\":"
                        + "{\"productHistory\":[{\"productId\":\"P\",\"lastPurchase\":\"15/01/2026 Ayşe\"}]}}"))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.errors())
                  .extracting(FieldError::field)
                  .containsExactly("customerData.customer.productHistory[0].lastPurchase");
              assertThat(e.getMessage()).doesNotContain("Ayşe").doesNotContain("15/01");
            });
  }

  @Test
  void fromJson_wrongTypeAndMissingId_namesField() {
    assertThatThrownBy(
            () -> CustomerData.fromJson("{\"customerId\":\"C-1\",\"customer\":{\"age\":\"old\"}}"))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactly("customerData.customer.age"));
    assertThatThrownBy(() -> CustomerData.fromJson("{\"city\":\"Izmir\"}"))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactly("customerData.customerId"));
  }

  @Test
  void analyze_malformedAnswerEchoingCustomer_messageHidesIdAndName() {
    stubFor(
        invoke()
            .willReturn(
                okJson("{\"error\":\"cannot segment C-1001 Ayşe Yılmaz, age 32, İstanbul\"}")));
    try (SegmentClient client = AgentWire.client(sdk)) {
      assertThatThrownBy(() -> client.analyze(customer("C-1001")))
          .isInstanceOf(MalformedResponseException.class)
          .satisfies(
              e ->
                  assertThat(e.getMessage())
                      .doesNotContain("C-1001", "1001", "Ayşe", "Yılmaz", "İstanbul", "32")
                      .contains("\"error\":"));
    }
  }

  @Test
  void analyze_malformedAnswerWithPayloadLoggingOn_messageShowsRawExcerpt() {
    stubFor(invoke().willReturn(okJson("{\"error\":\"cannot segment C-1001\"}")));
    try (SegmentClient client = AgentWire.client(sdk, b -> b.payloadLogging(true))) {
      assertThatThrownBy(() -> client.analyze(customer("C-1001")))
          .hasMessageContaining("cannot segment C-1001");
    }
  }

  @Test
  void analyze_agentErrorEchoingCustomer_messageHidesServiceText() {
    stubFor(
        invoke()
            .willReturn(
                WireMock.aResponse()
                    .withStatus(424)
                    .withHeader("x-amzn-ErrorType", "RuntimeClientError")
                    .withBody("{\"message\":\"agent crashed on customer C-1001 Ayşe\"}")));
    try (SegmentClient client =
        AgentWire.client(sdk, SegmentClientBuilder::disableCircuitBreaker)) {
      assertThatThrownBy(() -> client.analyze(customer("C-1001")))
          .isInstanceOf(SegmentException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("C-1001", "Ayşe"));
    }
  }

  @Test
  void outcomeAndRequest_toString_carryNoCustomerData() {
    dev.opagent.segment.spi.AgentRequest r =
        new dev.opagent.segment.spi.AgentRequest(
            AgentWire.ARN,
            "DEFAULT",
            "s".repeat(33),
            null,
            "C-1001",
            "{\"customerData\":{\"customerId\":\"C-1001\"}}".getBytes());
    assertThat(r.toString()).doesNotContain("C-1001");
  }
}
