package dev.opagent.flink.internal;

import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ErrorCode;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentException;
import dev.opagent.segment.spi.AgentRequest;
import dev.opagent.segment.spi.AgentResponse;
import dev.opagent.segment.spi.AgentTransport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * A segment agent in this process: answers each request at once with the {@link
 * ReferenceSegmenter}'s analysis as of its clock's date, over no network, for tests, replays and
 * demonstrations. Thread-safe.
 */
public final class ReferenceAgentTransport implements AgentTransport {
  /** The runtime ARN the local agent answers as: no such runtime exists in AWS. */
  public static final String ARN =
      "arn:aws:bedrock-agentcore:us-west-2:000000000000:runtime/reference_segmenter-local";

  private final ReferenceSegmenter segmenter;

  /** An agent analysing as of {@code clock}'s date. */
  public ReferenceAgentTransport(Clock clock) {
    this.segmenter = new ReferenceSegmenter(clock);
  }

  @Override
  public CompletableFuture<AgentResponse> invoke(AgentRequest request) {
    try {
      CustomerData data =
          CustomerData.fromJson(new String(request.payload(), StandardCharsets.UTF_8));
      String body = "{\"analysis\": " + segmenter.analyze(data).toJson() + "}";
      return CompletableFuture.completedFuture(AgentResponse.of("application/json", body, null));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new SegmentException(
              ErrorCode.INVALID_INPUT,
              "the reference segmenter could not analyse the customer: "
                  + e.getClass().getSimpleName()));
    }
  }
}
