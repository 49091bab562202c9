package dev.opagent.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opagent.agent.Channel;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.InMemorySegmentStore;
import dev.opagent.agent.engine.MutableClock;
import dev.opagent.agent.engine.ReasonCode;
import dev.opagent.agent.event.CustomerEvent;
import dev.opagent.agent.event.InMemoryCustomerDirectory;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.spi.ActionChannel;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.execution.spi.DeliveryReceipt;
import dev.opagent.agent.execution.spi.ExecutionState;
import dev.opagent.agent.feedback.Attribution;
import dev.opagent.agent.feedback.FeedbackLoop;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.ProductHistory;
import dev.opagent.segment.SegmentClient;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop driven by customer events, with the bundled cart-recovery campaign. */
class EventProcessorTest {
  private static final Instant T0 = Instant.parse("2026-03-15T10:00:00Z");

  private final MutableClock clock = MutableClock.at(T0.toString());
  private final InProcessSegmentAgent segmentAgent = new InProcessSegmentAgent(clock);
  private final InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
  private final InMemoryCustomerDirectory customers =
      new InMemoryCustomerDirectory(
          List.of(
              SegmentStoreRoundTest.customer("C-1", 8), SegmentStoreRoundTest.customer("C-2", 8)));
  private final FeedbackLoop feedback = FeedbackLoop.builder().clock(clock).build();
  private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
  private final List<ActionRequest> delivered = new ArrayList<>();
  private final List<AutoCloseable> opened = new ArrayList<>();

  private final ActionChannel email =
      new ActionChannel() {
        @Override
        public String name() {
          return "email";
        }

        @Override
        public synchronized DeliveryReceipt deliver(ActionRequest request) {
          deliveries
              .computeIfAbsent(request.idempotencyKey(), k -> new AtomicInteger())
              .incrementAndGet();
          delivered.add(request);
          return DeliveryReceipt.delivered(
              request, "email", "m-" + request.idempotencyKey(), clock.instant());
        }
      };

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private EventProcessor processor(Consumer<OperationAgent.Builder> options) {
    SegmentClient segments = segmentAgent.client();
    DecisionEngine engine = DecisionEngine.builder().clock(clock).build();
    ExecutionService executor =
        ExecutionService.builder()
            .journal(journal)
            .clock(clock)
            .decisionEngine(engine)
            .listener(feedback)
            .channels(ChannelRegistry.builder().register(email).fallback("email").build())
            .build();
    opened.add(segments);
    opened.add(executor);
    OperationAgent.Builder b =
        OperationAgent.builder()
            .segmentClient(segments)
            .rules(RuleSetLoader.defaults())
            .decisionEngine(engine)
            .executionService(executor)
            .clock(clock)
            .context((data, analysis, ctx) -> ctx.consent(Channel.EMAIL, Channel.IN_APP));
    options.accept(b);
    return EventProcessor.builder(b.build()).customers(customers).feedback(feedback).build();
  }

  private EventProcessor processor() {
    return processor(b -> {});
  }

  private static CustomerEvent cartAbandoned(String customer, Instant at) {
    return new CustomerEvent(
        CustomerEvent.CART_ABANDONED,
        customer,
        at,
        Map.of("cartValue", new BigDecimal("249.90"), "items", List.of("P-7")));
  }

  private List<String> cartReminders() {
    return delivered.stream()
        .filter(r -> r.campaign().equals("cart_recovery"))
        .map(ActionRequest::customerId)
        .toList();
  }

  @Test
  void cartAbandoned_reminderScheduledAnHourLater_deliveredOnceWhenDue() {
    EventProcessor events = processor();

    EventOutcome outcome = events.accept(cartAbandoned("C-1", T0));

    assertThat(outcome.stage()).isEqualTo(EventOutcome.Stage.ACTIONS_PLANNED);
    assertThat(outcome.actionKeys()).hasSize(1);
    assertThat(outcome.scheduled()).isEqualTo(1);
    assertThat(outcome.deliveredNow()).isZero();
    String key = outcome.actionKeys().get(0);
    assertThat(journal.find(key).orElseThrow().request().plannedAt())
        .isEqualTo(T0.plus(Duration.ofMinutes(60)));
    assertThat(journal.find(key).orElseThrow().runId()).isEqualTo("events-2026-03-15");

    clock.advance(Duration.ofMinutes(59));
    assertThat(events.deliverDue().completed()).isZero();
    clock.advance(Duration.ofMinutes(2));
    ExecutionReport due = events.deliverDue();
    assertThat(due.completed()).isEqualTo(1);
    assertThat(events.deliverDue().completed()).isZero();

    assertThat(cartReminders()).containsExactly("C-1");
    assertThat(deliveries.get(key).get()).isEqualTo(1);
    assertThat(journal.find(key).orElseThrow().state()).isEqualTo(ExecutionState.COMPLETED);
  }

  @Test
  void purchaseBeforeTheReminderIsDue_cancelsIt_updatesTheDataAndNothingIsSent() {
    EventProcessor events = processor();
    String key = events.accept(cartAbandoned("C-1", T0)).actionKeys().get(0);

    clock.advance(Duration.ofMinutes(20));
    CustomerEvent purchase =
        new CustomerEvent(
            CustomerEvent.PURCHASE,
            "C-1",
            clock.instant(),
            Map.of("amount", new BigDecimal("249.90"), "product", "P-2001"));
    EventOutcome bought = events.accept(purchase);

    assertThat(bought.stage()).isEqualTo(EventOutcome.Stage.NO_TRIGGER);
    assertThat(bought.cancelled()).containsExactly(key);
    assertThat(bought.attribution()).isNull(); // nothing was delivered to attribute it to
    ProductHistory p2001 = customers.find("C-1").orElseThrow().customer().productHistory().get(0);
    assertThat(p2001.orderCount()).isEqualTo(9);
    assertThat(p2001.totalSpent()).isEqualByComparingTo("729.10");
    assertThat(p2001.lastPurchase().toInstant()).isEqualTo(clock.instant());

    clock.advance(Duration.ofHours(2));
    events.deliverDue();
    assertThat(delivered).isEmpty();
    assertThat(journal.find(key).orElseThrow().state()).isEqualTo(ExecutionState.CANCELLED);
  }

  @Test
  void purchaseAfterTheReminder_isAttributedToItAsAConversion() {
    EventProcessor events = processor();
    String key = events.accept(cartAbandoned("C-1", T0)).actionKeys().get(0);
    clock.advance(Duration.ofMinutes(61));
    events.deliverDue();

    clock.advance(Duration.ofMinutes(30));
    EventOutcome bought =
        events.accept(CustomerEvent.purchase("C-1", clock.instant(), new BigDecimal("249.90")));

    assertThat(bought.attribution()).isNotNull();
    assertThat(bought.attribution().outcome()).isEqualTo(Attribution.Outcome.ATTRIBUTED);
    assertThat(bought.attribution().idempotencyKey()).isEqualTo(key);
    assertThat(feedback.campaign("cart_recovery").orElseThrow().conversions()).isEqualTo(1);
  }

  @Test
  void sameEventTwice_decidedOnce_deliveredOnce() {
    EventProcessor events = processor();

    EventOutcome first = events.accept(cartAbandoned("C-1", T0));
    EventOutcome again = events.accept(cartAbandoned("C-1", T0));

    // The first reminder's contact counts against the day's cap: nothing new is journalled.
    assertThat(again.actionKeys()).isEmpty();
    assertThat(again.stage()).isEqualTo(EventOutcome.Stage.NO_ACTION_CHOSEN);
    assertThat(journal.records("events-2026-03-15"))
        .extracting(r -> r.key())
        .isEqualTo(first.actionKeys());
    clock.advance(Duration.ofMinutes(61));
    events.deliverDue();
    assertThat(cartReminders()).containsExactly("C-1");
  }

  @Test
  void unsubscribe_withdrawsTheScheduledReminder_andLaterCartsGetNoEmail() {
    EventProcessor events = processor();
    String key = events.accept(cartAbandoned("C-1", T0)).actionKeys().get(0);

    clock.advance(Duration.ofMinutes(5));
    EventOutcome out =
        events.accept(
            new CustomerEvent(
                CustomerEvent.UNSUBSCRIBE, "C-1", clock.instant(), Map.of("channel", "email")));
    assertThat(out.cancelled()).containsExactly(key);

    clock.advance(Duration.ofDays(1));
    EventOutcome later = events.accept(cartAbandoned("C-1", clock.instant()));
    assertThat(later.stage()).isEqualTo(EventOutcome.Stage.NO_ACTION_CHOSEN);
    assertThat(later.detail()).isEqualTo(ReasonCode.CONSENT_MISSING.name());
    clock.advance(Duration.ofHours(2));
    events.deliverDue();
    assertThat(delivered).isEmpty();
  }

  @Test
  void stageOfEveryKindOfEvent_oneOutcomeEach() {
    EventProcessor events = processor();

    assertThat(events.accept(CustomerEvent.of(CustomerEvent.PAGE_VIEW, "C-1", T0)).stage())
        .isEqualTo(EventOutcome.Stage.NO_TRIGGER);
    assertThat(events.accept(CustomerEvent.of("wishlist_added", "C-1", T0)).stage())
        .isEqualTo(EventOutcome.Stage.NO_TRIGGER);
    assertThat(events.accept(cartAbandoned("C-404", T0)).stage())
        .isEqualTo(EventOutcome.Stage.UNKNOWN_CUSTOMER);
    // Older than the trigger's one-hour window when it arrives.
    assertThat(events.accept(cartAbandoned("C-2", T0.minus(Duration.ofHours(2)))).stage())
        .isEqualTo(EventOutcome.Stage.NOT_ELIGIBLE);
    segmentAgent.takeDown();
    EventOutcome failed = events.accept(cartAbandoned("C-1", T0));
    assertThat(failed.stage()).isEqualTo(EventOutcome.Stage.SEGMENTATION_FAILED);
    assertThat(failed.detail()).isEqualTo("AGENT_UNAVAILABLE");
    assertThat(journal.records("events-2026-03-15")).isEmpty();
  }

  @Test
  void purchasesWithinTheDebounce_askTheAgentOnce() {
    EventProcessor events = processor(b -> b.segmentStore(new InMemorySegmentStore()));
    events.accept(cartAbandoned("C-1", T0));
    assertThat(segmentAgent.callsFor("C-1")).isEqualTo(1);

    for (int i = 1; i <= 3; i++) {
      clock.advance(Duration.ofMinutes(2));
      events.accept(
          new CustomerEvent(
              CustomerEvent.PURCHASE,
              "C-1",
              clock.instant(),
              Map.of("amount", new BigDecimal("10"), "product", "P-2001")));
      events.accept(cartAbandoned("C-1", clock.instant()));
    }
    assertThat(segmentAgent.callsFor("C-1")).isEqualTo(1);

    clock.advance(Duration.ofMinutes(20));
    events.accept(cartAbandoned("C-1", clock.instant()));
    assertThat(segmentAgent.callsFor("C-1")).isEqualTo(2);
  }

  @Test
  void builder_withoutCustomers_failsNamingIt() {
    OperationAgent agent =
        OperationAgent.builder()
            .segmentClient(segmentAgent.client())
            .rules(RuleSetLoader.defaults())
            .clock(clock)
            .executionService(e -> e.channels(ChannelRegistry.builder().register(email).build()))
            .build();
    opened.add(agent);
    assertThatThrownBy(() -> EventProcessor.builder(agent).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("customers");
    assertThatThrownBy(
            () -> EventProcessor.builder(agent).segmentRefreshDebounce(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segmentRefreshDebounce");
  }

  @Test
  void eventsOfADayBeforeYesterday_runMarkedCompletedOnceNothingIsLeft() {
    EventProcessor events = processor();
    events.accept(cartAbandoned("C-1", T0));
    clock.advance(Duration.ofMinutes(61));
    events.deliverDue();
    assertThat(journal.openRuns()).contains("events-2026-03-15");
    clock.advance(Duration.ofDays(2));
    events.deliverDue();
    assertThat(journal.openRuns()).doesNotContain("events-2026-03-15");
    assertThat(cartReminders()).containsExactly("C-1");
  }
}
