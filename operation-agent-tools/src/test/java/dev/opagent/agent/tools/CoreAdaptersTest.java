package dev.opagent.agent.tools;

import static dev.opagent.agent.tools.ToolFixtures.CLOCK;
import static dev.opagent.agent.tools.ToolFixtures.content;
import static dev.opagent.agent.tools.ToolFixtures.json;
import static dev.opagent.agent.tools.ToolFixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opagent.agent.Channel;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.execution.ChannelRegistry;
import dev.opagent.agent.execution.ExecutionService;
import dev.opagent.agent.execution.journal.InMemoryExecutionJournal;
import dev.opagent.agent.feedback.FeedbackLoop;
import dev.opagent.agent.feedback.Metrics;
import dev.opagent.agent.tools.spi.CustomerFacts;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.testkit.InMemoryChannel;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tools over the core's execution service and feedback loop, as a host wires them. */
class CoreAdaptersTest {
  private final InMemoryChannel channel = InMemoryChannel.create();
  private final FeedbackLoop loop = FeedbackLoop.builder().clock(CLOCK).build();
  private final ExecutionService service =
      ExecutionService.builder()
          .journal(new InMemoryExecutionJournal())
          .clock(CLOCK)
          .listener(loop)
          .channels(ChannelRegistry.builder().register(channel).fallback(channel.name()).build())
          .build();
  private final ToolRegistry tools =
      SdkTools.builder()
          .customerContextProvider(
              id ->
                  Optional.of(
                      CustomerFacts.of(
                              CustomerData.fromJson(
                                  "{\"customerId\": \"" + id + "\", \"city\": \"Istanbul\"}"))
                          .withAnalysis(SegmentAnalysis.fromJson("{\"churnSegment\": \"Riskli\"}"))
                          .withConsents(Channel.SMS)
                          .withZone(ZoneId.of("Europe/Istanbul"))))
          .rules(RuleSetLoader.ofDefaults().load(RuleSource.string("tools", ToolFixtures.RULES)))
          .decisionEngine(DecisionEngine.builder().clock(CLOCK).policy(ToolFixtures.open()).build())
          .executor(ExecutionServiceActionExecutor.of(service, "assistant"))
          .metrics(FeedbackLoopMetrics.of(loop))
          .clock(CLOCK)
          .build()
          .registerInto(ToolRegistry.create());

  @AfterEach
  void close() {
    service.close();
  }

  @Test
  void executeApprovedAction_throughTheExecutionService_deliversOnceAndFeedsReadMetrics() {
    JsonNode plan = content(tools.dispatch("plan_actions", json("{\"customerId\": \"C-1\"}")));

    JsonNode executed =
        content(tools.dispatch("execute_approved_action", ref(plan, "sms_nudge", "send_sms")));
    ToolResult again =
        tools.dispatch("execute_approved_action", ref(plan, "sms_nudge", "send_sms"));

    assertThat(executed.get("detail").asText()).isEqualTo("delivered via " + channel.name());
    assertThat(again).isInstanceOf(ToolResult.AlreadyExecuted.class);
    assertThat(channel.size()).isEqualTo(1);
    assertThat(service.journal().find(channel.deliveries().get(0).idempotencyKey()))
        .hasValueSatisfying(r -> assertThat(r.runId()).isEqualTo("assistant"));
    JsonNode metrics = content(tools.dispatch("read_metrics", json("{}")));
    assertThat(metrics).hasSize(1);
    assertThat(metrics.at("/0/campaign").asText()).isEqualTo("sms_nudge");
    assertThat(metrics.at("/0/metrics/delivered").asLong()).isEqualTo(1);
    assertThat(metrics.at("/0/openRate").asDouble()).isZero();
  }

  @Test
  void executeApprovedAction_channelFailsForGood_answersUpstreamFailedAndCountsNothing() {
    channel.failNextPermanently(1);
    JsonNode plan = content(tools.dispatch("plan_actions", json("{\"customerId\": \"C-1\"}")));

    ToolResult r = tools.dispatch("execute_approved_action", ref(plan, "sms_nudge", "send_sms"));

    assertThat(r)
        .isInstanceOfSatisfying(
            ToolResult.Failed.class,
            f -> assertThat(f.code()).isEqualTo(ToolErrorCode.UPSTREAM_FAILED));
    assertThat(channel.size()).isZero();
    assertThat(FeedbackLoopMetrics.of(loop).all()).isEmpty();
    assertThat(tools.dispatch("read_metrics", json("{\"campaign\": \"sms_nudge\"}")))
        .isInstanceOfSatisfying(
            ToolResult.Failed.class, f -> assertThat(f.code()).isEqualTo(ToolErrorCode.NOT_FOUND));
  }

  @Test
  void inMemoryCampaignMetrics_addsPerCampaignAndListsInCampaignOrder() {
    InMemoryCampaignMetrics metrics = new InMemoryCampaignMetrics();
    Metrics one = new Metrics(1, 1, 0, 0, 0, BigDecimal.ZERO, new BigDecimal("0.01"));

    metrics.add("winback", one);
    metrics.add("crosssell", one);
    metrics.add("winback", one);

    assertThat(metrics.all().keySet()).containsExactly("crosssell", "winback");
    assertThat(metrics.campaign("winback")).contains(one.plus(one));
    assertThat(metrics.campaign("loyalty")).isEmpty();
  }

  @Test
  void adapters_nullArguments_failFastNamingTheArgument() {
    assertThatThrownBy(() -> ExecutionServiceActionExecutor.of(service, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("runId");
    assertThatThrownBy(() -> FeedbackLoopMetrics.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("loop");
  }
}
