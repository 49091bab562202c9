package dev.opagent.converse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opagent.agent.Channel;
import dev.opagent.agent.approval.ApprovalGate;
import dev.opagent.agent.approval.ApprovalThresholds;
import dev.opagent.agent.engine.DecisionEngine;
import dev.opagent.agent.engine.PlannedAction;
import dev.opagent.agent.policy.DecisionPolicy;
import dev.opagent.agent.tools.SdkTools;
import dev.opagent.agent.tools.ToolRegistry;
import dev.opagent.agent.tools.spi.CustomerFacts;
import dev.opagent.agent.tools.spi.ExecutionReceipt;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.rules.RuleSource;
import dev.opagent.segment.CustomerData;
import dev.opagent.segment.SegmentAnalysis;
import dev.opagent.testkit.ConverseSimulator;
import dev.opagent.testkit.ReceivedConverse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * A host of the SDK's tools for the agent's tests — customers whose facts it owns, an engine with
 * no approvals and no caps, an executor that records deliveries — and the real SDK client pointed
 * at a {@link ConverseSimulator}.
 */
final class Host implements AutoCloseable {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Midday in Istanbul: outside the default quiet hours. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T10:00:00Z"), ZoneOffset.UTC);

  /** An SMS nudge for at-risk customers. */
  static final String RULES =
      """
      {"name": "converse", "rules": [
        {"rule_id": "sms_nudge", "name": "Nudge",
         "conditions": {"segments.churnSegment": "Riskli"},
         "actions": [{"type": "send_sms", "template": "nudge"}], "priority": "high"}]}""";

  final Map<String, CustomerFacts> customers = new ConcurrentHashMap<>();
  final List<PlannedAction> delivered = Collections.synchronizedList(new ArrayList<>());
  final ApprovalGate gate = ApprovalGate.builder().clock(CLOCK).build();
  final ToolRegistry registry;
  final ConverseSimulator model = ConverseSimulator.start();
  final BedrockRuntimeClient client;

  Host() {
    DecisionPolicy open =
        DecisionPolicy.builder().approval(ApprovalThresholds.none()).clearFrequencyCaps().build();
    DecisionEngine engine =
        DecisionEngine.builder().clock(CLOCK).approvalGate(gate).policy(open).build();
    RuleSet rules = RuleSetLoader.ofDefaults().load(RuleSource.string("converse", RULES));
    registry =
        SdkTools.builder()
            .customerContextProvider(id -> Optional.ofNullable(customers.get(id)))
            .rules(rules)
            .decisionEngine(engine)
            .executor(
                action -> {
                  delivered.add(action);
                  return ExecutionReceipt.executed("msg-" + delivered.size());
                })
            .clock(CLOCK)
            .build()
            .registerInto(ToolRegistry.builder().callTimeout(Duration.ofSeconds(5)).build());
    client =
        BedrockRuntimeClient.builder()
            .endpointOverride(model.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  /** An at-risk customer the host knows, opted in to {@code consents} only. */
  CustomerFacts atRisk(String id, Channel... consents) {
    CustomerFacts facts =
        CustomerFacts.of(
                CustomerData.fromJson("{\"customerId\": \"" + id + "\", \"city\": \"Istanbul\"}"))
            .withAnalysis(SegmentAnalysis.fromJson("{\"churnSegment\": \"Riskli\"}"))
            .withConsents(consents)
            .withZone(ZoneId.of("Europe/Istanbul"));
    customers.put(id, facts);
    return facts;
  }

  /** An agent on the simulator with fast retries. */
  ConverseAgent.Builder agent() {
    return ConverseAgent.builder()
        .client(client)
        .modelId(ConverseSimulator.MODEL_ID)
        .systemPrompt("You are the retention team's assistant.")
        .tools(registry)
        .backoff(Duration.ofMillis(5), Duration.ofMillis(50));
  }

  /** The plan id among the tool results the model has been sent. */
  static String planId(ReceivedConverse request) {
    for (JsonNode r : request.allToolResults()) {
      JsonNode id = r.at("/content/0/json/result/planId");
      if (id.isTextual()) {
        return id.asText();
      }
    }
    throw new AssertionError("no plan among the tool results");
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    client.close();
    model.close();
  }
}
