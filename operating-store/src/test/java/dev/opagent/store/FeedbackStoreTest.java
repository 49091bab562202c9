package dev.opagent.store;

import static dev.opagent.store.FeedbackData.T0;
import static dev.opagent.store.FeedbackData.normal;
import static dev.opagent.store.FeedbackData.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.experiment.Allocation;
import dev.opagent.agent.experiment.Experiment;
import dev.opagent.agent.experiment.ExperimentAssigner;
import dev.opagent.agent.experiment.ThompsonSampler;
import dev.opagent.agent.experiment.VariantCounts;
import dev.opagent.agent.feedback.Attribution;
import dev.opagent.agent.feedback.Attribution.Outcome;
import dev.opagent.agent.feedback.FeedbackLoop;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionRecorder;
import dev.opagent.agent.feedback.InteractionType;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.agent.feedback.MetricsReport;
import dev.opagent.agent.feedback.StrategyKey;
import dev.opagent.agent.feedback.VariantKey;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Feedback, experiments and metrics in the operating store, on an H2 file and on a real PostgreSQL:
 * ingestion attributes as an in-memory loop would, counts nothing twice, and every process sees the
 * same metrics, assignments and allocations.
 */
class FeedbackStoreTest {
  private static final Instant NOW = T0.plus(Duration.ofDays(20));
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dir;

  enum Db {
    H2,
    POSTGRES
  }

  /** Where one test's store is: every {@link #open()} is another process on it. */
  private final class Target {
    final String url;
    final String prefix;

    Target(Db db) {
      if (db == Db.H2) {
        url = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath();
        prefix = "opagent_";
      } else {
        url = PostgresServer.url();
        prefix = PostgresServer.freshPrefix();
      }
    }

    OperatingStore open() {
      return OperatingStore.builder()
          .url(url, url.startsWith("jdbc:h2:") ? "sa" : "postgres", "")
          .tablePrefix(prefix)
          .maxPoolSize(4)
          .build();
    }
  }

  private static FeedbackStore feedback(OperatingStore store) {
    return FeedbackStore.builder(store).clock(CLOCK).build();
  }

  private static FeedbackLoop memoryLoop() {
    return FeedbackLoop.builder().clock(CLOCK).build();
  }

  private static void assertSameMetrics(MetricsReport actual, MetricsReport expected) {
    assertThat(actual.asOf()).isEqualTo(expected.asOf());
    assertThat(normal(actual.byAction())).isEqualTo(normal(expected.byAction()));
    assertThat(normal(actual.byCampaign())).isEqualTo(normal(expected.byCampaign()));
    assertThat(normal(actual.byStrategy())).isEqualTo(normal(expected.byStrategy()));
    assertThat(normal(actual.bySegment())).isEqualTo(normal(expected.bySegment()));
    assertThat(normal(actual.byVariant())).isEqualTo(normal(expected.byVariant()));
    assertThat(actual.attributions().byType()).isEqualTo(expected.attributions().byType());
  }

  private static void assertEffectsAre(List<StrategyEffect> effects, MetricsReport expected) {
    assertThat(sum(effects, e -> true, StrategyEffect::campaign))
        .isEqualTo(normal(expected.byCampaign()));
    assertThat(sum(effects, e -> true, e -> new StrategyKey(e.campaign(), e.actionType())))
        .isEqualTo(normal(expected.byStrategy()));
    assertThat(sum(effects, e -> e.segment() != null, StrategyEffect::segment))
        .isEqualTo(normal(expected.bySegment()));
    assertThat(
            sum(
                effects,
                e -> e.variant() != null,
                e -> new VariantKey(e.campaign(), Objects.requireNonNull(e.variant()))))
        .isEqualTo(normal(expected.byVariant()));
  }

  private static long rows(OperatingStore store, String table) throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT COUNT(*) FROM " + store.tablePrefix() + table);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void ingest_journalledDeliveries_attributesAndMeasuresAsAnInMemoryLoop(Db db) {
    FeedbackData data = new FeedbackData(11, 90);
    FeedbackLoop memory = memoryLoop();
    data.deliver(memory);
    List<Attribution> expected = new ArrayList<>();
    data.interactions.forEach(i -> expected.add(memory.record(i)));

    try (OperatingStore store = new Target(db).open()) {
      data.deliver(store.journal());
      FeedbackStore feedback = feedback(store);
      int half = data.interactions.size() / 2;
      List<Ingested> results = new ArrayList<>(feedback.ingest(data.interactions.subList(0, half)));
      results.addAll(feedback.ingest(data.interactions.subList(half, data.interactions.size())));

      assertThat(results).extracting(Ingested::attribution).isEqualTo(expected);
      Map<Outcome, Long> outcomes = memory.metrics().attributions().byOutcome();
      assertThat(outcomes).allSatisfy((o, n) -> assertThat(n).as(o.name()).isPositive());
      assertThat(results).filteredOn(Ingested::duplicate).hasSize(0);

      FeedbackLoop rebuilt = feedback.loop();
      assertSameMetrics(rebuilt.metrics(), memory.metrics());
      assertEffectsAre(feedback.strategyEffects(), memory.metrics());
      for (String campaign : FeedbackData.CAMPAIGNS) {
        for (String type : FeedbackData.TYPES) {
          for (String segment : FeedbackData.SEGMENTS) {
            assertThat(rebuilt.observed(campaign, type, segment))
                .as(campaign + type + segment)
                .isEqualTo(memory.observed(campaign, type, segment));
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void lastTouch_agreesWithAnInMemoryLoopFedTheSameDeliveries_andRecordAttributesAsIngest(Db db) {
    FeedbackData data = new FeedbackData(14, 40);
    FeedbackLoop memory = memoryLoop();
    data.deliver(memory);

    try (OperatingStore store = new Target(db).open()) {
      data.deliver(store.journal());
      InteractionRecorder recorder = feedback(store);
      int touched = 0;
      for (FeedbackData.Delivery d : data.deliveries) {
        String customer = d.request().customerId();
        for (Instant at :
            List.of(d.receipt().deliveredAt(), d.receipt().deliveredAt().minusSeconds(1))) {
          Optional<String> expected = memory.lastTouch(customer, at);
          assertThat(recorder.lastTouch(customer, at))
              .as(customer + " at " + at)
              .isEqualTo(expected);
          touched += expected.isPresent() ? 1 : 0;
        }
      }
      assertThat(touched).isGreaterThan(data.deliveries.size() / 2);
      assertThat(recorder.lastTouch("C-nobody", NOW)).isEmpty();

      Interaction first = data.interactions.get(0);
      assertThat(recorder.record(first)).isEqualTo(memory.record(first));
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void ingest_sameInteractionsAgain_countsNothingTwice(Db db) throws SQLException {
    FeedbackData data = new FeedbackData(12, 60);
    FeedbackLoop memory = memoryLoop();
    data.deliver(memory);
    data.interactions.forEach(memory::record);

    try (OperatingStore store = new Target(db).open()) {
      data.deliver(store.journal());
      FeedbackStore feedback = feedback(store);
      List<Ingested> first = feedback.ingest(data.interactions);
      long distinct = first.stream().map(Ingested::interactionId).distinct().count();
      List<StrategyEffect> effects = feedback.strategyEffects();

      List<Ingested> again = feedback.ingest(data.interactions);
      List<Ingested> byAnotherProcess = feedback(store).ingest(data.interactions);

      assertThat(again).allMatch(Ingested::duplicate);
      assertThat(again)
          .extracting(Ingested::attribution)
          .isEqualTo(first.stream().map(Ingested::attribution).toList());
      assertThat(byAnotherProcess).allMatch(Ingested::duplicate);
      assertThat(rows(store, "interactions")).isEqualTo(distinct);
      assertThat(feedback.strategyEffects()).isEqualTo(effects);
      assertSameMetrics(feedback.loop().metrics(), memory.metrics());
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void ingest_aDuplicateWithinOneCall_isStoredOnce(Db db) throws SQLException {
    FeedbackData data = new FeedbackData(13, 6);
    Interaction open =
        data.interactions.stream()
            .filter(i -> i.type() == InteractionType.OPENED)
            .findFirst()
            .orElseThrow();

    try (OperatingStore store = new Target(db).open()) {
      data.deliver(store.journal());
      List<Ingested> r = feedback(store).ingest(List.of(open, open));

      assertThat(r.get(0).duplicate()).isFalse();
      assertThat(r.get(0).attribution().outcome()).isEqualTo(Outcome.ATTRIBUTED);
      assertThat(r.get(1))
          .isEqualTo(new Ingested(r.get(0).interactionId(), r.get(0).attribution(), true));
      assertThat(rows(store, "interactions")).isOne();
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void loop_anotherProcessAndTheNextDay_rebuildsTheSameMetricsAndIngestsOnTop(Db db) {
    FeedbackData data = new FeedbackData(14, 80);
    int half = data.deliveries.size() / 2;
    List<FeedbackData.Delivery> day1 = data.deliveries.subList(0, half);
    List<FeedbackData.Delivery> day2 = data.deliveries.subList(half, data.deliveries.size());
    List<Interaction> early = new ArrayList<>();
    List<Interaction> late = new ArrayList<>();
    Instant day2Starts = day2.get(0).receipt().deliveredAt();
    for (Interaction i : data.interactions) {
      (i.at().isBefore(day2Starts) ? early : late).add(i);
    }
    FeedbackLoop memory = memoryLoop();
    day1.forEach(d -> memory.recordDelivery(d.request(), d.receipt()));
    early.forEach(memory::record);
    day2.forEach(d -> memory.recordDelivery(d.request(), d.receipt()));
    late.forEach(memory::record);
    Target target = new Target(db);

    try (OperatingStore a = target.open();
        OperatingStore b = target.open()) {
      FeedbackStore first = feedback(a);
      FeedbackStore second = feedback(b);
      FeedbackData.deliver(a.journal(), day1);
      first.ingest(early.subList(0, early.size() / 2));
      second.ingest(early.subList(early.size() / 2, early.size())); // catches up with the first
      FeedbackData.deliver(b.journal(), day2);
      first.ingest(late.subList(0, late.size() / 2)); // counts the second's deliveries
      second.ingest(late.subList(late.size() / 2, late.size()));

      assertSameMetrics(first.loop().metrics(), memory.metrics());
      assertSameMetrics(second.loop().metrics(), memory.metrics());
      assertEffectsAre(second.strategyEffects(), memory.metrics());
    }
    try (OperatingStore restarted = target.open()) {
      assertSameMetrics(feedback(restarted).loop().metrics(), memory.metrics());
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void ingest_interactionBeforeItsDelivery_isAttributedWhenIngestedAgainAfterIt(Db db)
      throws SQLException {
    FeedbackData data = new FeedbackData(15, 4);
    ActionRequest r = data.deliveries.get(0).request();
    Interaction click =
        Interaction.of(
            r.idempotencyKey(),
            r.customerId(),
            r.campaign(),
            InteractionType.CLICKED,
            data.deliveries.get(0).receipt().deliveredAt().plusSeconds(90));

    try (OperatingStore store = new Target(db).open()) {
      FeedbackStore feedback = feedback(store);
      Ingested before = feedback.ingest(click);
      data.deliver(store.journal());
      Ingested after = feedback.ingest(click);
      Ingested third = feedback(store).ingest(click);

      assertThat(before.attribution().outcome()).isEqualTo(Outcome.UNATTRIBUTED_NO_DELIVERY);
      assertThat(before.duplicate()).isFalse();
      assertThat(after.attribution().outcome()).isEqualTo(Outcome.ATTRIBUTED);
      assertThat(after.duplicate()).isFalse();
      assertThat(third.attribution()).isEqualTo(after.attribution());
      assertThat(third.duplicate()).isTrue();
      assertThat(rows(store, "interactions")).isOne();
      MetricsReport m = feedback.loop().metrics();
      assertThat(m.byAction().get(r.idempotencyKey()).clicked()).isOne();
      assertThat(m.attributions().total()).isOne();
      assertThat(feedback.strategyEffects())
          .extracting(e -> e.metrics().clicked())
          .containsOnly(0L, 1L)
          .contains(1L);
    }
  }

  @Test
  void ingest_twoProcessesAtOnceOnPostgres_storeEachInteractionOnceAndAgreeWithTheEffects()
      throws Exception {
    FeedbackData data = new FeedbackData(16, 120);
    Target target = new Target(Db.POSTGRES);
    try (OperatingStore a = target.open();
        OperatingStore b = target.open()) {
      data.deliver(a.journal());
      FeedbackStore first = feedback(a);
      FeedbackStore second = feedback(b);
      List<Interaction> all = data.interactions;
      CyclicBarrier start = new CyclicBarrier(2);
      List<CompletableFuture<Void>> running = new ArrayList<>();
      for (FeedbackStore f : List.of(first, second)) {
        running.add(
            CompletableFuture.runAsync(
                () -> {
                  await(start);
                  // Both ingest everything, in batches of 25 from opposite ends.
                  List<Interaction> mine = new ArrayList<>(all);
                  if (f == second) {
                    Collections.reverse(mine);
                  }
                  for (int from = 0; from < mine.size(); from += 25) {
                    f.ingest(mine.subList(from, Math.min(mine.size(), from + 25)));
                  }
                }));
      }
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();

      assertThat(rows(a, "interactions")).isEqualTo(all.size());
      MetricsReport rebuilt = second.loop().metrics();
      assertThat(rebuilt.attributions().total()).isEqualTo(all.size());
      assertEffectsAre(first.strategyEffects(), rebuilt);
      assertThat(rebuilt.byAction().values())
          .allSatisfy(
              m -> {
                assertThat(m.opened()).isLessThanOrEqualTo(1);
                assertThat(m.conversions()).isLessThanOrEqualTo(1);
              });
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void assignments_firstAssignmentFromTwoProcessesAtOnce_endsWithOneVariant(Db db)
      throws Exception {
    Target target = new Target(db);
    // The two processes run with opposite weights, so their hashes disagree for most customers.
    Experiment mostlyControl =
        Experiment.builder("subject")
            .campaign("winback")
            .variant("control", 0.9)
            .variant("B", 0.1)
            .build();
    Experiment mostlyB =
        Experiment.builder("subject")
            .campaign("winback")
            .variant("control", 0.1)
            .variant("B", 0.9)
            .build();
    int customers = 150;
    try (OperatingStore a = target.open();
        OperatingStore b = target.open()) {
      ExperimentAssigner first =
          ExperimentAssigner.create(mostlyControl, feedback(a).assignments());
      ExperimentAssigner second = ExperimentAssigner.create(mostlyB, feedback(b).assignments());
      CyclicBarrier start = new CyclicBarrier(2);
      CompletableFuture<List<String>> one =
          CompletableFuture.supplyAsync(
              () -> {
                await(start);
                List<String> out = new ArrayList<>();
                for (int i = 0; i < customers; i++) {
                  out.add(first.assign("C-" + i));
                }
                return out;
              });
      CompletableFuture<List<String>> two =
          CompletableFuture.supplyAsync(
              () -> {
                await(start);
                List<String> out = new ArrayList<>();
                for (int i = 0; i < customers; i++) {
                  out.add(second.assign("C-" + i));
                }
                return out;
              });

      assertThat(one.join()).isEqualTo(two.join());
      assertThat(rows(a, "assignments")).isEqualTo(customers);
      for (int i = 0; i < customers; i++) {
        assertThat(feedback(b).assignments().get("subject", "C-" + i)).contains(one.join().get(i));
      }
      assertThat(one.join()).contains("control", "B");
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void assignments_putIfAbsent_keepsTheFirst_putReplaces(Db db) {
    try (OperatingStore store = new Target(db).open()) {
      var assignments = feedback(store).assignments();

      assertThat(assignments.get("subject", "C-1")).isEmpty();
      assertThat(assignments.putIfAbsent("subject", "C-1", "B")).isEqualTo("B");
      assertThat(assignments.putIfAbsent("subject", "C-1", "control")).isEqualTo("B");
      assignments.put("subject", "C-1", "control");
      assertThat(assignments.get("subject", "C-1")).contains("control");
      assertThat(assignments.get("other", "C-1")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void allocations_recordedRounds_roundTripAndTheFirstOfARoundStays(Db db) {
    Experiment subject =
        Experiment.builder("winback-subject")
            .campaign("winback")
            .variant("control", 0.5)
            .variant("B", 0.5)
            .control("control")
            .minSamplePerArm(20)
            .build();
    ThompsonSampler sampler =
        ThompsonSampler.builder(subject).seed(7).draws(2_000).clock(CLOCK).build();
    List<Allocation> rounds =
        List.of(
            sampler.allocate(
                Map.of("control", new VariantCounts(10, 1), "B", new VariantCounts(9, 2))),
            sampler.allocate(
                Map.of("control", new VariantCounts(40, 4), "B", new VariantCounts(41, 9))),
            sampler.allocate(
                Map.of("control", new VariantCounts(80, 6), "B", new VariantCounts(85, 17))));
    Target target = new Target(db);

    try (OperatingStore a = target.open();
        OperatingStore b = target.open()) {
      for (Allocation r : rounds) {
        assertThat(feedback(a).recordAllocation(subject, r)).isTrue();
      }
      Allocation recomputed =
          ThompsonSampler.builder(subject)
              .seed(99)
              .draws(2_000)
              .clock(CLOCK)
              .build()
              .allocate(Map.of());

      assertThat(feedback(b).recordAllocation(subject, recomputed)).isFalse();
      assertThat(feedback(b).allocations("winback-subject")).isEqualTo(rounds);
      assertThat(feedback(b).allocations("unknown")).isEmpty();
      assertThat(rounds.get(2).isExploring()).isFalse();
      assertThat(feedback(b).experiments())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.id()).isEqualTo("winback-subject");
                assertThat(e.campaign()).isEqualTo("winback");
                assertThat(e.control()).isEqualTo("control");
                assertThat(e.minSamplePerArm()).isEqualTo(20);
                assertThat(e.weights()).isEqualTo(rounds.get(2).weights());
              });
      Experiment other =
          Experiment.builder("other")
              .campaign("winback")
              .variant("x", 0.5)
              .variant("y", 0.5)
              .build();
      assertThatThrownBy(() -> feedback(a).recordAllocation(other, rounds.get(0)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("another experiment");
    }
  }

  @ParameterizedTest
  @EnumSource(Db.class)
  void ingest_customerIdTooLong_namesTheFieldNotTheValueAndStoresNothing(Db db)
      throws SQLException {
    String secret = "C-" + "9".repeat(250);
    Interaction fine = Interaction.conversion("C-1", "winback", T0, BigDecimal.ONE);
    try (OperatingStore store = new Target(db).open()) {
      assertThatThrownBy(
              () ->
                  feedback(store)
                      .ingest(
                          List.of(
                              fine, Interaction.conversion(secret, "winback", T0, BigDecimal.ONE))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("interactions[1].customerId is longer than 200 characters")
          .hasMessageNotContaining(secret);
      assertThat(rows(store, "interactions")).isZero();
    }
  }

  @Test
  void interactionId_sameContent_sameKey_anyFieldChanged_anotherKey() {
    Interaction base =
        new Interaction(
            null, "C-1", "winback", InteractionType.CONVERTED, T0, new BigDecimal("249.90"));
    String id = FeedbackStore.interactionId(base);

    assertThat(id).hasSize(64).doesNotContain("C-1");
    assertThat(
            FeedbackStore.interactionId(
                new Interaction(
                    null,
                    "C-1",
                    "winback",
                    InteractionType.CONVERTED,
                    T0.plusNanos(300),
                    new BigDecimal("249.9"))))
        .isEqualTo(id);
    Map<String, Interaction> changed =
        Map.of(
            "key",
                new Interaction(
                    "ik-1",
                    "C-1",
                    "winback",
                    InteractionType.CONVERTED,
                    T0,
                    new BigDecimal("249.90")),
            "customer",
                new Interaction(
                    null,
                    "C-2",
                    "winback",
                    InteractionType.CONVERTED,
                    T0,
                    new BigDecimal("249.90")),
            "campaign",
                new Interaction(
                    null,
                    "C-1",
                    "loyalty",
                    InteractionType.CONVERTED,
                    T0,
                    new BigDecimal("249.90")),
            "at",
                new Interaction(
                    null,
                    "C-1",
                    "winback",
                    InteractionType.CONVERTED,
                    T0.plusNanos(1_000),
                    new BigDecimal("249.90")),
            "revenue", new Interaction(null, "C-1", "winback", InteractionType.CONVERTED, T0, null),
            "type", new Interaction(null, "C-1", "winback", InteractionType.OPENED, T0, null));
    changed.forEach(
        (field, i) -> assertThat(FeedbackStore.interactionId(i)).as(field).isNotEqualTo(id));
  }

  @Test
  void feedback_ofTheStore_usesTheDefaultWindow() {
    try (OperatingStore store = new Target(Db.H2).open()) {
      assertThat(store.feedback().conversionWindow()).isEqualTo(Duration.ofDays(7));
      assertThat(store.feedback()).isSameAs(store.feedback());
      assertThat(store.feedback().loop().metrics().total()).isEqualTo(Metrics.EMPTY);
      assertThat(store.feedback().strategyEffects()).isEmpty();
      assertThat(store.feedback().experiments()).isEmpty();
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
