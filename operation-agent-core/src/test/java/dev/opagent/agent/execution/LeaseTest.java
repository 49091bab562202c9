package dev.opagent.agent.execution;

import static dev.opagent.agent.execution.ExecutionServiceTest.DUE;
import static dev.opagent.agent.execution.ExecutionServiceTest.NEVER;
import static dev.opagent.agent.execution.ExecutionServiceTest.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.ExecutionJournal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Leases between executors sharing one journal, in real time with short leases: a live owner keeps
 * its work however long delivery and retries take (heartbeat, renewal before each retry), a dead
 * owner's work is taken over once its lease ends, and an owner whose claim was taken over does not
 * deliver.
 */
class LeaseTest {
  private static final Duration LEASE = Duration.ofSeconds(2);

  private static ExecutionService executor(
      String owner, ScriptedChannel channel, ExecutionJournal journal) {
    return ExecutionService.builder()
        .owner(owner)
        .journal(journal)
        .expireAfter(NEVER)
        .channels(ChannelRegistry.builder().register(channel).fallback(channel.name()).build())
        .lease(LEASE)
        .maxRetryAfter(Duration.ofSeconds(10))
        .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
        .build();
  }

  private static void awaitAttempts(ScriptedChannel channel, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (channel.attemptTimes.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(channel.attemptTimes).hasSizeGreaterThanOrEqualTo(n);
  }

  @Test
  void slowDelivery_outlastingTheLease_staysWithItsLiveOwner() throws Exception {
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    ScriptedChannel channel = new ScriptedChannel("mail");
    channel.holdNanos = TimeUnit.SECONDS.toNanos(5);
    List<ActionRequest> reqs = requests("r1", 1, "send_email", DUE);
    try (ExecutionService a = executor("a", channel, journal);
        ExecutionService b = executor("b", channel, journal)) {
      a.enlist(reqs);
      CompletableFuture<ExecutionReport> first =
          CompletableFuture.supplyAsync(() -> a.execute("r1"));
      awaitAttempts(channel, 1);
      assertThat(a.claimsHeld()).isEqualTo(1);
      Thread.sleep(LEASE.toMillis() + 1_000);

      ExecutionReport second = b.execute("r1");

      assertThat(second.heldElsewhere()).isEqualTo(1);
      assertThat(second.completed()).isZero();
      assertThat(b.claimsHeld()).isZero();
      assertThat(first.get(30, TimeUnit.SECONDS).completed()).isEqualTo(1);
      assertThat(a.claimsHeld()).isZero();
      assertThat(a.claimsLost()).isZero();
      assertThat(channel.deliveries.get(reqs.get(0).idempotencyKey()).get()).isEqualTo(1);
    }
  }

  @Test
  void retryWaitLongerThanTheLease_staysWithItsLiveOwner() throws Exception {
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    ScriptedChannel channel = new ScriptedChannel("mail");
    channel.failNext(1, true, Duration.ofSeconds(4));
    List<ActionRequest> reqs = requests("r1", 1, "send_email", DUE);
    try (ExecutionService a = executor("a", channel, journal);
        ExecutionService b = executor("b", channel, journal)) {
      a.enlist(reqs);
      CompletableFuture<ExecutionReport> first =
          CompletableFuture.supplyAsync(() -> a.execute("r1"));
      awaitAttempts(channel, 1);
      Thread.sleep(LEASE.toMillis() + 500);

      assertThat(b.recover("r1")).isZero();
      ExecutionReport second = b.execute("r1");

      assertThat(second.heldElsewhere()).isEqualTo(1);
      ExecutionReport report = first.get(30, TimeUnit.SECONDS);
      assertThat(report.completed()).isEqualTo(1);
      assertThat(report.retries()).isEqualTo(1);
      assertThat(channel.deliveries.get(reqs.get(0).idempotencyKey()).get()).isEqualTo(1);
    }
  }

  @Test
  void claimTakenOverDuringARetryWait_isNotDeliveredByItsFormerOwner() throws Exception {
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    ScriptedChannel channel = new ScriptedChannel("mail");
    channel.failNext(1, true, Duration.ofSeconds(1));
    List<ActionRequest> reqs = requests("r1", 1, "send_email", DUE);
    String key = reqs.get(0).idempotencyKey();
    try (ExecutionService a = executor("a", channel, journal)) {
      a.enlist(reqs);
      CompletableFuture<ExecutionReport> first =
          CompletableFuture.supplyAsync(() -> a.execute("r1"));
      awaitAttempts(channel, 1);
      // Another executor whose clock says the lease is long over takes the action.
      Instant later = Instant.now().plus(Duration.ofHours(1));
      assertThat(journal.claim(key, "b", later, later.plus(LEASE))).isPresent();

      ExecutionReport report = first.get(30, TimeUnit.SECONDS);

      assertThat(report.completed()).isZero();
      assertThat(report.failed()).isZero();
      assertThat(report.heldElsewhere()).isEqualTo(1);
      assertThat(channel.deliveries).doesNotContainKey(key);
      assertThat(journal.find(key).orElseThrow().owner()).isEqualTo("b");
      assertThat(a.claimsLost()).isEqualTo(1);
      assertThat(a.claimsHeld()).isZero();
    }
  }

  @Test
  void resume_waitsForADeadOwnersLease_thenDeliversItsWork() {
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    ScriptedChannel channel = new ScriptedChannel("mail");
    List<ActionRequest> reqs = requests("r1", 3, "send_email", DUE);
    journal.enlist(reqs, Instant.now());
    Instant now = Instant.now();
    journal.claim(reqs.get(0).idempotencyKey(), "killed", now, now.plusMillis(1_500));
    try (ExecutionService b = executor("b", channel, journal)) {
      ExecutionReport report = b.resume("r1", Duration.ofSeconds(20));

      assertThat(report.completed()).isEqualTo(3);
      assertThat(report.heldElsewhere()).isZero();
      assertThat(report.considered()).isEqualTo(3);
      assertThat(channel.delivered()).isEqualTo(3);
    }
  }

  @Test
  void resume_liveOwner_keepsItsWorkAndIsReportedHeldElsewhere() throws Exception {
    InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
    ScriptedChannel channel = new ScriptedChannel("mail");
    channel.holdNanos = TimeUnit.SECONDS.toNanos(6);
    List<ActionRequest> reqs = requests("r1", 1, "send_email", DUE);
    try (ExecutionService a = executor("a", channel, journal);
        ExecutionService b = executor("b", channel, journal)) {
      a.enlist(reqs);
      CompletableFuture<ExecutionReport> first =
          CompletableFuture.supplyAsync(() -> a.execute("r1"));
      awaitAttempts(channel, 1);

      ExecutionReport resumed = b.resume("r1", Duration.ofSeconds(3));

      assertThat(resumed.heldElsewhere()).isEqualTo(1);
      assertThat(first.get(30, TimeUnit.SECONDS).completed()).isEqualTo(1);
      assertThat(channel.deliveries.get(reqs.get(0).idempotencyKey()).get()).isEqualTo(1);
    }
  }

  @Test
  void build_withoutHeartbeat_refusesALeaseShorterThanTheRetries() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    ExecutionService.Builder b =
        ExecutionService.builder()
            .heartbeat(Duration.ZERO)
            .channels(ChannelRegistry.builder().register(channel).fallback("mail").build());

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lease (PT30S)")
        .hasMessageContaining("PT20M")
        .hasMessageContaining("maxRetryAfter");
    assertThat(b.lease(Duration.ofMinutes(21)).build().heartbeat()).isZero();
  }

  @Test
  void build_heartbeatLongerThanHalfTheLease_isRefused() {
    ScriptedChannel channel = new ScriptedChannel("mail");
    ExecutionService.Builder b =
        ExecutionService.builder()
            .heartbeat(Duration.ofSeconds(20))
            .channels(ChannelRegistry.builder().register(channel).fallback("mail").build());

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("heartbeat (PT20S) must be at most half the lease (PT30S)");
  }
}
