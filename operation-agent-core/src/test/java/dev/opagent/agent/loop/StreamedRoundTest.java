package dev.opagent.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.Channel;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.MutableClock;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A round over customers read as needed, a chunk at a time. */
class StreamedRoundTest {
  private static final int N = 95;
  private static final int CHUNK = 10;

  private final MutableClock clock = MutableClock.at("2026-03-15T08:00:00Z");
  private final InProcessSegmentAgent agent = new InProcessSegmentAgent(clock);
  private final InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
  private final AtomicInteger pulled = new AtomicInteger();

  /** For each delivered key, how many customers had been read when it was delivered. */
  private final Map<String, Integer> readAtDelivery = new ConcurrentHashMap<>();

  private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private final ActionChannel channel =
      new ActionChannel() {
        @Override
        public String name() {
          return "email";
        }

        @Override
        public DeliveryReceipt deliver(ActionRequest request) {
          readAtDelivery.putIfAbsent(request.customerId(), pulled.get());
          deliveries
              .computeIfAbsent(request.idempotencyKey(), k -> new AtomicInteger())
              .incrementAndGet();
          return DeliveryReceipt.delivered(
              request, "email", "m-" + request.idempotencyKey(), clock.instant());
        }
      };

  private OperationAgent loop() {
    SegmentClient segments = agent.client();
    DecisionEngine engine = DecisionEngine.builder().clock(clock).build();
    ExecutionService executor =
        ExecutionService.builder()
            .journal(journal)
            .pageSize(7)
            .clock(clock)
            .decisionEngine(engine)
            .channels(ChannelRegistry.builder().register(channel).fallback("email").build())
            .build();
    opened.add(segments);
    opened.add(executor);
    return OperationAgent.builder()
        .segmentClient(segments)
        .rules(RuleSetLoader.defaults())
        .decisionEngine(engine)
        .executionService(executor)
        .clock(clock)
        .context((data, analysis, ctx) -> ctx.consent(Channel.EMAIL, Channel.IN_APP))
        .build();
  }

  private Iterator<CustomerData> customers(int n) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return pulled.get() < n;
      }

      @Override
      public CustomerData next() {
        return SegmentStoreRoundTest.customer("C-" + pulled.getAndIncrement(), 8);
      }
    };
  }

  @Test
  void runRound_streamedCustomers_oneOutcomeEachAndEveryChosenActionDeliveredOnce() {
    List<CustomerOutcome> outcomes = new ArrayList<>();

    RoundReport report = loop().runRound("r1", customers(N), CHUNK, outcomes::add);

    assertThat(outcomes).hasSize(N);
    assertThat(outcomes).extracting(CustomerOutcome::index).doesNotHaveDuplicates();
    assertThat(outcomes).extracting(CustomerOutcome::customerId).doesNotHaveDuplicates();
    assertThat(report.outcomes()).isEmpty();
    assertThat(report.customers()).isEqualTo(N);
    assertThat(report.chosen()).isPositive();
    long keys = outcomes.stream().mapToLong(o -> o.actionKeys().size()).sum();
    assertThat(keys).isEqualTo(report.chosen());
    assertThat(deliveries).hasSize((int) report.chosen());
    assertThat(deliveries.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(report.execution().completed()).isEqualTo(report.chosen());
    assertThat(journal.counts("r1"))
        .containsExactly(Map.entry(ExecutionState.COMPLETED, report.chosen()));
    assertThat(journal.runState("r1")).contains(RunState.COMPLETED);
  }

  @Test
  void runRound_streamedCustomers_deliversEachChunkBeforeReadingTheNext() {
    loop().runRound("r1", customers(N), CHUNK, o -> {});

    assertThat(readAtDelivery).isNotEmpty();
    readAtDelivery.forEach(
        (customer, read) -> {
          int index = Integer.parseInt(customer.substring(2));
          int endOfChunk = Math.min(N, (index / CHUNK + 1) * CHUNK);
          assertThat(read).as(customer).isEqualTo(endOfChunk);
        });
  }

  @Test
  void runRound_chunkSizeZero_throwsNamingIt() {
    assertThatThrownBy(() -> loop().runRound("r1", customers(N), 0, o -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunkSize");
  }
}
