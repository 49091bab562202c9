package dev.opagent.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.engine.CustomerContext;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.Action;
import dev.opagent.rules.Eligibility;
import dev.opagent.rules.Verdict;
import dev.opagent.testkit.InMemoryChannel;
import dev.opagent.testkit.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The executor's meters, driven by an execution service delivering an engine's chosen actions
 * through an in-memory channel with an in-memory journal.
 */
class ExecutionMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OpagentMetrics metrics = OpagentMetrics.create(registry);
  private final MutableClock clock = MutableClock.at("2026-03-15T12:00:00Z");
  private final InMemoryChannel email =
      InMemoryChannel.builder().name("email").clock(clock).build();
  private final DecisionEngine engine =
      DecisionEngine.builder()
          .clock(clock)
          .policy(
              DecisionPolicy.builder()
                  .clearFrequencyCaps()
                  .clearQuietHours()
                  .clearExecutionLimits()
                  .approval(ApprovalThresholds.none())
                  .build())
          .build();
  private final ExecutionService service =
      ExecutionService.builder()
          .journal(new InMemoryExecutionJournal())
          .clock(clock)
          .decisionEngine(engine)
          .channels(ChannelRegistry.builder().register(email).fallback("email").build())
          .maxAttempts(3)
          .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
          .listener(metrics.executionListener())
          .build();
  private final List<String> secrets = new ArrayList<>();

  @AfterEach
  void close() {
    service.close();
  }

  /** The chosen winback e-mail of {@code customerId}, planned now. */
  private PlannedAction chosen(String customerId) {
    Verdict.Eligible winback =
        new Verdict.Eligible(
            "winback", "winback", 60, List.of(new Action("send_email", Map.of(), Duration.ZERO)));
    CustomerContext ctx =
        CustomerContext.builder(new Eligibility(customerId, List.of("winback"), List.of(winback)))
            .consent(Channel.EMAIL)
            .customerValue(100)
            .expectedBasket(100)
            .build();
    secrets.add(customerId);
    return engine.decide(ctx).chosen().get(0);
  }

  private List<ActionRequest> enlist(String runId, List<PlannedAction> actions) {
    List<ActionRequest> requests = new ArrayList<>();
    for (PlannedAction a : actions) {
      ActionRequest r = service.request(runId, a, null, "Riskli");
      secrets.add(r.idempotencyKey());
      requests.add(r);
    }
    service.enlist(requests, actions);
    return requests;
  }

  private double deliveries(String outcome) {
    return registry
        .get(OpagentMetrics.EXECUTION_DELIVERIES)
        .tags(
            "channel",
            "email",
            "campaign",
            "winback",
            "action.type",
            "send_email",
            "outcome",
            outcome)
        .counter()
        .count();
  }

  @Test
  void execute_retriedFailedDuplicateAndCancelled_countsEachOutcomeRetriesAndLag() {
    List<PlannedAction> actions =
        List.of(chosen("C-301"), chosen("C-302"), chosen("C-303"), chosen("C-304"));
    List<ActionRequest> requests = enlist("r1", actions);
    email.failKey(requests.get(2).idempotencyKey(), false); // C-303 fails for good
    email.deliver(requests.get(3)); // C-304 reached the channel before: a duplicate now
    email.failNext(2); // two retryable failures before the rest go through
    clock.advance(Duration.ofMinutes(5));

    ExecutionReport report = service.execute("r1");

    assertThat(report.completed()).isEqualTo(3);
    assertThat(report.duplicates()).isEqualTo(1);
    assertThat(report.failed()).isEqualTo(1);
    assertThat(deliveries("completed")).isEqualTo(2);
    assertThat(deliveries("duplicate")).isEqualTo(1);
    assertThat(deliveries("failed")).isEqualTo(1);
    assertThat(
            registry.get(OpagentMetrics.EXECUTION_RETRIES).counters().stream()
                .mapToDouble(Counter::count)
                .sum())
        .isEqualTo(2)
        .isEqualTo((double) report.retries());
    Timer lag = registry.get(OpagentMetrics.EXECUTION_LAG).tag("channel", "email").timer();
    assertThat(lag.count()).isEqualTo(2);
    assertThat(lag.totalTime(TimeUnit.SECONDS)).isEqualTo(2 * 300.0);
    assertThat(lag.max(TimeUnit.SECONDS)).isEqualTo(300.0);

    // a second round is withdrawn before delivery
    enlist("r2", List.of(chosen("C-305")));
    assertThat(service.cancel("r2", "campaign withdrawn")).isEqualTo(1);

    assertThat(deliveries("cancelled")).isEqualTo(1);
    assertThat(lag.count()).isEqualTo(2);
    Privacy.assertNoTagHolds(registry, secrets);
  }

  @Test
  void bindTo_gaugesTheClaimsHeld_andCountsAClaimLostToAnotherExecutor() throws Exception {
    metrics.bindTo(service);
    String key = enlist("r1", List.of(chosen("C-501"))).get(0).idempotencyKey();
    email.failNextWithRetryAfter(1, Duration.ofSeconds(1));
    CompletableFuture<ExecutionReport> running =
        CompletableFuture.supplyAsync(() -> service.execute("r1"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (email.attempts() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(registry.get(OpagentMetrics.EXECUTION_LEASES_HELD).gauge().value()).isEqualTo(1);
    // During the retry wait, another executor whose clock says the lease is over takes it.
    Instant later = clock.instant().plus(Duration.ofHours(1));
    assertThat(service.journal().claim(key, "other", later, later.plus(Duration.ofMinutes(1))))
        .isPresent();

    ExecutionReport report = running.get(30, TimeUnit.SECONDS);

    assertThat(report.heldElsewhere()).isEqualTo(1);
    assertThat(registry.get(OpagentMetrics.EXECUTION_LEASES_HELD).gauge().value()).isZero();
    assertThat(registry.get(OpagentMetrics.EXECUTION_LEASES_LOST).functionCounter().count())
        .isEqualTo(1);
    assertThatThrownBy(() -> metrics.bindTo(service))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("own OpagentMetrics");
  }

  @Test
  void execute_cleanRound_registersRetriesAtZero() {
    enlist("r1", List.of(chosen("C-401"), chosen("C-402")));

    service.execute("r1");

    assertThat(deliveries("completed")).isEqualTo(2);
    assertThat(registry.get(OpagentMetrics.EXECUTION_RETRIES).counter().count()).isZero();
    assertThat(registry.get(OpagentMetrics.EXECUTION_LAG).timer().totalTime(TimeUnit.SECONDS))
        .isZero();
  }
}
