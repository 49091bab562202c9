package dev.opagent.agent.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.spi.Observation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Invariants of the loop over random sequences of deliveries and interactions. */
class FeedbackLoopPropertyTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final List<String> CUSTOMERS = List.of("C-1", "C-2", "C-3");
  private static final List<String> CAMPAIGNS = List.of("winback", "loyalty");
  private static final List<String> SEGMENTS = List.of("Riskli", "Kayıp");

  /** A delivery (key 0–9 reused on purpose) or an interaction, at an hour offset from T0. */
  record Event(
      boolean delivery,
      int key,
      int customer,
      int campaign,
      InteractionType type,
      boolean keyed,
      int hours) {}

  @Provide
  Arbitrary<Event> events() {
    return Combinators.combine(
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 9),
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, 1),
            Arbitraries.of(InteractionType.class),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 24 * 20))
        .as(Event::new);
  }

  @Property(tries = 200)
  void metrics_stayConsistentWithTheAttributions(
      @ForAll @Size(max = 80) List<@From("events") Event> events) {
    FeedbackLoop loop = FeedbackLoop.ofDefaults();
    long records = 0;
    long attributed = 0;
    long attributedConversions = 0;
    for (Event e : events) {
      Instant at = T0.plus(Duration.ofHours(e.hours()));
      if (e.delivery()) {
        ActionRequest r =
            new ActionRequest(
                "k" + e.key(),
                "run",
                CUSTOMERS.get(e.customer()),
                CAMPAIGNS.get(e.campaign()),
                "send_email",
                "email",
                Map.of(),
                List.of(),
                null,
                SEGMENTS.get(e.key() % 2),
                BigDecimal.ONE,
                at);
        loop.recordDelivery(r, DeliveryReceipt.delivered(r, "email", "m", at));
      } else {
        records++;
        Attribution a =
            loop.record(
                new Interaction(
                    e.keyed() ? "k" + e.key() : null,
                    CUSTOMERS.get(e.customer()),
                    CAMPAIGNS.get(e.campaign()),
                    e.type(),
                    at,
                    e.type() == InteractionType.CONVERTED ? BigDecimal.TEN : null));
        if (a.isAttributed()) {
          attributed++;
          if (e.type() == InteractionType.CONVERTED) {
            attributedConversions++;
          }
        }
      }
    }

    MetricsReport r = loop.metrics();
    assertThat(r.attributions().total()).isEqualTo(records);
    assertThat(r.attributions().count(Attribution.Outcome.ATTRIBUTED)).isEqualTo(attributed);
    Metrics total = r.total();
    assertThat(total.conversions()).isEqualTo(attributedConversions);
    assertThat(total.revenue())
        .isEqualByComparingTo(BigDecimal.TEN.multiply(BigDecimal.valueOf(attributedConversions)));
    Metrics sumOfActions = r.byAction().values().stream().reduce(Metrics.EMPTY, Metrics::plus);
    assertThat(sumOfActions).isEqualTo(total);
    for (Metrics m : r.byAction().values()) {
      assertThat(m.delivered()).isEqualTo(1);
      assertThat(m.conversions()).isLessThanOrEqualTo(1);
    }
    long observedTrials = 0;
    long observedSuccesses = 0;
    for (String campaign : CAMPAIGNS) {
      for (String segment : SEGMENTS) {
        Observation o = loop.observed(campaign, "send_email", segment);
        observedTrials += o.trials();
        observedSuccesses += o.successes();
      }
    }
    assertThat(observedTrials).isEqualTo(total.delivered());
    assertThat(observedSuccesses).isEqualTo(total.conversions());
    Metrics sumOfSegments = r.bySegment().values().stream().reduce(Metrics.EMPTY, Metrics::plus);
    assertThat(sumOfSegments).isEqualTo(total);
  }

  @Property(tries = 200)
  void restore_afterEveryDelivery_rebuildsTheSameMetricsAndObservations(
      @ForAll @Size(max = 80) List<@From("events") Event> events) {
    Instant asOf = T0.plus(Duration.ofDays(30));
    FeedbackLoop live = FeedbackLoop.builder().clock(Clock.fixed(asOf, ZoneOffset.UTC)).build();
    List<ActionRequest> delivered = new ArrayList<>();
    List<Map.Entry<Interaction, Attribution>> recorded = new ArrayList<>();
    for (Event e : events) {
      Instant at = T0.plus(Duration.ofHours(e.hours()));
      if (e.delivery()) {
        ActionRequest r =
            new ActionRequest(
                "k" + e.key(),
                "run",
                CUSTOMERS.get(e.customer()),
                CAMPAIGNS.get(e.campaign()),
                "send_email",
                "email",
                Map.of(),
                List.of(),
                null,
                SEGMENTS.get(e.key() % 2),
                BigDecimal.ONE,
                at);
        if (live.recordDelivery(r, DeliveryReceipt.delivered(r, "email", "m", at))) {
          delivered.add(r);
        }
      } else {
        Interaction i =
            new Interaction(
                e.keyed() ? "k" + e.key() : null,
                CUSTOMERS.get(e.customer()),
                CAMPAIGNS.get(e.campaign()),
                e.type(),
                at,
                e.type() == InteractionType.CONVERTED ? BigDecimal.TEN : null);
        recorded.add(Map.entry(i, live.record(i)));
      }
    }

    // A rebuild reads every delivery first, then the interactions with their stored outcomes.
    FeedbackLoop rebuilt = FeedbackLoop.builder().clock(Clock.fixed(asOf, ZoneOffset.UTC)).build();
    for (ActionRequest r : delivered) {
      rebuilt.recordDelivery(r, DeliveryReceipt.delivered(r, "email", "m", r.plannedAt()));
    }
    recorded.forEach(p -> rebuilt.restore(p.getKey(), p.getValue()));

    MetricsReport expected = live.metrics();
    MetricsReport actual = rebuilt.metrics();
    assertThat(actual.byAction()).isEqualTo(expected.byAction());
    assertThat(actual.byCampaign()).isEqualTo(expected.byCampaign());
    assertThat(actual.bySegment()).isEqualTo(expected.bySegment());
    assertThat(actual.attributions().byType()).isEqualTo(expected.attributions().byType());
    for (String campaign : CAMPAIGNS) {
      for (String segment : SEGMENTS) {
        assertThat(rebuilt.observed(campaign, "send_email", segment))
            .isEqualTo(live.observed(campaign, "send_email", segment));
      }
    }
    // Whatever comes next is attributed alike by both.
    for (String customer : CUSTOMERS) {
      for (String campaign : CAMPAIGNS) {
        Interaction next =
            Interaction.conversion(
                customer, campaign, T0.plus(Duration.ofDays(10)), BigDecimal.ONE);
        assertThat(rebuilt.record(next)).isEqualTo(live.record(next));
      }
    }
  }
}
