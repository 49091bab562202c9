package dev.opagent.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.feedback.Attribution;
import dev.opagent.agent.feedback.FeedbackLoop;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionRecorder;
import dev.opagent.agent.feedback.InteractionType;
import dev.opagent.testkit.MutableClock;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The feedback loop's meters, counted from what a real loop made of each interaction. */
class FeedbackMetricsTest {
  private static final IdempotencyKeys KEYS = IdempotencyKeys.dailyUtc();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OpagentMetrics metrics = OpagentMetrics.create(registry);
  private final MutableClock clock = MutableClock.at("2026-03-15T12:00:00Z");
  private final FeedbackLoop loop = FeedbackLoop.builder().clock(clock).build();
  private final InteractionRecorder recorder = metrics.interactionRecorder(loop);
  private final List<String> secrets = new ArrayList<>();

  /** Records the delivery of a winback e-mail to {@code customerId} now; returns its key. */
  private String delivered(String customerId) {
    Instant now = clock.instant();
    String key = KEYS.key("winback", "send_email", customerId, now);
    ActionRequest request =
        new ActionRequest(
            key,
            "r1",
            customerId,
            "winback",
            "send_email",
            "email",
            Map.of(),
            List.of(),
            null,
            "Riskli",
            new BigDecimal("0.01"),
            now);
    loop.recordDelivery(request, DeliveryReceipt.delivered(request, "email", "m-1", now));
    secrets.add(customerId);
    secrets.add(key);
    return key;
  }

  private double interactions(String campaign, String type, String outcome) {
    return registry
        .get(OpagentMetrics.FEEDBACK_INTERACTIONS)
        .tags("campaign", campaign, "type", type, "outcome", outcome)
        .counter()
        .count();
  }

  @Test
  void record_conversionsOpensAndStrays_countsAttributedConversionsRevenueAndEveryOutcome() {
    String key = delivered("C-501");
    delivered("C-502");
    clock.advance(Duration.ofHours(1));
    Instant at = clock.instant();

    Attribution converted =
        recorder.record(Interaction.conversion("C-501", "winback", at, new BigDecimal("249.90")));
    Attribution again =
        recorder.record(Interaction.conversion("C-501", "winback", at, new BigDecimal("10.00")));
    Attribution opened =
        recorder.record(Interaction.of(key, "C-501", "winback", InteractionType.OPENED, at));
    Attribution stray =
        recorder.record(
            Interaction.conversion("C-599", "campaign-of-C-599", at, new BigDecimal("99.00")));
    secrets.add("C-599");
    Attribution late =
        recorder.record(
            Interaction.conversion(
                "C-502", "winback", at.plus(Duration.ofDays(8)), new BigDecimal("5.00")));

    assertThat(converted.outcome()).isEqualTo(Attribution.Outcome.ATTRIBUTED);
    assertThat(again.outcome()).isEqualTo(Attribution.Outcome.DUPLICATE_CONVERSION);
    assertThat(opened.outcome()).isEqualTo(Attribution.Outcome.ATTRIBUTED);
    assertThat(stray.outcome()).isEqualTo(Attribution.Outcome.UNATTRIBUTED_NO_DELIVERY);
    assertThat(late.outcome()).isEqualTo(Attribution.Outcome.OUTSIDE_WINDOW);
    assertThat(
            registry
                .get(OpagentMetrics.FEEDBACK_CONVERSIONS)
                .tag("campaign", "winback")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(OpagentMetrics.FEEDBACK_REVENUE)
                .tag("campaign", "winback")
                .counter()
                .count())
        .isEqualTo(249.90);
    assertThat(interactions("winback", "converted", "attributed")).isEqualTo(1);
    assertThat(interactions("winback", "converted", "duplicate_conversion")).isEqualTo(1);
    assertThat(interactions("winback", "opened", "attributed")).isEqualTo(1);
    assertThat(interactions("winback", "converted", "outside_window")).isEqualTo(1);
    assertThat(interactions(FeedbackMetrics.NO_CAMPAIGN, "converted", "unattributed_no_delivery"))
        .isEqualTo(1);
    assertThat(Search.in(registry).tag("campaign", "campaign-of-C-599").meters()).isEmpty();
    // the meters agree with the loop's own metrics
    assertThat(loop.campaign("winback").orElseThrow().conversions()).isEqualTo(1);
    Privacy.assertNoTagHolds(registry, secrets);
  }

  @Test
  void interactionRecorder_lastTouch_isTheDelegatesAnswer() {
    delivered("C-601");

    Optional<String> touch = recorder.lastTouch("C-601", clock.instant());

    assertThat(touch).contains("winback").isEqualTo(loop.lastTouch("C-601", clock.instant()));
  }
}
