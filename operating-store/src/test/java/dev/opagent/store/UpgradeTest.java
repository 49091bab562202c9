package dev.opagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.Channel;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.journal.JdbcExecutionJournal;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.spi.Contact;
import dev.opagent.testkit.InMemoryChannel;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal written by the journal alone (schema version 1) is upgraded in place when the store
 * opens it: nothing is lost, a round that crashed in it resumes, and what it delivered counts
 * against the caps and budgets afterwards.
 */
class UpgradeTest {
  private static final Instant NOW = Instant.parse("2026-03-15T10:00:00Z");
  private static final IdempotencyKeys KEYS = IdempotencyKeys.dailyUtc();

  @TempDir Path dir;

  private static ActionRequest request(String customer, String type, String channel, String cost) {
    return new ActionRequest(
        KEYS.key("winback", type, customer, NOW),
        "round-1",
        customer,
        "winback",
        type,
        channel,
        Map.of(),
        List.of(),
        null,
        null,
        new BigDecimal(cost),
        NOW);
  }

  @Test
  void journalOfSchemaVersion1_isMigratedAndItsCrashedRoundResumes() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("journal").toAbsolutePath();
    List<ActionRequest> requests = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      requests.add(request("C-" + i, "send_email", "email", "0.01"));
    }
    requests.add(request("C-0", "create_discount", "discount", "2.50"));
    try (JdbcExecutionJournal old = JdbcExecutionJournal.forUrl(url, "sa", "")) {
      old.runState("round-1", RunState.PLANNING, NOW);
      old.enlist(requests, NOW);
      old.runState("round-1", RunState.PLANNED, NOW);
      String delivered = requests.get(0).idempotencyKey();
      old.claim(delivered, "dead", NOW, NOW.plusSeconds(60));
      old.complete(
          delivered, "dead", DeliveryReceipt.delivered(requests.get(0), "jsonl", "x-1", NOW), NOW);
      old.claim(requests.get(1).idempotencyKey(), "dead", NOW, NOW.plusSeconds(3600));
    } // the process that ran the round died here: one delivered, one in flight, four pending

    try (OperatingStore store = OperatingStore.open(url, "sa", "")) {
      Map<String, Integer> states = StoreLoop.states(store);
      assertThat(states)
          .containsEntry("COMPLETED", 1)
          .containsEntry("EXECUTING", 1)
          .containsEntry("PENDING", 4);
      List<Contact> contacts =
          store
              .operatingState()
              .inBatch(
                  List.of("C-0"),
                  DecisionPolicy.ofDefaults(),
                  NOW,
                  b -> b.contactsSince("C-0", NOW.minusSeconds(60)));
      assertThat(contacts).extracting(Contact::channel).containsExactly(Channel.EMAIL);

      InMemoryChannel channel = InMemoryChannel.create();
      try (ExecutionService executor =
          ExecutionService.builder()
              .journal(store.journal())
              .journalIsLedger(true)
              .clock(Clock.fixed(NOW, ZoneOffset.UTC))
              .channels(
                  ChannelRegistry.builder().register(channel).fallback(channel.name()).build())
              .build()) {
        executor.recover("round-1");
        ExecutionReport report = executor.execute("round-1");
        assertThat(report.completed()).isEqualTo(5);
      }
      assertThat(store.journal().counts("round-1"))
          .containsExactly(Map.entry(ExecutionState.COMPLETED, 6L));
      assertThat(store.journal().runState("round-1")).contains(RunState.COMPLETED);
      BigDecimal spent =
          store
              .operatingState()
              .inBatch(List.of(), DecisionPolicy.ofDefaults(), NOW, b -> b.budgetInUse("winback"));
      assertThat(spent).isEqualByComparingTo("2.55");
    }
  }

  @Test
  void journalFromBeforeTheCustomerKey_itsPendingActionsAreFoundByCustomer() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("old-journal").toAbsolutePath();
    ActionRequest pending = request("C-1", "send_email", "email", "0.01");
    try (JdbcExecutionJournal old = JdbcExecutionJournal.forUrl(url, "sa", "")) {
      old.runState("round-1", RunState.PLANNED, NOW);
      old.enlist(List.of(pending, request("C-2", "send_email", "email", "0.01")), NOW);
    }
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement()) {
      s.execute("DROP INDEX opagent_executions_customer");
      s.execute("ALTER TABLE opagent_executions DROP COLUMN customer_key");
    }

    try (OperatingStore store = OperatingStore.open(url, "sa", "")) {
      assertThat(store.journal().pendingFor("C-1", null, 10))
          .extracting(r -> r.request().idempotencyKey())
          .containsExactly(pending.idempotencyKey());
    }
  }
}
