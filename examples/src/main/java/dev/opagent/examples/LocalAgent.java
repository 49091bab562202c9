package dev.opagent.examples;

import dev.opagent.segment.SegmentClient;
import dev.opagent.segment.SegmentClientBuilder;
import dev.opagent.testkit.AgentSimulator;
import dev.opagent.testkit.Fixtures;
import dev.opagent.testkit.Latency;
import dev.opagent.testkit.SimulatorConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The wiring every example shares: the embedded segment-agent simulator on a free loopback port,
 * and a real {@link SegmentClient} — AWS SDK, retries, rate adaptation and all — pointed at it with
 * placeholder credentials (the simulator checks no signature). Against a deployed agent, drop the
 * simulator and build the client with the agent's ARN and the default AWS credentials instead.
 * Thread-safe, as its two parts are; close it to stop both.
 *
 * @param simulator the simulated agent; its clock is the seed date, 2026-03-15
 * @param client the client talking to it over HTTP
 */
record LocalAgent(AgentSimulator simulator, SegmentClient client) implements AutoCloseable {

  /** The date the examples segment customers at: the integration guide's worked example. */
  static final Clock CLOCK = Fixtures.seedClock();

  /**
   * A simulator with a few milliseconds of latency, no quota and no faults, and a client of it that
   * may send up to 500 requests a second, 16 at a time (plenty at this latency).
   */
  static LocalAgent start() {
    return start(config -> {}, client -> {});
  }

  /**
   * A simulator configured by {@code simulator} on top of the examples' defaults, and a client
   * configured by {@code client} on top of the endpoint, ARN, region and credentials.
   */
  static LocalAgent start(
      Consumer<SimulatorConfig.Builder> simulator, Consumer<SegmentClientBuilder> client) {
    SimulatorConfig.Builder config =
        SimulatorConfig.builder()
            .clock(CLOCK)
            .latency(Latency.uniform(Duration.ofMillis(2), Duration.ofMillis(8)));
    simulator.accept(config);
    AgentSimulator agent = AgentSimulator.start(config.build());
    try {
      SegmentClientBuilder builder =
          SegmentClient.builder()
              .agentRuntimeArn(agent.agentRuntimeArn())
              .endpointOverride(agent.endpoint())
              .region(Region.US_WEST_2)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create("example", "example")))
              // the simulator has no quota unless configured: start fast instead of at AgentCore's
              // 25/s
              .maxRequestsPerSecond(500)
              .maxConcurrency(16);
      client.accept(builder);
      return new LocalAgent(agent, builder.build());
    } catch (RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      simulator.close();
    }
  }
}
