package dev.opagent.channels.inbound;

import dev.opagent.agent.Channel;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.event.CustomerEvent;
import dev.opagent.agent.event.InMemoryCustomerDirectory;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.execution.spi.ActionRequest;
import dev.opagent.agent.feedback.FeedbackLoop;
import dev.opagent.agent.loop.EventProcessor;
import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.spi.AgentRequest;
import dev.opagent.segment.spi.AgentResponse;
import dev.opagent.segment.spi.AgentTransport;
import dev.opagent.testkit.InMemoryChannel;
import dev.opagent.testkit.MutableClock;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The event loop of a host in this process: two campaigns triggered by an abandoned cart, one
 * e-mail and one SMS, each an hour later; the actions journalled in memory, deliveries attributed
 * by a feedback loop, and the segment agent answered by the reference segmenter.
 */
final class LoopFixture implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-03-15T10:00:00Z");
  static final String RULES =
      """
      {"name": "webhook tests", "rules": [
        {"rule_id": "cart_email", "name": "Cart e-mail",
         "trigger": {"event": "cart_abandoned", "within": "PT1H", "cancel_on": ["purchase"]},
         "conditions": {}, "actions": [{"type": "send_email", "template": "cart_reminder",
         "delay_minutes": 60}], "priority": "low", "enabled": true, "version": 1},
        {"rule_id": "cart_sms", "name": "Cart SMS",
         "trigger": {"event": "cart_abandoned", "within": "PT1H"},
         "conditions": {}, "actions": [{"type": "send_sms", "template": "cart_sms",
         "delay_minutes": 60}], "priority": "low", "enabled": true, "version": 1}
      ]}
      """;

  final MutableClock clock = MutableClock.at(T0);
  final InMemoryExecutionJournal journal = new InMemoryExecutionJournal();
  final FeedbackLoop feedback = FeedbackLoop.builder().clock(clock).build();
  final InMemoryChannel email = InMemoryChannel.builder().name("email").clock(clock).build();
  final InMemoryChannel sms = InMemoryChannel.builder().name("sms").clock(clock).build();
  final InMemoryCustomerDirectory customers =
      new InMemoryCustomerDirectory(List.of(customer("C-1"), customer("C-2")));
  final OperationAgent agent;
  final EventProcessor processor;

  LoopFixture() {
    RuleSet rules = RuleSetLoader.ofDefaults().load(RuleSource.string("rules", RULES));
    DecisionEngine engine =
        DecisionEngine.builder()
            .clock(clock)
            .policy(
                DecisionPolicy.builder().maxActionsPerCustomer(4).maxActionsPerChannel(1).build())
            .build();
    ExecutionService executor =
        ExecutionService.builder()
            .journal(journal)
            .clock(clock)
            .decisionEngine(engine)
            .listener(feedback)
            .channels(
                ChannelRegistry.builder()
                    .register(email)
                    .register(sms)
                    .routeActionType("send_sms", "sms")
                    .fallback("email")
                    .build())
            .build();
    agent =
        OperationAgent.builder()
            .segmentClient(segments(clock))
            .rules(rules)
            .decisionEngine(engine)
            .executionService(executor)
            .clock(clock)
            .context((data, analysis, ctx) -> ctx.consent(Channel.EMAIL, Channel.SMS))
            .build();
    processor = EventProcessor.builder(agent).customers(customers).feedback(feedback).build();
  }

  /** The keys of the actions a cart abandoned now plans: e-mail and SMS, both in an hour. */
  List<String> abandonCart(String customer) {
    return processor
        .accept(
            new CustomerEvent(
                CustomerEvent.CART_ABANDONED,
                customer,
                clock.instant(),
                Map.of("cartValue", new BigDecimal("249.90"))))
        .actionKeys();
  }

  /** Advances the clock and delivers what fell due. */
  void advanceAndDeliver(Duration d) {
    clock.advance(d);
    processor.deliverDue();
  }

  ActionRequest action(String key) {
    return journal.find(key).orElseThrow().request();
  }

  String keyOn(List<String> keys, String channel) {
    return keys.stream().filter(k -> action(k).channel().equals(channel)).findFirst().orElseThrow();
  }

  List<String> delivered(InMemoryChannel channel, String customer) {
    return channel.deliveries().stream()
        .filter(r -> r.customerId().equals(customer))
        .map(ActionRequest::idempotencyKey)
        .toList();
  }

  @Override
  public void close() {
    agent.close();
  }

  static CustomerData customer(String id) {
    return CustomerData.fromJson(
        """
        {"customerId": "%s", "city": "Istanbul", "email": "%s@example.com",
         "phone": "+1555000%s",
         "customer": {"customerId": "%s", "age": 32, "gender": "F",
           "registeredAt": "2024-03-15T00:00:00",
           "productHistory": [{"productId": "P-2001", "category": "SKINCARE",
             "totalQuantity": 8, "totalSpent": 479.20, "orderCount": 8,
             "lastPurchase": "2026-01-20T00:00:00", "avgDaysBetween": 30}]},
         "region": {"name": "Marmara", "climateType": "Temperate", "medianBasket": 75.0,
           "trend": "SKINCARE"},
         "currentSeason": "Winter"}"""
            .formatted(id, id.toLowerCase(java.util.Locale.ROOT), id.substring(2), id));
  }

  /** A segment client answered in this process by the reference segmenter. */
  private static SegmentClient segments(MutableClock clock) {
    ReferenceSegmenter segmenter = new ReferenceSegmenter(clock);
    AgentTransport transport =
        (AgentRequest request) -> {
          CustomerData data =
              CustomerData.fromJson(new String(request.payload(), StandardCharsets.UTF_8));
          String body = "{\"analysis\": " + segmenter.analyze(data).toJson() + "}";
          return CompletableFuture.completedFuture(
              AgentResponse.of("application/json", body, null));
        };
    return SegmentClient.builder()
        .agentRuntimeArn("arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/segment-test")
        .transport(transport)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
        .maxAttempts(2)
        .initialRequestsPerSecond(1_000_000)
        .build();
  }
}
