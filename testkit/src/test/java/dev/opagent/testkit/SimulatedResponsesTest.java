package dev.opagent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionRecord;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.feedback.Interaction;
import dev.opagent.agent.feedback.InteractionType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SimulatedResponsesTest {
  private static final Instant T0 = Instant.parse("2026-03-15T10:00:00Z");

  private static ExecutionRecord delivered(int i, String variant) {
    ActionRequest q =
        new ActionRequest(
            "ik-" + i,
            "run-1",
            "C-" + i,
            "winback",
            "send_email",
            "email",
            Map.of(),
            List.of(),
            variant,
            null,
            BigDecimal.ONE,
            T0);
    DeliveryReceipt receipt =
        new DeliveryReceipt(
            q.idempotencyKey(), "email", "m-" + i, T0.plusSeconds(30), null, false, "delivered");
    return new ExecutionRecord(q, ExecutionState.COMPLETED, 1, T0, T0, null, null, null, receipt);
  }

  private static List<ExecutionRecord> deliveries(int n) {
    List<ExecutionRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(delivered(i, i % 2 == 0 ? "control" : "B"));
    }
    return out;
  }

  private static long count(List<Interaction> all, InteractionType type, String variant) {
    return all.stream()
        .filter(x -> x.type() == type)
        .filter(
            x ->
                variant == null
                    || Integer.parseInt(x.customerId().substring(2)) % 2
                        == (variant.equals("B") ? 1 : 0))
        .count();
  }

  @Test
  void respond_sameSeed_sameResponsesWhateverTheOrder() {
    SimulatedResponses a = SimulatedResponses.builder().seed(7).clickRate(0.5).build();
    List<ExecutionRecord> records = deliveries(500);
    List<Interaction> first = a.respond(records);
    List<ExecutionRecord> shuffled = new ArrayList<>(records);
    Collections.reverse(shuffled);
    assertThat(SimulatedResponses.builder().seed(7).clickRate(0.5).build().respond(shuffled))
        .containsExactlyInAnyOrderElementsOf(first);
    assertThat(SimulatedResponses.builder().seed(8).clickRate(0.5).build().respond(records))
        .isNotEqualTo(first);
  }

  @Test
  void respond_manyDeliveries_followTheRates() {
    SimulatedResponses customers =
        SimulatedResponses.builder()
            .seed(1)
            .openRate(0.45)
            .clickRate(0.35)
            .conversionRate(r -> "B".equals(r.variant()) ? 0.10 : 0.04)
            .revenue(new BigDecimal("40.00"), new BigDecimal("199.99"))
            .build();
    List<Interaction> all = customers.respond(deliveries(20_000));
    // Deterministic for this seed; the bounds are several standard deviations wide.
    assertThat(count(all, InteractionType.OPENED, null)).isBetween(8_600L, 9_400L);
    assertThat(count(all, InteractionType.CLICKED, null)).isBetween(2_900L, 3_400L);
    assertThat(count(all, InteractionType.CONVERTED, "control")).isBetween(330L, 480L);
    assertThat(count(all, InteractionType.CONVERTED, "B")).isBetween(900L, 1_100L);
    assertThat(all)
        .filteredOn(x -> x.type() == InteractionType.CONVERTED)
        .allSatisfy(
            x ->
                assertThat(x.revenue())
                    .isBetween(new BigDecimal("40.00"), new BigDecimal("199.99")));
  }

  @Test
  void respond_clicksOnlyAfterAnOpen_andAfterTheDelivery() {
    List<Interaction> all =
        SimulatedResponses.builder()
            .seed(3)
            .clickRate(1)
            .conversionRate(1)
            .build()
            .respond(deliveries(200));
    for (int i = 0; i < 200; i++) {
      String key = "ik-" + i;
      List<Interaction> mine = all.stream().filter(x -> key.equals(x.idempotencyKey())).toList();
      boolean opened = mine.stream().anyMatch(x -> x.type() == InteractionType.OPENED);
      boolean clicked = mine.stream().anyMatch(x -> x.type() == InteractionType.CLICKED);
      assertThat(clicked).isEqualTo(opened);
      assertThat(mine).anySatisfy(x -> assertThat(x.type()).isEqualTo(InteractionType.CONVERTED));
      assertThat(mine).allSatisfy(x -> assertThat(x.at()).isAfter(T0.plusSeconds(30)));
    }
  }

  @Test
  void respond_notCompleted_nothing() {
    ExecutionRecord pending = ExecutionRecord.pending(delivered(1, null).request(), T0);
    assertThat(SimulatedResponses.builder().openRate(1).conversionRate(1).build().respond(pending))
        .isEmpty();
  }

  @Test
  void builder_badRates_failNamingTheSetting() {
    assertThatThrownBy(() -> SimulatedResponses.builder().openRate(1.5))
        .hasMessage("openRate must be between 0 and 1 but was 1.5");
    assertThatThrownBy(() -> SimulatedResponses.builder().clickRate(Double.NaN))
        .hasMessage("clickRate must be between 0 and 1 but was NaN");
    assertThatThrownBy(
            () -> SimulatedResponses.builder().revenue(new BigDecimal("2"), new BigDecimal("1")))
        .hasMessage("revenue min must not exceed max; swap the bounds");
    SimulatedResponses bad = SimulatedResponses.builder().conversionRate(r -> 2).build();
    assertThatThrownBy(() -> bad.respond(delivered(1, null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("conversionRate for campaign winback must be between 0 and 1 but was 2.0");
  }

  @Property(tries = 200)
  void respond_anySeed_atMostOneOfEachAndFixedRevenue(@ForAll long seed) {
    List<Interaction> all =
        SimulatedResponses.builder()
            .seed(seed)
            .clickRate(0.5)
            .conversionRate(0.5)
            .build()
            .respond(deliveries(20));
    assertThat(all)
        .filteredOn(x -> x.type() == InteractionType.CONVERTED)
        .allSatisfy(x -> assertThat(x.revenue()).isEqualByComparingTo("120.00"));
    assertThat(all.stream().map(x -> x.idempotencyKey() + x.type()).distinct().count())
        .isEqualTo(all.size());
  }
}
