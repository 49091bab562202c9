package dev.opagent.store;

import dev.opagent.agent.Channel;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.event.CustomerEvent;
import dev.opagent.agent.event.InMemoryCustomerDirectory;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionReport;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.channels.JsonLinesChannel;
import dev.opagent.agent.execution.spi.IdempotencyKeys;
import dev.opagent.agent.loop.EventProcessor;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentClient;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.MutableClock;
import dev.opagent.testkit.PopulationGenerator;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A process of the event processor on a shared PostgreSQL store, for {@link
 * SharedEventProcessesTest}: {@code url prefix partition partitions lines.jsonl pauseMillis}
 * accepts, in time order, the events of the customers of its partition ({@code index %
 * partitions}); with {@code partition} {@code drain}, it delivers what fell due two hours after the
 * last event.
 */
public final class EventWorker {
  static final Instant T0 = Instant.parse("2026-03-16T10:00:00Z");
  static final int CUSTOMERS = 240;

  private EventWorker() {}

  /**
   * Every customer leaves a cart, ten seconds after the previous one; the even ones buy twenty
   * minutes later, before the reminder is due.
   */
  static List<CustomerEvent> events() {
    List<CustomerEvent> out = new ArrayList<>();
    List<CustomerData> customers = customers();
    for (int i = 0; i < customers.size(); i++) {
      String id = customers.get(i).customerId();
      Instant left = T0.plusSeconds(10L * i);
      out.add(
          new CustomerEvent(
              CustomerEvent.CART_ABANDONED, id, left, Map.of("cartValue", new BigDecimal("80"))));
      if (i % 2 == 0) {
        out.add(
            new CustomerEvent(
                CustomerEvent.PURCHASE,
                id,
                left.plus(Duration.ofMinutes(20)),
                Map.of("amount", new BigDecimal("80"), "product", "P-1")));
      }
    }
    out.sort(Comparator.comparing(CustomerEvent::at));
    return out;
  }

  static List<CustomerData> customers() {
    return PopulationGenerator.ofSeed(29).list(CUSTOMERS);
  }

  /** When the drain runs: two hours after the last event. */
  static Instant drainAt() {
    return events().get(events().size() - 1).at().plus(Duration.ofHours(2));
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String prefix = args[1];
    String partition = args[2];
    int partitions = Integer.parseInt(args[3]);
    Path lines = Path.of(args[4]);
    long pause = Long.parseLong(args[5]);
    List<CustomerData> customers = customers();
    List<String> ids = customers.stream().map(CustomerData::customerId).toList();
    MutableClock clock = MutableClock.at(T0);
    DecisionPolicy policy = DecisionPolicy.ofDefaults();
    try (AgentSimulator simulator = AgentSimulator.start(b -> b.clock(clock));
        SegmentClient client = StoreWorker.client(simulator, clock);
        OperatingStore store =
            OperatingStore.builder()
                .url(url, "postgres", "")
                .tablePrefix(prefix)
                .maxPoolSize(4)
                .build();
        JsonLinesChannel email =
            JsonLinesChannel.builder(lines).name("email").clock(clock).build()) {
      DecisionEngine engine =
          DecisionEngine.builder()
              .policy(policy)
              .clock(clock)
              .approvalGate(store.approvalGate(clock))
              .build();
      try (ExecutionService executor =
          ExecutionService.builder()
              .journal(store.journal())
              .journalIsLedger(true)
              .decisionEngine(engine)
              .clock(clock)
              .lease(StoreLoop.LEASE)
              .keys(IdempotencyKeys.daily(policy.operatingZone()))
              .channels(ChannelRegistry.builder().register(email).build())
              .build()) {
        OperationAgent agent =
            OperationAgent.builder()
                .segmentClient(client)
                .rules(RuleSetLoader.defaults())
                .decisionEngine(engine)
                .executionService(executor)
                .operatingState(store.operatingState())
                .segmentStore(store.segmentStore())
                .clock(clock)
                .context((data, analysis, ctx) -> ctx.consent(Channel.EMAIL))
                .build();
        EventProcessor processor =
            EventProcessor.builder(agent)
                .customers(new InMemoryCustomerDirectory(customers))
                .build();
        if (partition.equals("drain")) {
          clock.advanceTo(drainAt());
          ExecutionReport r = processor.deliverDue();
          System.out.println("drained: delivered " + r.completed() + ", failed " + r.failed());
        } else {
          int mine = Integer.parseInt(partition);
          int accepted = 0;
          for (CustomerEvent e : events()) {
            if (ids.indexOf(e.customerId()) % partitions == mine) {
              clock.advanceTo(e.at());
              processor.accept(e);
              if (++accepted % 10 == 0) {
                System.out.println("progress " + accepted);
                System.out.flush();
              }
              Thread.sleep(pause);
            }
          }
          System.out.println("accepted " + accepted + " events");
        }
      }
    }
    System.exit(0);
  }
}
