package dev.opagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.spi.SegmentStore;
import dev.opagent.agent.spi.StoredAnalysis;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.segment.Source;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.PopulationGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every database of the operating store must do with segment analyses. */
abstract class SegmentStoreContract {
  static final String ARN =
      "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/customer_segment_agent-abc";
  static final Instant AT = Instant.parse("2026-03-15T08:00:00.123456789Z");
  static final ReferenceSegmenter SEGMENTER = new ReferenceSegmenter(Fixtures.seedClock());

  OperatingStore store;
  SegmentStore segments;

  /** A new store with tables of its own. */
  abstract OperatingStore open();

  @BeforeEach
  void openStore() {
    store = open();
    segments = store.segmentStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static StoredAnalysis analysis(CustomerData data, Instant at, String qualifier) {
    return StoredAnalysis.of(data, SEGMENTER.analyze(data), at, ARN, qualifier, Source.AGENT);
  }

  @Test
  void saveAll_thenFind_readsBackEveryMember() {
    CustomerData c = Fixtures.seedActiveCustomer();
    SegmentAnalysis a = SEGMENTER.analyze(c);
    segments.saveAll(List.of(StoredAnalysis.of(c, a, AT, ARN, "DEFAULT", Source.AGENT)));

    Map<String, StoredAnalysis> found =
        segments.find(List.of(c.customerId(), "C-none"), ARN, "DEFAULT");

    assertThat(found).containsOnlyKeys(c.customerId());
    StoredAnalysis s = found.get(c.customerId());
    assertThat(s.analysis()).isEqualTo(a);
    assertThat(s.dataHash()).isEqualTo(c.canonicalHash());
    assertThat(s.analysedAt()).isEqualTo(Instant.parse("2026-03-15T08:00:00.123456Z"));
    assertThat(s.agentRuntimeArn()).isEqualTo(ARN);
    assertThat(s.qualifier()).isEqualTo("DEFAULT");
    assertThat(s.source()).isEqualTo(Source.AGENT);
  }

  @Test
  void saveAll_again_replacesTheCustomersRow() {
    List<CustomerData> customers = PopulationGenerator.ofSeed(3).list(2);
    CustomerData c = customers.get(0);
    CustomerData other =
        new CustomerData(c.customerId(), "Izmir", c.customer(), c.region(), c.currentSeason());
    segments.saveAll(
        List.of(analysis(c, AT, "DEFAULT"), analysis(customers.get(1), AT, "DEFAULT")));

    StoredAnalysis renewed = analysis(other, AT.plusSeconds(86_400), "DEFAULT");
    segments.saveAll(List.of(renewed));

    StoredAnalysis s = segments.find(List.of(c.customerId()), ARN, "DEFAULT").get(c.customerId());
    assertThat(s.dataHash()).isEqualTo(other.canonicalHash()).isNotEqualTo(c.canonicalHash());
    assertThat(s.analysedAt()).isEqualTo(Instant.parse("2026-03-16T08:00:00.123456Z"));
    assertThat(segments.find(List.of(customers.get(1).customerId()), ARN, "DEFAULT")).hasSize(1);
  }

  @Test
  void find_eachAgentSeesOnlyItsOwnAnalyses() {
    CustomerData c = Fixtures.seedActiveCustomer();
    segments.saveAll(List.of(analysis(c, AT, "DEFAULT")));
    segments.saveAll(List.of(analysis(c, AT.plusSeconds(60), "canary")));

    assertThat(
            segments.find(List.of(c.customerId()), ARN, "DEFAULT").get(c.customerId()).analysedAt())
        .isEqualTo(Instant.parse("2026-03-15T08:00:00.123456Z"));
    assertThat(
            segments.find(List.of(c.customerId()), ARN, "canary").get(c.customerId()).qualifier())
        .isEqualTo("canary");
    assertThat(segments.find(List.of(c.customerId()), ARN.replace("-abc", "-xyz"), "DEFAULT"))
        .isEmpty();
  }

  @Test
  void find_manyCustomers_readsThemInChunks() {
    List<CustomerData> customers = PopulationGenerator.ofSeed(5).list(1_234);
    List<StoredAnalysis> all = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (CustomerData c : customers) {
      all.add(analysis(c, AT, "DEFAULT"));
      ids.add(c.customerId());
    }
    segments.saveAll(all);
    ids.add("C-none");

    Map<String, StoredAnalysis> found = segments.find(ids, ARN, "DEFAULT");

    assertThat(found).hasSize(customers.size());
    for (CustomerData c : customers) {
      assertThat(found.get(c.customerId()).dataHash()).isEqualTo(c.canonicalHash());
    }
  }

  @Test
  void saveAll_sameCustomerTwice_keepsTheLatest() {
    CustomerData c = Fixtures.seedActiveCustomer();
    StoredAnalysis newer = analysis(c, AT.plusSeconds(5), "DEFAULT");
    segments.saveAll(List.of(newer, analysis(c, AT, "DEFAULT")));

    assertThat(
            segments.find(List.of(c.customerId()), ARN, "DEFAULT").get(c.customerId()).analysedAt())
        .isEqualTo(Instant.parse("2026-03-15T08:00:05.123456Z"));
  }

  @Test
  void saveAll_customerIdTooLongForTheTable_isSkippedAndNeverFound() {
    CustomerData c = Fixtures.seedActiveCustomer();
    String longId = "C-" + "9".repeat(250);
    CustomerData big = new CustomerData(longId, c.city(), null, c.region(), c.currentSeason());

    segments.saveAll(List.of(analysis(big, AT, "DEFAULT"), analysis(c, AT, "DEFAULT")));

    assertThat(segments.find(List.of(longId, c.customerId()), ARN, "DEFAULT"))
        .containsOnlyKeys(c.customerId());
  }

  @Test
  void find_rowWithASourceThisVersionDoesNotKnow_isSkipped() throws Exception {
    CustomerData c = Fixtures.seedActiveCustomer();
    try (Connection conn = store.dataSource().getConnection();
        PreparedStatement ps =
            conn.prepareStatement(
                "INSERT INTO "
                    + store.tablePrefix()
                    + "segments (customer_id, agent_arn, qualifier, data_hash, analysed_at, source,"
                    + " analysis_json) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, c.customerId());
      ps.setString(2, ARN);
      ps.setString(3, "DEFAULT");
      ps.setString(4, c.canonicalHash());
      ps.setObject(5, OffsetDateTime.ofInstant(AT, ZoneOffset.UTC));
      ps.setString(6, "IMPORTED_LATER");
      ps.setString(7, "{}");
      ps.executeUpdate();
    }

    assertThat(segments.find(List.of(c.customerId()), ARN, "DEFAULT")).isEmpty();
    segments.saveAll(List.of(analysis(c, AT, "DEFAULT")));
    assertThat(segments.find(List.of(c.customerId()), ARN, "DEFAULT")).hasSize(1);
  }

  @Test
  void saveAll_concurrentOverlappingSaves_allCommit() throws Exception {
    List<CustomerData> customers = PopulationGenerator.ofSeed(9).list(700);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> saves = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Instant at = AT.plusSeconds(t);
        List<StoredAnalysis> mine = new ArrayList<>();
        for (CustomerData c : customers) {
          mine.add(analysis(c, at, "DEFAULT"));
        }
        Collections.shuffle(mine, new java.util.Random(t));
        saves.add(pool.submit(() -> segments.saveAll(mine)));
      }
      for (Future<?> f : saves) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    List<String> ids = customers.stream().map(CustomerData::customerId).toList();
    assertThat(segments.find(ids, ARN, "DEFAULT")).hasSize(customers.size());
  }
}
