package dev.opagent.segment;

import static dev.opagent.segment.AgentWire.customer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.opagent.segment.spi.AgentResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Answers within the transport's size limit built to make finding the analysis expensive: the
 * client gives up on them quickly with a typed error instead of stalling the caller.
 */
class HostileAnswerTest {
  /**
   * Generous, for a loaded machine: a stall is what is tested, not speed (reading such an answer
   * took about 18 s on a loaded machine, one exception per event; it now takes 3 to 5 s there).
   */
  private static final Duration BOUND = Duration.ofSeconds(30);

  private static final int SIZE = 15 * 1024 * 1024;

  private static void assertMalformedWithinBound(String contentType, String body) {
    InProcessAgent agent =
        InProcessAgent.of(
            r -> CompletableFuture.completedFuture(AgentResponse.of(contentType, body, "req-1")));
    try (SegmentClient client = agent.client(b -> b.maxAttempts(1))) {
      assertTimeoutPreemptively(
          BOUND,
          () ->
              assertThatThrownBy(() -> client.analyze(customer("C-1")))
                  .isInstanceOf(MalformedResponseException.class));
    }
  }

  @Test
  void analyze_eventStreamOfMillionsOfUnreadableEvents_isMalformedWithoutStalling() {
    // About 1.7 million events, each "{": every one looks like JSON and fails to parse.
    String body = "data: {\n\n".repeat(SIZE / 9);

    assertMalformedWithinBound("text/event-stream", body);
  }

  @Test
  void analyze_eventStreamOfMillionsOfUnclosedObjects_isMalformedWithoutStalling() {
    String body = "data: {x}\n\n".repeat(SIZE / 11);

    assertMalformedWithinBound("text/event-stream", body);
  }

  @Test
  void analyze_answerWithinBudget_isStillFoundAfterProse() {
    String body = "Let me think. ".repeat(10_000) + "{\"analysis\":" + AgentWire.ANALYSIS + "}";
    InProcessAgent agent =
        InProcessAgent.of(
            r ->
                CompletableFuture.completedFuture(
                    AgentResponse.of("application/json", body, "req-1")));
    try (SegmentClient client = agent.client(b -> b.maxAttempts(1))) {
      assertThat(client.analyze(customer("C-1")).churnSegment()).isEqualTo(ChurnSegment.AT_RISK);
    }
  }
}
