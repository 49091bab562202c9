package dev.opagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.spi.AgentRequest;
import dev.opagent.segment.spi.AgentResponse;
import dev.opagent.segment.spi.AgentTransport;
import dev.opagent.testkit.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * In-process transports with zero latency, so that what is measured is the client's own cost.
 * Thread-safe.
 */
final class CannedTransport implements AgentTransport {
  private static final ObjectMapper MAPPER = Json.MAPPER;
  private static final ReferenceSegmenter SEGMENTER = new ReferenceSegmenter(Fixtures.seedClock());

  private final Function<AgentRequest, AgentResponse> answer;

  private CannedTransport(Function<AgentRequest, AgentResponse> answer) {
    this.answer = answer;
  }

  /** Answers each of {@code customers} with its reference analysis, computed here once. */
  static CannedTransport precomputed(List<CustomerData> customers) {
    Map<String, AgentResponse> answers =
        customers.stream()
            .collect(
                Collectors.toMap(
                    CustomerData::customerId, CannedTransport::answerFor, (a, b) -> a));
    return new CannedTransport(r -> answers.get(r.customerId()));
  }

  /** Reads each payload and answers with the reference analysis, computed per request. */
  static CannedTransport segmenting() {
    return new CannedTransport(
        r -> {
          try {
            JsonNode payload = MAPPER.readTree(r.payload());
            return answerFor(CustomerData.fromJson(payload.get("customerData").toString()));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static AgentResponse answerFor(CustomerData c) {
    return AgentResponse.of(
        "application/json", "{\"analysis\":" + SEGMENTER.analyze(c).toJson() + "}", null);
  }

  @Override
  public CompletableFuture<AgentResponse> invoke(AgentRequest request) {
    try {
      return CompletableFuture.completedFuture(answer.apply(request));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
