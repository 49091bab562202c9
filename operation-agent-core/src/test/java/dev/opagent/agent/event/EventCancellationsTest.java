package dev.opagent.agent.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.channels.JsonLinesChannel;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.journal.JdbcExecutionJournal;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.execution.spi.RunState;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCancellationsTest {
  private static final Instant NOW = Instant.parse("2026-03-15T09:00:00Z");
  private static final IdempotencyKeys KEYS = IdempotencyKeys.dailyUtc();
  private static final RuleSet RULES =
      RuleSetLoader.ofDefaults()
          .load(
              RuleSource.string(
                  "cart",
                  """
                  {"rules": [
                    {"rule_id": "cart_recovery", "conditions": {},
                     "trigger": {"event": "cart_abandoned", "within": "PT1H", "cancel_on": ["purchase"]},
                     "actions": [{"type": "send_email", "delay_minutes": 60}]},
                    {"rule_id": "winback", "conditions": {}, "actions": [{"type": "send_email"}]}
                  ]}"""));

  @TempDir Path dir;

  static Stream<String> journals() {
    return Stream.of("memory", "h2");
  }

  private ExecutionJournal journal(String kind) {
    return kind.equals("memory")
        ? new InMemoryExecutionJournal()
        : JdbcExecutionJournal.forUrl(
            "jdbc:h2:mem:events-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
  }

  private static ActionRequest action(
      String customer, String campaign, String channel, Instant plannedAt) {
    return new ActionRequest(
        KEYS.key(campaign, "send_" + channel, customer, plannedAt),
        "round-1",
        customer,
        campaign,
        "send_" + channel,
        channel,
        Map.of(),
        List.of(),
        null,
        null,
        new BigDecimal("0.01"),
        plannedAt);
  }

  @ParameterizedTest
  @MethodSource("journals")
  void purchaseBeforeTheReminderIsDue_withdrawsItAlone_theRestIsDelivered(String kind) {
    ActionRequest reminder = action("C-1", "cart_recovery", "email", NOW.plusSeconds(3600));
    ActionRequest winback = action("C-1", "winback", "email", NOW);
    ActionRequest otherCustomer = action("C-2", "cart_recovery", "email", NOW.plusSeconds(3600));
    Supplier<ExecutionJournal> journals = () -> journal(kind);
    try (ExecutionJournal journal = journals.get();
        JsonLinesChannel channel =
            JsonLinesChannel.builder(dir.resolve(kind + ".jsonl")).name("email").build();
        ExecutionService executor =
            ExecutionService.builder()
                .journal(journal)
                .clock(Clock.fixed(NOW.plusSeconds(7200), ZoneOffset.UTC))
                .channels(ChannelRegistry.builder().register(channel).build())
                .build()) {
      journal.runState("round-1", RunState.PLANNED, NOW);
      executor.enlist(List.of(reminder, winback, otherCustomer));

      CustomerEvent purchase =
          CustomerEvent.purchase("C-1", NOW.plusSeconds(600), new BigDecimal("120.00"));
      List<String> withdrawn =
          executor.cancelPending(
              "C-1", EventCancellations.of(RULES, purchase), EventCancellations.reason(purchase));

      assertThat(withdrawn).containsExactly(reminder.idempotencyKey());
      assertThat(journal.find(reminder.idempotencyKey()).orElseThrow().state())
          .isEqualTo(ExecutionState.CANCELLED);
      assertThat(journal.find(reminder.idempotencyKey()).orElseThrow().lastError())
          .isEqualTo("cancelled by a purchase event at 2026-03-15T09:10:00Z");
      ExecutionReport report = executor.execute("round-1");
      assertThat(report.completed()).isEqualTo(2);
      assertThat(channel.lineCount()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @MethodSource("journals")
  void unsubscribe_withdrawsTheChannelNamed_orEveryContactChannel(String kind) {
    ActionRequest email = action("C-1", "winback", "email", NOW);
    ActionRequest sms = action("C-1", "winback", "sms", NOW);
    ActionRequest discount = action("C-1", "winback", "discount", NOW);
    try (ExecutionJournal journal = journal(kind);
        JsonLinesChannel channel = JsonLinesChannel.open(dir.resolve(kind + "-u.jsonl"));
        ExecutionService executor =
            ExecutionService.builder()
                .journal(journal)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .channels(
                    ChannelRegistry.builder().register(channel).fallback(channel.name()).build())
                .build()) {
      journal.runState("round-1", RunState.PLANNED, NOW);
      executor.enlist(List.of(email, sms, discount));

      CustomerEvent fromEmail =
          new CustomerEvent(CustomerEvent.UNSUBSCRIBE, "C-1", NOW, Map.of("channel", "email"));
      assertThat(
              executor.cancelPending(
                  "C-1",
                  EventCancellations.of(RULES, fromEmail),
                  EventCancellations.reason(fromEmail)))
          .containsExactly(email.idempotencyKey());

      CustomerEvent fromAll = CustomerEvent.of(CustomerEvent.UNSUBSCRIBE, "C-1", NOW);
      assertThat(
              executor.cancelPending(
                  "C-1", EventCancellations.of(RULES, fromAll), EventCancellations.reason(fromAll)))
          .containsExactly(sms.idempotencyKey());
      assertThat(journal.find(discount.idempotencyKey()).orElseThrow().state())
          .isEqualTo(ExecutionState.PENDING);
    }
  }
}
