package dev.opagent.segment;

import static dev.opagent.segment.AgentWire.customer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.segment.internal.wire.Json;
import dev.opagent.segment.spi.AgentResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Every reader of customer data and of the agent's answer, fed random and hostile JSON: each input
 * gives a typed error or a usable result within a time bound, never a hang or an unchecked
 * exception.
 */
class HostileJsonPropertyTest {
  /** Generous: a hang is what is tested, not speed. */
  private static final Duration BOUND = Duration.ofSeconds(5);

  private static final ReferenceSegmenter SEGMENTER =
      new ReferenceSegmenter(
          Clock.fixed(
              LocalDate.of(2026, 3, 15).atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));

  /** The answer the canned agent gives next. */
  private static final AtomicReference<AgentResponse> NEXT = new AtomicReference<>();

  private static final SegmentClient CLIENT =
      InProcessAgent.of(r -> CompletableFuture.completedFuture(NEXT.get()))
          .client(b -> b.maxAttempts(1).disableCache().disableCircuitBreaker());

  @AfterContainer
  static void closeClient() {
    CLIENT.close();
  }

  @Provide
  Arbitrary<String> customerData() {
    return HostileJson.customerData();
  }

  @Provide
  Arbitrary<String> anyJson() {
    return Arbitraries.oneOf(HostileJson.value(4), HostileJson.deep());
  }

  @Provide
  Arbitrary<String> answer() {
    return HostileJson.analysis();
  }

  @Property(tries = 1000)
  void customerDataReaders_hostileCustomerData_typedErrorOrUsableData(
      @ForAll("customerData") String json) {
    assertTimeoutPreemptively(BOUND, () -> readCustomerData(json));
  }

  @Property(tries = 500)
  void customerDataReaders_anyJson_typedErrorOrUsableData(@ForAll("anyJson") String json) {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          readCustomerData(json);
          readCustomerData("{\"customerData\":" + json + "}");
        });
  }

  @Property(tries = 500)
  void segmentAnalysisFromJson_hostileJson_illegalArgumentOrUsableAnalysis(
      @ForAll("answer") String json) {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          SegmentAnalysis a;
          try {
            a = SegmentAnalysis.fromJson(json);
          } catch (IllegalArgumentException expected) {
            return;
          }
          assertRoundTrips(a);
        });
  }

  @Property(tries = 500)
  void client_hostileJsonAnswer_typedErrorOrUsableAnalysis(@ForAll("answer") String body) {
    NEXT.set(AgentResponse.of("application/json", body, "req-1"));
    assertTimeoutPreemptively(BOUND, () -> analyzeThroughClient());
  }

  @Property(tries = 300)
  void client_hostileEventStreamAnswer_typedErrorOrUsableAnalysis(
      @ForAll("eventStream") String body) {
    NEXT.set(AgentResponse.of("text/event-stream", body, "req-1"));
    assertTimeoutPreemptively(BOUND, () -> analyzeThroughClient());
  }

  @Provide
  Arbitrary<String> eventStream() {
    return Combinators.combine(
            HostileJson.analysis(),
            Arbitraries.integers().between(1, 5),
            Arbitraries.of("\n\n", "\r\n\r\n", "\n"))
        .as(
            (answer, pieces, separator) -> {
              List<String> events = new ArrayList<>();
              int step = Math.max(1, answer.length() / pieces);
              for (int i = 0; i < answer.length(); i += step) {
                String chunk = answer.substring(i, Math.min(answer.length(), i + step));
                events.add("data: " + chunk.replace("\n", "\ndata: ") + separator);
              }
              return String.join("", events);
            });
  }

  private static void analyzeThroughClient() {
    SegmentAnalysis a;
    try {
      a = CLIENT.analyze(customer("C-1"));
    } catch (SegmentException typed) {
      assertThat(typed.code()).isEqualTo(ErrorCode.MALFORMED_RESPONSE);
      return;
    }
    // What the client hands on can be written and read back.
    assertRoundTrips(a);
  }

  /** Reads {@code json} as customer data and, when it is read, uses it every way there is. */
  private static void readCustomerData(String json) {
    CustomerData data;
    try {
      data = CustomerData.fromJson(json);
    } catch (InvalidInputException typed) {
      assertThat(typed.errors()).isNotEmpty();
      return;
    }
    // Written once, numbers are plain (1e2 becomes 100); from then on the data round-trips.
    String written = data.toJson();
    assertThat(tree(CustomerData.fromJson(written).toJson())).isEqualTo(tree(written));
    assertThat(data.canonicalHash()).hasSize(64);
    List<FieldError> problems = CustomerDataValidator.problems(data);
    try {
      SegmentAnalysis a = SEGMENTER.analyze(data);
      assertThat(problems).isEmpty();
      assertRoundTrips(a);
    } catch (InvalidInputException typed) {
      assertThat(problems).isNotEmpty();
    }
  }

  /** Written once, numbers are plain; from then on the analysis round-trips unchanged. */
  private static void assertRoundTrips(SegmentAnalysis a) {
    String written = a.toJson();
    assertThat(tree(SegmentAnalysis.fromJson(written).toJson())).isEqualTo(tree(written));
  }

  /** The JSON tree of {@code json}: compared regardless of member order. */
  private static JsonNode tree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError("written JSON could not be read back", e);
    }
  }
}
