package com.example.host;

import dev.opagent.agent.loop.OperationAgent;
import dev.opagent.agent.tools.SdkTools;
import dev.opagent.agent.tools.ToolRegistry;
import dev.opagent.micrometer.OpagentMetrics;
import dev.opagent.opentelemetry.OpenTelemetryOperationTracing;
import dev.opagent.opentelemetry.OpenTelemetryTracing;
import dev.opagent.rules.RuleSet;
import dev.opagent.rules.RuleSetLoader;
import dev.opagent.segment.ReferenceSegmenter;
import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.store.OperatingStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;

/** A host's use of the public API, compiled against the published jars. */
public final class Host {

  private Host() {}

  /**
   * Builds the pieces a host wires together.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    ReferenceSegmenter segmenter = ReferenceSegmenter.ofSystemClock();
    RuleSet rules = RuleSetLoader.defaults();
    OperatingStore.Builder store = OperatingStore.builder();
    ToolRegistry tools = SdkTools.builder().build().registerInto(ToolRegistry.create());
    OpagentMetrics metrics = OpagentMetrics.create(new SimpleMeterRegistry());
    SegmentClientBuilder client =
        SegmentClient.builder()
            .agentRuntimeArn("arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/agent-abc")
            .addListener(metrics.segmentClientListener())
            .tracer(OpenTelemetryTracing.create(OpenTelemetry.noop()));
    OperationAgent.Builder loop =
        OperationAgent.builder()
            .tracer(OpenTelemetryOperationTracing.create(OpenTelemetry.noop()))
            .decisionEngine(e -> e.listener(metrics.decisionListener()));
    System.out.println(
        segmenter + " " + rules + " " + store + " " + tools.names() + " " + client + " " + loop);
  }
}
