package dev.opagent.segment;

import static dev.opagent.segment.AgentWire.customer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.DecimalNode;
import dev.opagent.segment.spi.AgentResponse;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numbers whose exponent makes them cheap to write but expensive or impossible to expand ({@code
 * 1e50000000}) are refused wherever customer data or an agent's answer is read: typed, naming the
 * field, never echoing the value, and in a batch for that record alone.
 */
class NumberBoundsTest {
  private static final Duration BOUND = Duration.ofSeconds(5);
  private static final ReferenceSegmenter SEGMENTER =
      new ReferenceSegmenter(
          Clock.fixed(
              LocalDate.of(2026, 3, 15).atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));

  private static String customerJson(String field, String value) {
    return "{\"customerId\":\"C-1\",\"customer\":{\"customerId\":\"C-1\",\"productHistory\":"
        + "[{\"productId\":\"P-1\",\"orderCount\":5,\"lastPurchase\":\"2025-01-01T00:00:00\","
        + "\""
        + field
        + "\":"
        + value
        + "}]},\"region\":{\"medianBasket\":75.0}}";
  }

  private static DecimalNode huge() {
    return DecimalNode.valueOf(new BigDecimal("1e50000000"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1e50000000",
        "1e-50000000",
        "1E2147483647",
        "1e9999999999",
        "-1e-9999999999",
        "1e-2147483648",
        "0e999999999"
      })
  void fromJson_amountWithHugeExponent_isInvalidInputNamingTheField(String value) {
    String json = customerJson("avgDaysBetween", value);

    InvalidInputException e =
        assertTimeoutPreemptively(
            BOUND,
            () ->
                org.junit.jupiter.api.Assertions.assertThrows(
                    InvalidInputException.class, () -> CustomerData.fromJson(json)));

    assertThat(e.errors())
        .extracting(FieldError::field)
        .containsExactly("customerData.customer.productHistory[0].avgDaysBetween");
    assertThat(e.getMessage()).doesNotContain(value.replaceAll("^-?[0-9]+[eE]-?", ""));
  }

  @Test
  void fromJson_wrappedDataWithHugeExponent_namesTheFieldWithoutTheWrapper() {
    String json = "{\"customerData\":" + customerJson("totalSpent", "1e9999999999") + "}";

    assertThatThrownBy(() -> CustomerData.fromJson(json))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactly("customerData.customer.productHistory[0].totalSpent"));
  }

  @Test
  void fromJson_extraMemberWithHugeExponent_isInvalidInputNamingTheMember() {
    String json = customerJson("loyaltyPoints", "1e50000000");

    assertThatThrownBy(() -> CustomerData.fromJson(json))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactly("customerData.customer.productHistory[0].loyaltyPoints"));
  }

  @Test
  void fromJson_amountWithHugeExponentAsString_isInvalidInputNamingTheField() {
    String json = customerJson("avgDaysBetween", "\"1e50000000\"");

    assertThatThrownBy(() -> CustomerData.fromJson(json))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactly("customerData.customer.productHistory[0].avgDaysBetween"));
  }

  @Test
  void fromJson_numberLongerThanTheBound_isInvalidInputNamingTheField() {
    String json = customerJson("totalSpent", "1" + "0".repeat(500));

    assertThatThrownBy(() -> CustomerData.fromJson(json))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.errors())
                  .extracting(FieldError::field)
                  .containsExactly("customerData.customer.productHistory[0].totalSpent");
              assertThat(e.getMessage()).doesNotContain("00000");
            });
  }

  @Test
  void validate_builtDataWithHugeExponentInAnExtraMember_namesTheMember() {
    CustomerData c = customer("C-1");
    CustomerData data =
        new CustomerData(
            "C-1",
            c.city(),
            c.customer(),
            new Region("Marmara", null, new BigDecimal("75.0"), null, Map.of("index", huge())),
            c.currentSeason());

    assertThat(CustomerDataValidator.problems(data))
        .extracting(FieldError::field)
        .containsExactly("customerData.region.index");
  }

  @Test
  void toJson_builtDataWithHugeExponent_isInvalidInputNotAnIllegalState() {
    CustomerData c = customer("C-1");
    CustomerData data =
        new CustomerData(
            "C-1", c.city(), c.customer(), c.region(), c.currentSeason(), Map.of("score", huge()));

    assertThatThrownBy(data::toJson)
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactly("customerData.score"));
  }

  @Test
  void fromJson_dateOutsideTheCalendarsYears_isInvalidInputNamingTheField() {
    String json =
        customerJson("avgDaysBetween", "30")
            .replace("2025-01-01T00:00:00", "-999999999-01-01T00:00:00");

    assertThatThrownBy(() -> CustomerData.fromJson(json))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactly("customerData.customer.productHistory[0].lastPurchase"));
  }

  @Test
  void analyze_dateOutsideTheCalendarsYears_isInvalidInputNotADateTimeException() {
    CustomerData data =
        withProduct(
            new ProductHistory(
                "P-1",
                "SKINCARE",
                5,
                new BigDecimal("10"),
                5,
                OffsetDateTime.of(-999_999_999, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                new BigDecimal(30)),
            null);

    assertThatThrownBy(() -> SEGMENTER.analyze(data))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.errors())
                  .extracting(FieldError::field)
                  .containsExactly("customerData.customer.productHistory[0].lastPurchase");
              assertThat(e.getMessage()).doesNotContain("999999");
            });
  }

  @Test
  void analyze_largestCadenceWithoutRegistration_segmentsInsteadOfLeavingTheCalendar() {
    // The implied first order lies 10^12 · (2^31 − 2) days back: far beyond any LocalDate.
    CustomerData data =
        withProduct(
            new ProductHistory(
                "P-1",
                "SKINCARE",
                5,
                new BigDecimal("10"),
                Integer.MAX_VALUE,
                OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                CustomerDataValidator.MAX_AMOUNT),
            null);

    SegmentAnalysis a = assertTimeoutPreemptively(BOUND, () -> SEGMENTER.analyze(data));

    assertThat(a.loyaltyTier()).isEqualTo(LoyaltyTier.PLATINUM);
    assertThat(a.churnSegment()).isEqualTo(ChurnSegment.ACTIVE);
  }

  @Test
  void analyzeAll_recordsWithHugeExponentsOrDates_failAloneAndEveryOtherRecordSucceeds() {
    CustomerData c = customer("C-2");
    CustomerData extraHuge =
        new CustomerData(
            "C-2",
            c.city(),
            c.customer(),
            new Region("Marmara", null, new BigDecimal("75.0"), null, Map.of("index", huge())),
            c.currentSeason());
    CustomerData amountHuge =
        new CustomerData(
            "C-4",
            null,
            new Customer(
                "C-4",
                40,
                null,
                null,
                List.of(
                    new ProductHistory(
                        "P-1", null, 1, new BigDecimal("1e-50000000"), 1, null, null))),
            null,
            null);
    CustomerData dateHuge =
        withProduct(
            new ProductHistory(
                "P-1",
                null,
                1,
                null,
                1,
                OffsetDateTime.of(999_999_999, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                null),
            "C-5");
    List<CustomerData> batch =
        List.of(customer("C-1"), extraHuge, customer("C-3"), amountHuge, dateHuge, customer("C-6"));

    try (SegmentClient client = InProcessAgent.instant().client(b -> {})) {
      List<SegmentOutcome> out = assertTimeoutPreemptively(BOUND, () -> client.analyzeAll(batch));

      assertThat(out)
          .extracting(SegmentOutcome::customerId)
          .containsExactly("C-1", "C-2", "C-3", "C-4", "C-5", "C-6");
      assertThat(List.of(out.get(0), out.get(2), out.get(5)))
          .allSatisfy(o -> assertThat(o).isInstanceOf(SegmentOutcome.Success.class));
      assertThat(List.of(out.get(1), out.get(3), out.get(4)))
          .allSatisfy(
              o -> {
                assertThat(o).isInstanceOf(SegmentOutcome.Failure.class);
                assertThat(((SegmentOutcome.Failure) o).code()).isEqualTo(ErrorCode.INVALID_INPUT);
                assertThat(((SegmentOutcome.Failure) o).message())
                    .doesNotContain("50000000", "999999");
              });
      assertThat(((SegmentOutcome.Failure) out.get(1)).message())
          .contains("customerData.region.index");
      assertThat(((SegmentOutcome.Failure) out.get(3)).message())
          .contains("customerData.customer.productHistory[0].totalSpent");
      assertThat(((SegmentOutcome.Failure) out.get(4)).message())
          .contains("customerData.customer.productHistory[0].lastPurchase");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"analysis\":{\"ageSegment\":\"25-34\",\"confidence\":1e50000000}}",
        "{\"analysis\":{\"ageSegment\":\"25-34\",\"confidence\":1e-50000000}}",
        "{\"analysis\":{\"ageSegment\":\"25-34\",\"missingRegulars\":[{\"productId\":\"P-1\","
            + "\"expectedEveryDays\":1e-50000000}]}}",
        "{\"analysis\":{\"ageSegment\":\"25-34\",\"missingRegulars\":[{\"productId\":\"P-1\","
            + "\"expectedEveryDays\":1e20}]}}",
        "{\"result\":\"{\\\"analysis\\\":{\\\"churnSegment\\\":\\\"Aktif\\\",\\\"n\\\":1E+99999}}\"}"
      })
  void analyze_agentAnswerWithUnboundedNumber_isMalformedNotPassedOn(String answer) {
    InProcessAgent agent =
        InProcessAgent.of(
            r ->
                CompletableFuture.completedFuture(
                    AgentResponse.of("application/json", answer, null)));
    try (SegmentClient client = agent.client(b -> b.maxAttempts(1))) {
      assertTimeoutPreemptively(
          BOUND,
          () ->
              assertThatThrownBy(() -> client.analyze(customer("C-1")))
                  .isInstanceOf(MalformedResponseException.class));
    }
  }

  @Test
  void extract_analysisWithinBounds_isStillRead() {
    String answer =
        "{\"analysis\":{\"ageSegment\":\"25-34\",\"confidence\":0.93,"
            + "\"missingRegulars\":[{\"productId\":\"P-1\",\"expectedEveryDays\":30.5}]}}";

    SegmentAnalysis a =
        AnalysisExtractor.extract(AgentResponse.of("application/json", answer, null), false);

    assertThat(a.missingRegulars())
        .singleElement()
        .satisfies(m -> assertThat(m.expectedEveryDays()).isEqualByComparingTo("30.5"));
    assertThat(a.extra()).containsKey("confidence");
    assertThat(SegmentAnalysis.fromJson(a.toJson())).isEqualTo(a);
  }

  @Test
  void segmentAnalysisFromJson_unboundedNumber_isIllegalArgumentNamingTheMember() {
    assertThatThrownBy(
            () -> SegmentAnalysis.fromJson("{\"churnSegment\":\"Aktif\",\"score\":1e50000000}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(".score")
        .hasMessageNotContaining("50000000");
  }

  private static CustomerData withProduct(ProductHistory p, @Nullable String id) {
    String customerId = id == null ? "C-1" : id;
    return new CustomerData(
        customerId,
        null,
        new Customer(customerId, 40, null, null, List.of(p)),
        new Region(null, null, new BigDecimal("75.0"), null),
        null);
  }
}
