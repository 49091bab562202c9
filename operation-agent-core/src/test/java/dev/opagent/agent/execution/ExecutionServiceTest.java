package dev.opagent.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ExecutionServiceTest {
  static final Instant DUE = Instant.parse("2026-03-15T09:00:00Z");

  /** The requests are due on a fixed day in the past; they must not expire. */
  static final Duration NEVER = Duration.ofDays(365L * 100);

  static List<ActionRequest> requests(String runId, int n, String actionType, Instant at) {
    IdempotencyKeys keys = IdempotencyKeys.dailyUtc();
    List<ActionRequest> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String customer = "C-" + i;
      out.add(
          new ActionRequest(
              keys.key("winback", actionType, customer, at),
              runId,
              customer,
              "winback",
              actionType,
              "email",
              Map.of("template", "w1"),
              List.of(),
              null,
              "Riskli",
              new BigDecimal("0.01"),
              at));
    }
    return out;
  }

  static ExecutionService service(ScriptedChannel channel, InMemoryExecutionJournal journal) {
    return ExecutionService.builder()
        .expireAfter(NEVER)
        .journal(journal)
        .channels(ChannelRegistry.builder().register(channel).fallback(channel.name()).build())
        .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
        .build();
  }

  @Test
  void execute_enlistedActions_deliversEachOnceAndCompletesThem() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    try (ExecutionService service = service(channel, journal)) {
      service.enlist(requests("r1", 50, "send_email", DUE));

      ExecutionReport report = service.execute("r1");

      assertThat(report.considered()).isEqualTo(50);
      assertThat(report.completed()).isEqualTo(50);
      assertThat(report.attempts()).isEqualTo(50);
      assertThat(report.completedByChannel()).containsEntry("mail", 50L);
      assertThat(report.isClean()).isTrue();
      assertThat(channel.delivered()).isEqualTo(50);
      assertThat(journal.counts("r1")).containsExactly(Map.entry(ExecutionState.COMPLETED, 50L));
      assertThat(journal.records("r1"))
          .allSatisfy(
              r -> {
                assertThat(r.attempts()).isEqualTo(1);
                assertThat(r.receipt()).isNotNull();
              });
    }
  }

  @Test
  void enlist_samePlanAgain_sendsNothingTwice() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    try (ExecutionService service = service(channel, journal)) {
      service.enlist(requests("r1", 20, "send_email", DUE));
      service.execute("r1");

      List<ExecutionRecord> again =
          service.enlist(requests("r2", 20, "send_email", DUE.plus(Duration.ofHours(3))));
      ExecutionReport second = service.execute("r2");

      assertThat(again)
          .allSatisfy(
              r -> {
                assertThat(r.runId()).isEqualTo("r1");
                assertThat(r.state()).isEqualTo(ExecutionState.COMPLETED);
              });
      assertThat(second.considered()).isZero();
      assertThat(channel.deliveries.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }
  }

  @Test
  void execute_retryableFailures_retriesAndRecordsAttempts() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    channel.failNext(2, true, null);
    try (ExecutionService service =
        ExecutionService.builder()
            .expireAfter(NEVER)
            .journal(journal)
            .channels(ChannelRegistry.builder().register(channel).fallback("mail").build())
            .defaultLimits(ChannelLimits.of(1))
            .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .build()) {
      service.enlist(requests("r1", 1, "send_email", DUE));

      ExecutionReport report = service.execute("r1");

      assertThat(report.completed()).isEqualTo(1);
      assertThat(report.attempts()).isEqualTo(3);
      assertThat(report.retries()).isEqualTo(2);
      ExecutionRecord r = journal.records("r1").get(0);
      assertThat(r.attempts()).isEqualTo(3);
      assertThat(r.state()).isEqualTo(ExecutionState.COMPLETED);
    }
  }

  @Test
  void execute_retryAfter_waitsAsTheChannelAsked() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    channel.failNext(1, true, Duration.ofMillis(400));
    try (ExecutionService service = service(channel, new InMemoryExecutionJournal())) {
      service.enlist(requests("r1", 1, "send_email", DUE));

      service.execute("r1");

      assertThat(channel.attemptTimes).hasSize(2);
      assertThat(Duration.between(channel.attemptTimes.get(0), channel.attemptTimes.get(1)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(390));
    }
  }

  @Test
  void execute_permanentFailureAndExhaustedRetries_failAloneWithTheirCause() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    channel.failNext(1, false, null);
    try (ExecutionService service =
        ExecutionService.builder()
            .expireAfter(NEVER)
            .journal(journal)
            .channels(ChannelRegistry.builder().register(channel).fallback("mail").build())
            .defaultLimits(ChannelLimits.of(1))
            .maxAttempts(2)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .build()) {
      service.enlist(requests("r1", 5, "send_email", DUE));

      ExecutionReport report = service.execute("r1");

      assertThat(report.failed()).isEqualTo(1);
      assertThat(report.completed()).isEqualTo(4);
      assertThat(report.failures()).containsEntry("channel 'mail': HTTP 400", 1L);
      assertThat(journal.counts("r1"))
          .containsEntry(ExecutionState.FAILED, 1L)
          .containsEntry(ExecutionState.COMPLETED, 4L);
      ExecutionRecord failed =
          journal.records("r1").stream()
              .filter(r -> r.state() == ExecutionState.FAILED)
              .findFirst()
              .orElseThrow();
      assertThat(failed.lastError()).isEqualTo("channel 'mail': HTTP 400");
      assertThat(failed.lastError()).doesNotContain(failed.request().customerId());
    }
  }

  @Test
  void execute_noChannelForTheAction_failsItNamingWhatWasTried() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    try (ExecutionService service =
        ExecutionService.builder()
            .expireAfter(NEVER)
            .journal(journal)
            .channels(
                ChannelRegistry.builder()
                    .register(channel)
                    .routeActionType("send_email", "mail")
                    .build())
            .build()) {
      List<ActionRequest> mixed = new ArrayList<>(requests("r1", 2, "send_email", DUE));
      mixed.addAll(requests("r1", 1, "send_sms", DUE));
      service.enlist(mixed);

      ExecutionReport report = service.execute("r1");

      assertThat(report.completed()).isEqualTo(2);
      assertThat(report.failed()).isEqualTo(1);
      assertThat(report.failures().keySet())
          .singleElement()
          .asString()
          .contains("send_sms")
          .contains("registered channels: [mail]");
    }
  }

  @Test
  void execute_actionPlannedForLater_staysPending() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    try (ExecutionService service = service(channel, journal)) {
      service.enlist(requests("r1", 3, "send_email", Instant.now().plus(Duration.ofDays(2))));

      ExecutionReport report = service.execute("r1");

      assertThat(report.notDue()).isEqualTo(3);
      assertThat(channel.delivered()).isZero();
      assertThat(journal.counts("r1")).containsExactly(Map.entry(ExecutionState.PENDING, 3L));
    }
  }

  @Test
  void execute_channelConcurrencyLimit_isNeverExceeded() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    channel.holdNanos = 2_000_000;
    try (ExecutionService service =
        ExecutionService.builder()
            .expireAfter(NEVER)
            .journal(new InMemoryExecutionJournal())
            .channels(ChannelRegistry.builder().register(channel).fallback("mail").build())
            .limits("mail", ChannelLimits.of(3))
            .build()) {
      service.enlist(requests("r1", 60, "send_email", DUE));

      service.execute("r1");

      assertThat(channel.delivered()).isEqualTo(60);
      assertThat(channel.maxInFlight.get()).isBetween(1, 3);
    }
  }

  @Test
  void execute_rateLimit_spacesDeliveries() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    try (ExecutionService service =
        ExecutionService.builder()
            .expireAfter(NEVER)
            .journal(new InMemoryExecutionJournal())
            .channels(ChannelRegistry.builder().register(channel).fallback("mail").build())
            .limits("mail", ChannelLimits.of(4, 50))
            .build()) {
      service.enlist(requests("r1", 21, "send_email", DUE));

      ExecutionReport report = service.execute("r1");

      assertThat(report.completed()).isEqualTo(21);
      // 21 deliveries at 50/s need at least 20 intervals of 20 ms
      assertThat(report.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(380));
    }
  }

  @Test
  void execute_twoExecutorsOnOneJournal_deliverEachActionOnce() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    channel.holdNanos = 200_000;
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    ChannelRegistry registry = ChannelRegistry.builder().register(channel).fallback("mail").build();
    ExecutionService a =
        ExecutionService.builder()
            .expireAfter(NEVER)
            .journal(journal)
            .channels(registry)
            .owner("a")
            .build();
    ExecutionService b =
        ExecutionService.builder()
            .expireAfter(NEVER)
            .journal(journal)
            .channels(registry)
            .owner("b")
            .build();
    a.enlist(requests("r1", 300, "send_email", DUE));

    CompletableFuture<ExecutionReport> ra = CompletableFuture.supplyAsync(() -> a.execute("r1"));
    CompletableFuture<ExecutionReport> rb = CompletableFuture.supplyAsync(() -> b.execute("r1"));

    long completed = ra.join().completed() + rb.join().completed();
    assertThat(completed).isEqualTo(300);
    assertThat(channel.deliveries).hasSize(300);
    assertThat(channel.deliveries.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(journal.counts("r1")).containsExactly(Map.entry(ExecutionState.COMPLETED, 300L));
  }

  @Test
  void execute_listeners_hearEveryTerminalAction() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    channel.failNext(1, false, null);
    List<String> heard = new CopyOnWriteArrayList<>();
    try (ExecutionService service =
        ExecutionService.builder()
            .expireAfter(NEVER)
            .journal(new InMemoryExecutionJournal())
            .channels(ChannelRegistry.builder().register(channel).fallback("mail").build())
            .defaultLimits(ChannelLimits.of(1))
            .listener(
                new ExecutionListener() {
                  @Override
                  public void completed(ExecutionRecord r) {
                    heard.add("completed");
                  }

                  @Override
                  public void failed(ExecutionRecord r) {
                    heard.add("failed");
                  }
                })
            .build()) {
      service.enlist(requests("r1", 3, "send_email", DUE));

      service.execute("r1");

      assertThat(heard).containsExactlyInAnyOrder("failed", "completed", "completed");
    }
  }

  @Test
  void recover_deadOwnersEndedLease_isResumedWithTheSameKey_liveOnesAreLeftAlone() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    List<ActionRequest> reqs = requests("r1", 2, "send_email", DUE);
    journal.enlist(reqs, Instant.now());
    Instant now = Instant.now();
    journal.claim(
        reqs.get(0).idempotencyKey(), "dead-process", now.minusSeconds(60), now.minusSeconds(1));
    journal.claim(reqs.get(1).idempotencyKey(), "live-process", now, now.plusSeconds(600));
    channel.deliver(reqs.get(0));
    try (ExecutionService service = service(channel, journal)) {
      assertThat(service.recover("r1")).isEqualTo(1);
      ExecutionReport report = service.execute("r1");

      assertThat(report.completed()).isEqualTo(1);
      assertThat(report.duplicates()).isEqualTo(1);
      assertThat(report.heldElsewhere()).isEqualTo(1);
      assertThat(channel.deliveries.get(reqs.get(0).idempotencyKey()).get()).isEqualTo(2);
      assertThat(channel.deliveries).doesNotContainKey(reqs.get(1).idempotencyKey());
      assertThat(journal.counts("r1"))
          .containsOnly(
              Map.entry(ExecutionState.COMPLETED, 1L), Map.entry(ExecutionState.EXECUTING, 1L));
    }
  }

  @Test
  void cancel_pendingActions_areWithdrawn() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    try (ExecutionService service = service(channel, journal)) {
      service.enlist(requests("r1", 4, "send_email", DUE));

      assertThat(service.cancel("r1", "campaign stopped")).isEqualTo(4);
      assertThat(service.execute("r1").considered()).isZero();
      assertThat(journal.counts("r1")).containsExactly(Map.entry(ExecutionState.CANCELLED, 4L));
    }
  }

  @Test
  void builder_withoutChannels_saysWhatToSet() {
    assertThatThrownBy(() -> ExecutionService.builder().build())
        .hasMessageContaining("channels must be set");
  }

  @Test
  void execute_afterClose_isRefused() {
    ExecutionService service = service(new ScriptedChannel("mail"), new InMemoryExecutionJournal());
    service.close();
    assertThatThrownBy(() -> service.execute("r1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
