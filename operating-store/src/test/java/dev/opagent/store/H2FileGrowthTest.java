package dev.opagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionJournal.Completion;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.store.OperatingStore.Durability;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded H2 file committed at every transaction ({@code WRITE_DELAY=0}) grows with its data
 * when the store opened it (housekeeping runs), and many times faster when a host's pool opened the
 * same URL (no housekeeping): about a third of the size here.
 *
 * <p>The URL shortens H2's retention of freed chunks from 45 s to 200 ms so that freed space is
 * reused within the test; with the default the same holds once the store has run for 45 s.
 */
class H2FileGrowthTest {
  private static final IdempotencyKeys KEYS = IdempotencyKeys.dailyUtc();
  private static final int BATCHES = 600;
  private static final int BATCH = 20;

  @Test
  void storeOpenedFile_sameRoundAsWithoutHousekeeping_fileUnderHalfTheSize(@TempDir Path dir)
      throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("kept/store") + ";RETENTION_TIME=200";
    long kept;
    try (OperatingStore store =
        OperatingStore.builder().url(url, "sa", "").durability(Durability.WRITTEN).build()) {
      kept = churn(store, dir.resolve("kept/store.mv.db"));
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(
        "jdbc:h2:file:" + dir.resolve("host/store") + ";WRITE_DELAY=0;RETENTION_TIME=200");
    config.setUsername("sa");
    config.setPassword("");
    long unkept;
    try (HikariDataSource pool = new HikariDataSource(config);
        OperatingStore store =
            OperatingStore.builder().dataSource(pool).durability(Durability.WRITTEN).build()) {
      unkept = churn(store, dir.resolve("host/store.mv.db"));
    }
    assertThat(kept)
        .as("file of the store that keeps its file vs a host pool's without housekeeping (bytes)")
        .isLessThan(unkept / 2);
  }

  /**
   * The journal's write pattern in a round: batches enlisted, claimed and completed, a commit each,
   * with a run-state update per batch. Returns the file's size at the end.
   */
  private static long churn(OperatingStore store, Path file) throws IOException {
    Instant now = Instant.parse("2026-03-15T10:00:00Z");
    Map<String, Object> payload = new LinkedHashMap<>();
    for (int f = 0; f < 12; f++) {
      payload.put("field" + f, "value of field " + f + " of a realistic action payload");
    }
    for (int b = 0; b < BATCHES; b++) {
      List<ActionRequest> batch = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        String customer = "C-" + (b * BATCH + i);
        batch.add(
            new ActionRequest(
                KEYS.key("winback", "send_email", customer, now),
                "round-1",
                customer,
                "winback",
                "send_email",
                "email",
                payload,
                List.of(),
                null,
                null,
                new BigDecimal("0.01"),
                now));
      }
      store.journal().enlist(batch, now);
      List<String> keys = batch.stream().map(ActionRequest::idempotencyKey).toList();
      store.journal().claimAll(keys, "worker", now, now.plusSeconds(60));
      store
          .journal()
          .completeAll(
              batch.stream()
                  .map(
                      r ->
                          new Completion(
                              r.idempotencyKey(), DeliveryReceipt.delivered(r, "email", "x", now)))
                  .toList(),
              "worker",
              now);
      store.journal().runState("round-1", RunState.PLANNING, now);
    }
    return Files.size(file);
  }
}
