package dev.opagent.segment;

import static dev.opagent.segment.AgentWire.customer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.segment.spi.AgentResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Where attempts run: a call's first attempt on the caller's thread (no hand-off before the request
 * is sent), retries on the client's scheduler; and retry decisions that count per call stay per
 * call although one retry policy serves every call.
 */
class AttemptThreadTest {
  private static final AgentResponse ANSWER =
      AgentResponse.of("application/json", InProcessAgent.ANSWER, null);

  @Test
  void analyzeAsync_firstAttempt_runsOnTheCallersThread() throws Exception {
    List<Thread> senders = new CopyOnWriteArrayList<>();
    InProcessAgent agent =
        InProcessAgent.of(
            r -> {
              senders.add(Thread.currentThread());
              return CompletableFuture.completedFuture(ANSWER);
            });
    try (SegmentClient client = agent.client(b -> b.disableCache())) {
      CompletableFuture<SegmentAnalysis> f = client.analyzeAsync(customer("C-1"));
      // Sent before analyzeAsync returned, by this thread.
      assertThat(senders).containsExactly(Thread.currentThread());
      assertThat(f).isDone();
      assertThat(f.get(5, TimeUnit.SECONDS)).isNotNull();
    }
  }

  @Test
  void analyzeAll_firstAttempts_runOnTheCallersThread() {
    List<Thread> senders = new CopyOnWriteArrayList<>();
    InProcessAgent agent =
        InProcessAgent.of(
            r -> {
              senders.add(Thread.currentThread());
              return CompletableFuture.completedFuture(ANSWER);
            });
    try (SegmentClient client = agent.client(b -> b.disableCache())) {
      List<SegmentOutcome> outcomes =
          client.analyzeAll(
              List.of(customer("C-1"), customer("C-2"), customer("C-3")),
              BatchOptions.ofDefaults());
      assertThat(outcomes).allMatch(o -> o instanceof SegmentOutcome.Success);
      assertThat(senders).hasSize(3).allMatch(t -> t == Thread.currentThread());
    }
  }

  @Test
  void analyze_retry_runsOnTheSchedulerNotTheCaller() {
    List<Thread> senders = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    InProcessAgent agent =
        InProcessAgent.of(
            r -> {
              senders.add(Thread.currentThread());
              if (calls.incrementAndGet() == 1) {
                return CompletableFuture.failedFuture(
                    new SegmentException(ErrorCode.THROTTLED, "the agent throttled (429)"));
              }
              return CompletableFuture.completedFuture(ANSWER);
            });
    try (SegmentClient client = agent.client(b -> b.disableCache())) {
      SegmentOutcome.Success s = client.analyzeDetailed(customer("C-1"), true);
      assertThat(s.attempts()).isEqualTo(2);
      assertThat(senders).hasSize(2);
      assertThat(senders.get(0)).isSameAs(Thread.currentThread());
      assertThat(senders.get(1)).isNotSameAs(Thread.currentThread());
      assertThat(senders.get(1).getName()).isEqualTo("opagent-segment-scheduler");
    }
  }

  @Test
  void analyzeAll_agentErrorRetries_countPerCall() {
    // Every customer's first request fails with an agent error, its second succeeds. With one
    // retry allowed per call, all succeed: counts of one call never use up another call's retries.
    Map<String, AtomicInteger> perCustomer = new ConcurrentHashMap<>();
    InProcessAgent agent =
        InProcessAgent.of(
            r -> {
              int n =
                  perCustomer
                      .computeIfAbsent(r.customerId(), k -> new AtomicInteger())
                      .incrementAndGet();
              if (n == 1) {
                return CompletableFuture.failedFuture(
                    new SegmentException(ErrorCode.AGENT_ERROR, "the agent failed (424)"));
              }
              return CompletableFuture.completedFuture(ANSWER);
            });
    try (SegmentClient client =
        agent.client(
            b ->
                b.disableCache()
                    .agentErrorRetries(1)
                    .maxAttempts(3)
                    .backoff(Duration.ofMillis(1), Duration.ofMillis(2)))) {
      List<SegmentOutcome> outcomes =
          client.analyzeAll(
              java.util.stream.IntStream.range(0, 20).mapToObj(i -> customer("C-" + i)).toList(),
              BatchOptions.ofDefaults());
      assertThat(outcomes)
          .allMatch(o -> o instanceof SegmentOutcome.Success s && s.attempts() == 2);
    }
    // A call whose agent errors exceed its own allowance still fails, after exactly 1 + 1 requests.
    AtomicInteger requests = new AtomicInteger();
    InProcessAgent failing =
        InProcessAgent.of(
            r -> {
              requests.incrementAndGet();
              return CompletableFuture.failedFuture(
                  new SegmentException(ErrorCode.AGENT_ERROR, "the agent failed (424)"));
            });
    try (SegmentClient client =
        failing.client(
            b ->
                b.disableCache()
                    .agentErrorRetries(1)
                    .maxAttempts(5)
                    .backoff(Duration.ofMillis(1), Duration.ofMillis(2)))) {
      SegmentOutcome o =
          client.analyzeAll(List.of(customer("C-1")), BatchOptions.ofDefaults()).get(0);
      assertThat(o).isInstanceOf(SegmentOutcome.Failure.class);
      assertThat(((SegmentOutcome.Failure) o).code()).isEqualTo(ErrorCode.AGENT_ERROR);
      assertThat(requests).hasValue(2);
    }
  }
}
