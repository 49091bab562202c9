package dev.opagent.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.Channel;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.feedback.Attribution;
import dev.opagent.agent.feedback.FeedbackLoop;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionRecorder;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.loop.RoundReport;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import dev.opagent.testkit.InMemoryChannel;
import dev.opagent.testkit.MutableClock;
import dev.opagent.testkit.PopulationGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A whole round — segmentation, decisions, delivery, then conversions — metered as a host wires it,
 * and the meters agree with the round's own report.
 */
class LoopMetricsTest {
  private static final int CUSTOMERS = 60;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MutableClock clock = MutableClock.at("2026-03-15T09:00:00Z");

  private double sum(Search search) {
    return search.counters().stream().mapToDouble(Counter::count).sum();
  }

  private double actions(String status) {
    return sum(Search.in(registry).name(OpagentMetrics.DECISION_ACTIONS).tag("status", status));
  }

  @Test
  void runRound_meteredEverywhere_metersAgreeWithTheReportAndHoldNoCustomerData() {
    OpagentMetrics metrics =
        OpagentMetrics.builder().registry(registry).addTag("application", "shop").build();
    FakeSegmentAgent agent = new FakeSegmentAgent();
    InMemoryChannel email = InMemoryChannel.builder().name("email").clock(clock).build();
    FeedbackLoop feedback = FeedbackLoop.builder().clock(clock).build();
    InteractionRecorder recorder = metrics.interactionRecorder(feedback);
    List<CustomerData> customers = PopulationGenerator.ofSeed(2026).list(CUSTOMERS);

    RoundReport report;
    try (SegmentClient segments =
            agent.client(b -> b.addListener(metrics.segmentClientListener()));
        OperationAgent loop =
            OperationAgent.builder()
                .segmentClient(segments)
                .rules(RuleSetLoader.defaults())
                .clock(clock)
                .decisionEngine(engine -> engine.listener(metrics.decisionListener()))
                .executionService(
                    executor ->
                        executor
                            .channels(
                                ChannelRegistry.builder().register(email).fallback("email").build())
                            .listener(feedback)
                            .listener(metrics.executionListener()))
                .context((data, analysis, ctx) -> ctx.consent(Channel.EMAIL, Channel.IN_APP))
                .build()) {
      metrics.bindTo(segments);
      report = loop.runRound("r1", customers);
    }
    List<ActionRequest> delivered = email.deliveries();
    clock.advance(Duration.ofHours(2));
    List<Attribution> conversions = new ArrayList<>();
    for (ActionRequest r : delivered.subList(0, 3)) {
      conversions.add(
          recorder.record(
              Interaction.conversion(
                  r.customerId(), r.campaign(), clock.instant(), new BigDecimal("100.00"))));
    }

    assertThat(report.customers()).isEqualTo(CUSTOMERS);
    assertThat(report.segmentationFailed()).isZero();
    assertThat(report.chosen()).isPositive();
    assertThat(
            registry
                .get(OpagentMetrics.SEGMENT_REQUESTS)
                .tags("outcome", "success")
                .counter()
                .count())
        .isEqualTo(CUSTOMERS);
    assertThat(
            registry.get(OpagentMetrics.SEGMENT_LATENCY).tags("outcome", "success").timer().count())
        .isEqualTo(CUSTOMERS);
    assertThat(sum(Search.in(registry).name(OpagentMetrics.DECISIONS).tag("mode", "live")))
        .isEqualTo(CUSTOMERS);
    assertThat(actions("chosen")).isEqualTo((double) report.chosen());
    assertThat(actions("blocked")).isEqualTo((double) report.blocked());
    assertThat(actions("deferred")).isEqualTo((double) report.deferred());
    assertThat(actions("suppressed")).isEqualTo((double) report.suppressed());
    assertThat(
            sum(
                Search.in(registry)
                    .name(OpagentMetrics.EXECUTION_DELIVERIES)
                    .tag("outcome", "completed")))
        .isEqualTo((double) report.execution().completed())
        .isEqualTo(delivered.size());
    assertThat(Search.in(registry).name(OpagentMetrics.EXECUTION_LAG).timers())
        .extracting(Timer::count)
        .containsExactly((long) delivered.size());
    assertThat(conversions).allMatch(Attribution::isAttributed);
    assertThat(sum(Search.in(registry).name(OpagentMetrics.FEEDBACK_CONVERSIONS))).isEqualTo(3);
    assertThat(sum(Search.in(registry).name(OpagentMetrics.FEEDBACK_REVENUE))).isEqualTo(300.0);
    assertThat(registry.getMeters())
        .allSatisfy(m -> assertThat(m.getId().getTag("application")).isEqualTo("shop"));

    List<String> secrets = new ArrayList<>();
    customers.forEach(c -> secrets.add(c.customerId()));
    delivered.forEach(r -> secrets.add(r.idempotencyKey()));
    Privacy.assertNoTagHolds(registry, secrets);
  }
}
