package dev.opagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.agent.execution.ChannelLimits;
import dev.opagent.agent.execution.spi.OperatingState;
import dev.opagent.agent.loop.RoundRecorder;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import dev.opagent.testkit.AgentSimulatorExtension;
import dev.opagent.testkit.InMemoryChannel;
import dev.opagent.testkit.PopulationGenerator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rounds an agent wired with the store plans are recorded in it, and read back by any process. */
class RecordedRoundsTest {
  private static final List<CustomerData> CUSTOMERS = PopulationGenerator.ofSeed(9).list(120);
  private static final Instant DAY_1 = Instant.parse("2026-03-15T10:00:00Z");

  @RegisterExtension static final AgentSimulatorExtension AGENT = AgentSimulatorExtension.create();

  @TempDir Path dir;

  enum Db {
    H2,
    POSTGRES
  }

  private static Clock day(int n) {
    return Clock.fixed(DAY_1.plusSeconds(86_400L * n), ZoneOffset.UTC);
  }

  private String[] target(Db db) {
    return db == Db.H2
        ? new String[] {"jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(), "opagent_"}
        : new String[] {PostgresServer.url(), PostgresServer.freshPrefix()};
  }

  private static OperatingStore open(String[] target) {
    return OperatingStore.builder()
        .url(target[0], target[0].startsWith("jdbc:h2") ? "sa" : "postgres", "")
        .tablePrefix(target[1])
        .build();
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void everyPlannedRound_isRecordedAsItsReportSaid_andReadByAnotherProcess(
      Db db, SegmentClient client) {
    String[] target = target(db);
    RoundReport[] reports = new RoundReport[2];
    for (int d = 0; d < 2; d++) {
      try (OperatingStore store = open(target)) {
        reports[d] =
            StoreLoop.round(
                store,
                client,
                InMemoryChannel.create(),
                DecisionPolicy.ofDefaults(),
                day(d),
                "day-" + d,
                CUSTOMERS);
      }
    }

    try (OperatingStore other = open(target)) {
      List<RecordedRound> rounds = other.rounds(10);
      assertThat(rounds).extracting(RecordedRound::runId).containsExactly("day-1", "day-0");
      for (int d = 0; d < 2; d++) {
        RoundReport r = reports[d];
        RecordedRound recorded = other.round("day-" + d).orElseThrow();
        assertThat(recorded.recordedAt()).isEqualTo(day(d).instant());
        assertThat(recorded.resumed()).isFalse();
        assertThat(recorded.customers()).isEqualTo(CUSTOMERS.size());
        assertThat(recorded.segmented()).isEqualTo(r.segmented());
        assertThat(recorded.segmentationFailed()).isEqualTo(r.segmentationFailed());
        assertThat(recorded.heldOut()).isEqualTo(r.heldOut());
        assertThat(List.of(recorded.chosen(), recorded.deferred(), recorded.blocked()))
            .containsExactly(r.chosen(), r.deferred(), r.blocked());
        assertThat(recorded.suppressed()).isEqualTo(r.suppressed());
        assertThat(recorded.eligibleByCampaign()).isEqualTo(r.eligibleByCampaign()).isNotEmpty();
        assertThat(recorded.notChosenByReason()).isEqualTo(names(r.notChosenByReason()));
        assertThat(recorded.elapsed().toMillis()).isEqualTo(r.elapsed().toMillis());
      }
      assertThat(names(reports[1].notChosenByReason()))
          .as("day 2 meets the caps day 1 used")
          .isNotEmpty();
      assertThat(other.rounds(1)).extracting(RecordedRound::runId).containsExactly("day-1");
      assertThat(other.round("day-9")).isEmpty();

      // planned again (a round resumed while it was planning): the later report replaces it
      Instant later = day(1).instant().plusSeconds(600);
      ((RoundRecorder) other.operatingState()).recordRound(reports[0], later);
      assertThat(other.rounds(10))
          .extracting(RecordedRound::runId)
          .containsExactly("day-0", "day-1");
      assertThat(other.round("day-0").orElseThrow().recordedAt()).isEqualTo(later);
    }
  }

  @Test
  void aRecorderThatFails_failsNoRound(SegmentClient client) {
    AtomicInteger calls = new AtomicInteger();
    try (OperatingStore store = open(target(Db.H2))) {
      OperatingState failing = new FailingRecorder(store.operatingState(), calls);

      RoundReport r =
          StoreLoop.round(
              store,
              failing,
              client,
              InMemoryChannel.create(),
              ChannelLimits.DEFAULT,
              DecisionPolicy.ofDefaults(),
              day(0),
              "day-0",
              CUSTOMERS);

      assertThat(calls).hasValue(1);
      assertThat(r.execution().completed()).isPositive();
      assertThat(store.round("day-0")).isEmpty();
    }
  }

  private static Map<String, Long> names(Map<ReasonCode, Long> byReason) {
    Map<String, Long> out = new TreeMap<>();
    byReason.forEach((code, n) -> out.put(code.name(), n));
    return out;
  }

  /** The store's state, with a recorder that fails. */
  private record FailingRecorder(OperatingState state, AtomicInteger calls)
      implements OperatingState, RoundRecorder {
    @Override
    public <T> T inBatch(
        Collection<String> customerIds,
        DecisionPolicy policy,
        Instant now,
        Function<Batch, T> work) {
      return state.inBatch(customerIds, policy, now, work);
    }

    @Override
    public void recordRound(RoundReport report, Instant finishedAt) {
      calls.incrementAndGet();
      throw new IllegalStateException("the recorder is down");
    }
  }
}
