package dev.opagent.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.InMemorySegmentStore;
import dev.opagent.agent.engine.MutableClock;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.channels.LoggingChannel;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.spi.SegmentStore;
import dev.opagent.agent.spi.StoredAnalysis;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.segment.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rounds with a segment store: unchanged customers are not asked again while their analysis is
 * young, changed ones always are, the agent's answers are kept, and a failing agent is covered by
 * an analysis of the same data within the stale limit.
 */
class SegmentStoreRoundTest {
  private static final int N = 20;

  private final MutableClock clock = MutableClock.at("2026-03-15T08:00:00Z");
  private final InProcessSegmentAgent agent = new InProcessSegmentAgent(clock);
  private final InMemorySegmentStore store = new InMemorySegmentStore();
  private final List<AutoCloseable> opened = new ArrayList<>();
  private int round;

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  static CustomerData customer(String id, int orders) {
    return CustomerData.fromJson(
        """
        {"customerId": "%s", "city": "Istanbul",
         "customer": {"customerId": "%s", "age": 32, "gender": "F",
           "registeredAt": "2024-03-15T00:00:00",
           "productHistory": [{"productId": "P-2001", "category": "SKINCARE",
             "totalQuantity": %d, "totalSpent": 479.20, "orderCount": %d,
             "lastPurchase": "2026-01-20T00:00:00", "avgDaysBetween": 30}]},
         "region": {"name": "Marmara", "climateType": "Temperate", "medianBasket": 75.0,
           "trend": "SKINCARE"},
         "currentSeason": "Winter"}"""
            .formatted(id, id, orders, orders));
  }

  static List<CustomerData> customers(int n, int orders) {
    List<CustomerData> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(customer("C-" + i, orders));
    }
    return out;
  }

  /** A loop as a new process would build it: a new client (empty cache) on the same store. */
  private OperationAgent loop(
      Consumer<OperationAgent.Builder> options, Consumer<SegmentClientBuilder> client) {
    SegmentClient segments = agent.client(client);
    DecisionEngine engine = DecisionEngine.builder().clock(clock).build();
    LoggingChannel channel = LoggingChannel.ofDefaults();
    ExecutionService executor =
        ExecutionService.builder()
            .journal(new InMemoryExecutionJournal())
            .clock(clock)
            .decisionEngine(engine)
            .channels(ChannelRegistry.builder().register(channel).fallback(channel.name()).build())
            .build();
    opened.add(segments);
    opened.add(executor);
    OperationAgent.Builder b =
        OperationAgent.builder()
            .segmentClient(segments)
            .rules(RuleSetLoader.defaults())
            .decisionEngine(engine)
            .executionService(executor)
            .clock(clock)
            .segmentStore(store);
    options.accept(b);
    return b.build();
  }

  private OperationAgent loop() {
    return loop(b -> {}, c -> {});
  }

  private OperationAgent loop(Consumer<OperationAgent.Builder> options) {
    return loop(options, c -> {});
  }

  private RoundReport run(OperationAgent loop, List<CustomerData> customers) {
    return loop.runRound("round-" + (++round), customers);
  }

  @Test
  void runRound_nextDayWithSomeChanged_asksTheAgentOnlyAboutTheChanged() {
    List<CustomerData> day1 = customers(N, 8);
    RoundReport first = run(loop(), day1);
    assertThat(agent.requests()).isEqualTo(N);
    assertThat(first.stored()).isZero();
    assertThat(store.size()).isEqualTo(N);

    clock.advance(Duration.ofDays(1));
    List<CustomerData> day2 = new ArrayList<>(day1);
    int changed = 5;
    for (int i = 0; i < changed; i++) {
      day2.set(i * 3, customer("C-" + (i * 3), 9)); // one more order
    }
    RoundReport second = run(loop(), day2);

    assertThat(agent.requests() - N).isEqualTo(changed);
    for (int i = 0; i < N; i++) {
      assertThat(agent.callsFor("C-" + i))
          .as("C-%d", i)
          .isEqualTo(i % 3 == 0 && i / 3 < changed ? 2 : 1);
    }
    assertThat(second.segmented()).isEqualTo(N);
    assertThat(second.stored()).isEqualTo(N - changed);
    assertThat(second.storedOnFailure()).isZero();
    assertThat(
            store.find(List.of("C-0"), InProcessSegmentAgent.ARN, "DEFAULT").get("C-0").dataHash())
        .isEqualTo(day2.get(0).canonicalHash());
  }

  @Test
  void runRound_storedAnalysis_isTheOneTheAgentGave() {
    List<CustomerData> day1 = customers(3, 8);
    run(loop(), day1);
    clock.advance(Duration.ofDays(2));
    List<StoredAnalysis> before =
        new ArrayList<>(
            store
                .find(List.of("C-0", "C-1", "C-2"), InProcessSegmentAgent.ARN, "DEFAULT")
                .values());

    RoundReport second = run(loop(), day1);

    assertThat(second.stored()).isEqualTo(3);
    assertThat(before)
        .allSatisfy(
            s -> {
              assertThat(s.source()).isEqualTo(Source.AGENT);
              assertThat(s.analysedAt()).isEqualTo(Instant.parse("2026-03-15T08:00:00Z"));
              assertThat(s.analysis())
                  .isEqualTo(
                      new ReferenceSegmenter(MutableClock.at("2026-03-15T08:00:00Z"))
                          .analyze(customer(s.customerId(), 8)));
            });
  }

  @Test
  void runRound_analysisOlderThanMaxAge_isAskedAgainAndRenewed() {
    List<CustomerData> day1 = customers(N, 8);
    run(loop(), day1);

    clock.advance(Duration.ofDays(3));
    assertThat(run(loop(b -> b.segmentMaxAge(Duration.ofDays(3))), day1).stored()).isZero();
    assertThat(agent.requests()).isEqualTo(2L * N);

    clock.advance(Duration.ofDays(2));
    RoundReport third = run(loop(b -> b.segmentMaxAge(Duration.ofDays(3))), day1);
    assertThat(third.stored()).isEqualTo(N);
    assertThat(agent.requests()).isEqualTo(2L * N);
  }

  @Test
  void runRound_maxAgeZero_asksEveryoneButStillSaves() {
    List<CustomerData> day1 = customers(4, 8);
    run(loop(), day1);

    RoundReport again = run(loop(b -> b.segmentMaxAge(Duration.ZERO)), day1);

    assertThat(again.stored()).isZero();
    assertThat(agent.requests()).isEqualTo(8);
  }

  @Test
  void runRound_agentDown_servesTheSameDataWithinTheStaleLimit() {
    List<CustomerData> day1 = customers(N, 8);
    run(loop(), day1);
    clock.advance(Duration.ofDays(10));
    agent.takeDown();
    List<CustomerData> day11 = new ArrayList<>(day1);
    day11.set(0, customer("C-0", 9));

    RoundReport down = run(loop(), day11);

    assertThat(down.stored()).isEqualTo(N - 1);
    assertThat(down.storedOnFailure()).isEqualTo(N - 1);
    assertThat(down.segmentationFailed()).as("the changed customer").isEqualTo(1);
    assertThat(down.outcomes().get(0).stage()).isEqualTo(CustomerOutcome.Stage.SEGMENTATION_FAILED);
    assertThat(
            store
                .find(List.of("C-1"), InProcessSegmentAgent.ARN, "DEFAULT")
                .get("C-1")
                .analysedAt())
        .as("served, not renewed")
        .isEqualTo(Instant.parse("2026-03-15T08:00:00Z"));
  }

  @Test
  void runRound_agentDownBeyondTheStaleLimit_failsTheCustomers() {
    List<CustomerData> day1 = customers(4, 8);
    run(loop(), day1);
    clock.advance(Duration.ofDays(31));
    agent.takeDown();

    RoundReport down = run(loop(), day1);

    assertThat(down.stored()).isZero();
    assertThat(down.segmentationFailed()).isEqualTo(4);
  }

  @Test
  void runRound_staleLimitZero_neverServesOnFailure() {
    List<CustomerData> day1 = customers(4, 8);
    run(loop(), day1);
    clock.advance(Duration.ofDays(8));
    agent.takeDown();

    RoundReport down = run(loop(b -> b.segmentStaleLimit(Duration.ZERO)), day1);

    assertThat(down.stored()).isZero();
    assertThat(down.segmentationFailed()).isEqualTo(4);
  }

  @Test
  void runRound_fallbackAnswers_areNotSavedAndStand() {
    List<CustomerData> day1 = customers(4, 8);
    run(loop(), day1);
    clock.advance(Duration.ofDays(8));
    agent.takeDown();

    RoundReport down = run(loop(b -> {}, c -> c.fallback(new ReferenceSegmenter(clock))), day1);

    assertThat(down.fallback()).isEqualTo(4);
    assertThat(down.stored()).isZero();
    assertThat(
            store
                .find(List.of("C-0"), InProcessSegmentAgent.ARN, "DEFAULT")
                .get("C-0")
                .analysedAt())
        .isEqualTo(Instant.parse("2026-03-15T08:00:00Z"));
  }

  @Test
  void runRound_anotherQualifier_doesNotReuseTheFirstAgentsAnalyses() {
    List<CustomerData> day1 = customers(4, 8);
    run(loop(), day1);

    RoundReport other = run(loop(b -> {}, c -> c.qualifier("canary")), day1);

    assertThat(other.stored()).isZero();
    assertThat(agent.requests()).isEqualTo(8);
    assertThat(store.size()).isEqualTo(8);
    assertThat(run(loop(), day1).stored()).isEqualTo(4);
  }

  @Test
  void runRound_storeFails_asksTheAgentAboutEveryone() {
    SegmentStore broken =
        new SegmentStore() {
          @Override
          public Map<String, StoredAnalysis> find(Collection<String> ids, String arn, String q) {
            throw new IllegalStateException("database down");
          }

          @Override
          public void saveAll(Collection<StoredAnalysis> analyses) {
            throw new IllegalStateException("database down");
          }
        };

    RoundReport report = run(loop(b -> b.segmentStore(broken), c -> {}), customers(4, 8));

    assertThat(report.segmented()).isEqualTo(4);
    assertThat(report.stored()).isZero();
    assertThat(agent.requests()).isEqualTo(4);
  }

  @Test
  void runRound_withoutStore_asksEveryRound() {
    List<CustomerData> day1 = customers(4, 8);
    SegmentClient segments = agent.client();
    opened.add(segments);
    DecisionEngine engine = DecisionEngine.builder().clock(clock).build();
    LoggingChannel channel = LoggingChannel.ofDefaults();
    ExecutionService executor =
        ExecutionService.builder()
            .journal(new InMemoryExecutionJournal())
            .clock(clock)
            .decisionEngine(engine)
            .channels(ChannelRegistry.builder().register(channel).fallback(channel.name()).build())
            .build();
    opened.add(executor);
    OperationAgent plain =
        OperationAgent.builder()
            .segmentClient(segments)
            .rules(RuleSetLoader.defaults())
            .decisionEngine(engine)
            .executionService(executor)
            .clock(clock)
            .build();

    RoundReport report = run(plain, day1);

    assertThat(report.stored()).isZero();
    assertThat(agent.requests()).isEqualTo(4);
  }

  @Test
  void build_staleLimitBelowMaxAge_namesBothAndTheFix() {
    assertThatThrownBy(() -> loop(b -> b.segmentMaxAge(Duration.ofDays(60)), c -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("segmentStaleLimit")
        .hasMessageContaining("segmentMaxAge")
        .hasMessageContaining("Duration.ZERO");
    assertThatThrownBy(() -> OperationAgent.builder().segmentMaxAge(Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segmentMaxAge");
  }

  @Test
  void inMemoryStore_sameCustomerTwiceInOneSave_keepsTheLatest() {
    CustomerData c = customer("C-1", 8);
    ReferenceSegmenter segmenter = new ReferenceSegmenter(clock);
    StoredAnalysis older =
        StoredAnalysis.of(
            c,
            segmenter.analyze(c),
            Instant.parse("2026-03-01T00:00:00Z"),
            InProcessSegmentAgent.ARN,
            "DEFAULT",
            Source.AGENT);
    StoredAnalysis newer =
        StoredAnalysis.of(
            c,
            segmenter.analyze(c),
            Instant.parse("2026-03-02T00:00:00Z"),
            InProcessSegmentAgent.ARN,
            "DEFAULT",
            Source.AGENT);

    store.saveAll(List.of(newer, older));

    assertThat(store.find(List.of("C-1", "C-2"), InProcessSegmentAgent.ARN, "DEFAULT"))
        .containsOnlyKeys("C-1")
        .containsEntry("C-1", newer);
    assertThat(store.find(List.of("C-1"), InProcessSegmentAgent.ARN, "other")).isEmpty();
  }

  @Test
  void storedAnalysis_badHash_isRejectedWithItsLength() {
    assertThatThrownBy(
            () ->
                new StoredAnalysis(
                    "C-1",
                    "{}",
                    "abc",
                    Instant.EPOCH,
                    InProcessSegmentAgent.ARN,
                    "DEFAULT",
                    Source.AGENT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dataHash")
        .hasMessageContaining("3 characters");
  }
}
